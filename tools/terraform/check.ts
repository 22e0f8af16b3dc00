/**
 * Static checks of Terraform code without Terraform: canonical formatting (hclwrite's formatter, as
 * `terraform fmt`), arguments and blocks against the AWS provider schema, and references.
 * Each function returns a list of problems; an empty list means the check passed.
 */
import { format } from '@cdktn/hcl-tools';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlockSchema, ProviderSchema } from '../../scripts/extract-provider-schema';
import { META_ARGUMENTS, localModuleDir, loadTerraformConfig, parseHcl, type Body, type Json, type TerraformConfig } from './config';
import { collectReferences, parseJsonValue, SUPPORTED_FUNCTIONS, type Node } from './expression';
import { isBlockList } from './plan';

/** Every .tf and .tftest.hcl file below a folder (skipping .terraform). */
export async function terraformFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '.terraform') out.push(...(await terraformFiles(full)));
    } else if (entry.name.endsWith('.tf') || entry.name.endsWith('.tftest.hcl')) out.push(full);
  }
  return out.sort();
}

export async function checkFormat(files: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const file of files) {
    const source = await readFile(file, 'utf8');
    if ((await format(source)) !== source) problems.push(`${file}: not canonically formatted (run terraform fmt)`);
  }
  return problems;
}

export async function checkParse(files: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const file of files) {
    try {
      await parseHcl(path.basename(file), await readFile(file, 'utf8'));
    } catch (err) {
      problems.push(`${file}: ${String((err as Error).message ?? err).trim()}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Schema

const LIFECYCLE_KEYS = new Set(['create_before_destroy', 'prevent_destroy', 'ignore_changes', 'replace_triggered_by', 'precondition', 'postcondition']);

function checkBody(body: Body, schema: BlockSchema, where: string, problems: string[], topLevel: boolean) {
  const present = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META_ARGUMENTS.has(key)) {
      if (key === 'lifecycle') {
        for (const block of value as Body[]) {
          for (const k of Object.keys(block)) if (!LIFECYCLE_KEYS.has(k)) problems.push(`${where}: unknown lifecycle argument "${k}"`);
        }
      }
      continue;
    }
    if (key === 'dynamic') {
      for (const [blockName, dynamics] of Object.entries(value as Body)) {
        const nested = schema.blocks[blockName];
        if (!nested) {
          problems.push(`${where}: unknown block "${blockName}" (in dynamic)`);
          continue;
        }
        present.add(blockName);
        for (const dynamic of dynamics as Body[]) {
          if (!('for_each' in dynamic)) problems.push(`${where}: dynamic "${blockName}" needs for_each`);
          const content = dynamic.content as Body[] | undefined;
          if (!content || content.length !== 1) problems.push(`${where}: dynamic "${blockName}" needs one content block`);
          else checkBody(content[0]!, nested, `${where}.${blockName}`, problems, false);
        }
      }
      continue;
    }
    const nested = schema.blocks[key];
    if (nested) {
      present.add(key);
      if (!isBlockList(value) && !(Array.isArray(value) && value.length === 0)) {
        problems.push(`${where}: "${key}" is a block, not an argument`);
        continue;
      }
      (value as Body[]).forEach((b, i) => checkBody(b, nested, `${where}.${key}[${i}]`, problems, false));
      continue;
    }
    if (key in schema.attributes) {
      present.add(key);
      continue;
    }
    problems.push(`${where}: unknown argument "${key}"`);
  }
  for (const [name, attribute] of Object.entries(schema.attributes)) {
    if (attribute.required && !present.has(name)) problems.push(`${where}: missing required argument "${name}"`);
  }
  for (const [name, block] of Object.entries(schema.blocks)) {
    if (block.required && !present.has(name)) problems.push(`${where}: missing required block "${name}"`);
  }
}

/** Every resource, data source and provider block against one provider schema. */
export function checkSchema(config: TerraformConfig, schema: ProviderSchema): string[] {
  const problems: string[] = [];
  const label = `[aws ${schema.provider_version}] ${config.dir}`;
  for (const block of config.blocks) {
    const where = `${label}/${block.file}: ${block.mode === 'data' ? 'data.' : ''}${block.type}.${block.name}`;
    const typeSchema = (block.mode === 'data' ? schema.data_sources : schema.resources)[block.type];
    if (!typeSchema) {
      problems.push(`${where}: ${block.mode} type "${block.type}" does not exist in the provider`);
      continue;
    }
    checkBody(block.body, typeSchema, where, problems, true);
  }
  for (const provider of config.providers) {
    if (provider.name !== 'aws') continue;
    checkBody(provider.body, schema.provider, `${label}/${provider.file}: provider "aws"`, problems, false);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// References

interface RefContext {
  config: TerraformConfig;
  schema: ProviderSchema;
  childOutputs: Map<string, Set<string>>;
  hasCount: boolean;
  hasForEach: boolean;
  iterators: Set<string>;
}

function checkReference(root: string, attrs: string[], ctx: RefContext, where: string, problems: string[]) {
  const { config, schema } = ctx;
  const bad = (message: string) => problems.push(`${where}: ${message}`);
  const [first, second, third] = attrs;
  switch (root) {
    case 'var':
      if (!first || !config.variables.has(first)) bad(`reference to undeclared variable var.${first}`);
      return;
    case 'local':
      if (!first || !config.locals.has(first)) bad(`reference to undefined local.${first}`);
      return;
    case 'module': {
      const outputs = first ? ctx.childOutputs.get(first) : undefined;
      if (!outputs) bad(`reference to undeclared module.${first}`);
      else if (second && !outputs.has(second)) bad(`module.${first} has no output "${second}"`);
      return;
    }
    case 'data': {
      const block = config.blocks.find((b) => b.mode === 'data' && b.type === first && b.name === second);
      if (!block) bad(`reference to undeclared data.${first}.${second}`);
      else if (third && !schema.data_sources[first!]?.computed.includes(third)) bad(`data.${first}.${second} has no attribute "${third}"`);
      return;
    }
    case 'count':
      if (!ctx.hasCount || first !== 'index') bad(`count.${first} used outside a counted resource`);
      return;
    case 'each':
      if (!ctx.hasForEach || (first !== 'key' && first !== 'value')) bad(`each.${first} used outside for_each`);
      return;
    case 'path':
      if (!['module', 'root', 'cwd'].includes(first ?? '')) bad(`unknown path.${first}`);
      return;
    case 'terraform':
      if (first !== 'workspace') bad(`unknown terraform.${first}`);
      return;
  }
  if (ctx.iterators.has(root)) {
    if (first !== 'key' && first !== 'value') bad(`dynamic iterator ${root} has only key and value, not "${first}"`);
    return;
  }
  const typeSchema = schema.resources[root];
  if (!typeSchema) return bad(`unknown reference "${root}"`);
  const block = config.blocks.find((b) => b.mode === 'resource' && b.type === root && b.name === first);
  if (!block) return bad(`reference to undeclared resource ${root}.${first}`);
  // Attribute access through an index (`aws_x.y[0].arn`) is not visible in `attrs`; direct access is checked.
  if (second && !typeSchema.computed.includes(second) && !(second in typeSchema.attributes)) {
    bad(`${root}.${first} has no attribute "${second}"`);
  }
}

function walkExpressions(value: Json, visit: (node: Node, iterators: Set<string>) => void, iterators: Set<string>) {
  if (isBlockList(value)) {
    for (const block of value as Body[]) walkBody(block, visit, iterators);
    return;
  }
  visit(parseJsonValue(value), iterators);
}

function walkBody(body: Body, visit: (node: Node, iterators: Set<string>) => void, iterators: Set<string>) {
  for (const [key, value] of Object.entries(body)) {
    if (key === 'dynamic') {
      for (const [blockName, dynamics] of Object.entries(value as Body)) {
        for (const dynamic of dynamics as Body[]) {
          const iterator = typeof dynamic.iterator === 'string' ? dynamic.iterator : blockName;
          visit(parseJsonValue(dynamic.for_each!), iterators);
          for (const content of (dynamic.content as Body[]) ?? []) walkBody(content, visit, new Set([...iterators, iterator]));
        }
      }
    } else walkExpressions(value, visit, iterators);
  }
}

function functionsIn(node: Node, out: string[] = []): string[] {
  const visit = (n: unknown) => {
    if (!n || typeof n !== 'object') return;
    if ((n as Node).kind === 'call') out.push((n as { name: string }).name);
    for (const v of Object.values(n)) {
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object') visit(v);
    }
  };
  visit(node);
  return out;
}

/**
 * References resolve (variables, locals, resources and their attributes, data sources, module
 * outputs), every function is one the planner knows, and module calls pass only declared variables
 * and every required one.
 */
export async function checkReferences(config: TerraformConfig, schema: ProviderSchema): Promise<string[]> {
  const problems: string[] = [];
  const childOutputs = new Map<string, Set<string>>();
  for (const call of config.modules.values()) {
    const dir = localModuleDir(config, call);
    if (!dir) {
      problems.push(`${config.dir}/${call.file}: module.${call.name} source "${call.source}" cannot be checked offline`);
      continue;
    }
    const child = await loadTerraformConfig(dir);
    childOutputs.set(call.name, new Set(child.outputs.keys()));
    const passed = Object.keys(call.body).filter((k) => !['source', 'version', 'providers', ...META_ARGUMENTS].includes(k));
    for (const arg of passed) {
      if (!child.variables.has(arg)) problems.push(`${config.dir}/${call.file}: module.${call.name} passes "${arg}", which the module does not declare`);
    }
    for (const variable of child.variables.values()) {
      if (!variable.hasDefault && !passed.includes(variable.name)) {
        problems.push(`${config.dir}/${call.file}: module.${call.name} does not set required variable "${variable.name}"`);
      }
    }
  }

  const visitor = (where: string, ctx: Omit<RefContext, 'iterators'>) => (node: Node, iterators: Set<string>) => {
    for (const ref of collectReferences(node)) checkReference(ref.root, ref.attrs, { ...ctx, iterators }, where, problems);
    for (const fn of functionsIn(node)) if (!SUPPORTED_FUNCTIONS.has(fn)) problems.push(`${where}: function ${fn}() is not known to the offline planner`);
  };
  const base = { config, schema, childOutputs, hasCount: false, hasForEach: false };

  for (const block of config.blocks) {
    const where = `${config.dir}/${block.file}: ${block.mode === 'data' ? 'data.' : ''}${block.type}.${block.name}`;
    walkBody(block.body, visitor(where, { ...base, hasCount: 'count' in block.body, hasForEach: 'for_each' in block.body }), new Set());
  }
  for (const [name, local] of config.locals) walkExpressions(local.value, visitor(`${config.dir}/${local.file}: local.${name}`, base), new Set());
  for (const [name, output] of config.outputs) walkBody(output.body, visitor(`${config.dir}/${output.file}: output.${name}`, base), new Set());
  for (const call of config.modules.values()) {
    const args = Object.fromEntries(Object.entries(call.body).filter(([k]) => k !== 'source' && k !== 'version'));
    walkBody(args, visitor(`${config.dir}/${call.file}: module.${call.name}`, base), new Set());
  }
  for (const provider of config.providers) walkBody(provider.body, visitor(`${config.dir}/${provider.file}: provider.${provider.name}`, base), new Set());
  for (const variable of config.variables.values()) {
    for (const validation of (variable.body.validation as Body[] | undefined) ?? []) {
      const node = parseJsonValue(validation.condition!);
      for (const ref of collectReferences(node)) {
        if (ref.root !== 'var' || ref.attrs[0] !== variable.name) {
          problems.push(`${config.dir}/${variable.file}: validation of ${variable.name} refers to ${ref.root}.${ref.attrs.join('.')} (Terraform < 1.9 allows only the variable itself)`);
        }
      }
    }
  }
  return problems;
}

/**
 * The `terraform test` files of a module: their run blocks may only set declared variables and
 * their assertions may only refer to what the module declares.
 */
export async function checkTestFiles(moduleDir: string, testFiles: string[]): Promise<string[]> {
  const config = await loadTerraformConfig(moduleDir);
  const problems: string[] = [];
  for (const file of testFiles) {
    const json = await parseHcl(path.basename(file), await readFile(file, 'utf8'));
    const runs = Object.entries((json.run as Body) ?? {});
    if (runs.length === 0) problems.push(`${file}: no run blocks`);
    const fileVariables = Object.keys(((json.variables as Body[] | undefined) ?? [])[0] ?? {});
    for (const name of fileVariables) if (!config.variables.has(name)) problems.push(`${file}: variables sets undeclared "${name}"`);
    for (const [runName, blocks] of runs) {
      const run = (blocks as Body[])[0]!;
      const vars = Object.keys(((run.variables as Body[] | undefined) ?? [])[0] ?? {});
      for (const name of vars) if (!config.variables.has(name)) problems.push(`${file}: run "${runName}" sets undeclared variable "${name}"`);
      const asserts = (run.assert as Body[] | undefined) ?? [];
      if (asserts.length === 0 && !run.expect_failures) problems.push(`${file}: run "${runName}" asserts nothing`);
      for (const assertion of asserts) {
        for (const ref of collectReferences(parseJsonValue(assertion.condition!))) {
          const [a, b] = ref.attrs;
          const ok =
            (ref.root === 'var' && config.variables.has(a!)) ||
            (ref.root === 'output' && config.outputs.has(a!)) ||
            (ref.root === 'local' && config.locals.has(a!)) ||
            (ref.root === 'data' && config.blocks.some((x) => x.mode === 'data' && x.type === a && x.name === b)) ||
            config.blocks.some((x) => x.mode === 'resource' && x.type === ref.root && x.name === a);
          if (!ok) problems.push(`${file}: run "${runName}" asserts on unknown ${[ref.root, ...ref.attrs].join('.')}`);
        }
      }
      for (const expected of ((run.expect_failures as string[] | undefined) ?? [])) {
        const m = /^\$\{(\w+)\.(\w+)(?:\.(\w+))?\}$/.exec(expected);
        const ok = m && ((m[1] === 'var' && config.variables.has(m[2]!)) || config.blocks.some((x) => x.type === m[1] && x.name === m[2]));
        if (!ok) problems.push(`${file}: run "${runName}" expects a failure of unknown ${expected}`);
      }
    }
  }
  return problems;
}
