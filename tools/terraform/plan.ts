/**
 * An offline "plan" of a Terraform configuration for concrete inputs: variables with their
 * validations, locals, count, dynamic blocks, resources' arguments, the IAM policy documents
 * rendered as the AWS provider renders them, preconditions and outputs.
 *
 * Computed attributes (ARNs, domain names) are derived from the arguments with AWS's own formats
 * for the few resource types used here; a reference to anything else is refused, never invented.
 */
import { META_ARGUMENTS, localModuleDir, loadTerraformConfig, type Body, type Json, type TerraformConfig } from './config';
import { ExpressionError, evaluate, parseJsonValue, type Scope, type Value } from './expression';
import { renderPolicyDocument } from './policy-document';

export interface PlanContext {
  accountId: string;
  region: string;
  partition?: string;
}

export interface PlannedResource {
  address: string;
  mode: 'resource' | 'data';
  type: string;
  name: string;
  index?: number;
  /** Arguments and nested blocks (as arrays of objects), with computed attributes added. */
  values: Record<string, Value>;
  /** The configured arguments alone, without computed attributes. */
  args: Record<string, Value>;
}

export interface Plan {
  resources: PlannedResource[];
  outputs: Record<string, Value>;
  variables: Record<string, Value>;
  /** Child module plans, by module call name. */
  modules: Record<string, Plan>;
}

export class PlanError extends Error {
  constructor(
    message: string,
    readonly failures: string[] = [message],
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

type Computed = (args: Record<string, Value>, ctx: Required<PlanContext>) => Record<string, Value>;

/** AWS's identifiers for the resource types this repository uses. */
const COMPUTED: Record<string, Computed> = {
  aws_s3_bucket: (a, c) => ({
    id: a.bucket!,
    arn: `arn:${c.partition}:s3:::${a.bucket}`,
    bucket_domain_name: `${a.bucket}.s3.amazonaws.com`,
    bucket_regional_domain_name: `${a.bucket}.s3.${c.region}.amazonaws.com`,
    bucket_region: c.region,
    region: c.region,
  }),
  aws_s3_bucket_ownership_controls: (a) => ({ id: a.bucket! }),
  aws_s3_bucket_public_access_block: (a) => ({ id: a.bucket! }),
  aws_s3_bucket_policy: (a) => ({ id: a.bucket! }),
  aws_s3_bucket_server_side_encryption_configuration: (a) => ({ id: a.bucket! }),
  aws_s3_bucket_versioning: (a) => ({ id: a.bucket! }),
  aws_s3_bucket_lifecycle_configuration: (a) => ({ id: a.bucket! }),
  aws_s3_bucket_cors_configuration: (a) => ({ id: a.bucket! }),
  aws_iam_role: (a, c) => ({ id: a.name!, arn: `arn:${c.partition}:iam::${c.accountId}:role/${a.name}`, unique_id: 'AROAEXAMPLE' }),
  aws_iam_policy: (a, c) => {
    const arn = `arn:${c.partition}:iam::${c.accountId}:policy/${a.name}`;
    return { id: arn, arn, policy_id: 'ANPAEXAMPLE' };
  },
  aws_iam_role_policy_attachment: (a) => ({ id: `${a.role}-${a.policy_arn}` }),
  aws_iam_instance_profile: (a, c) => ({ id: a.name!, arn: `arn:${c.partition}:iam::${c.accountId}:instance-profile/${a.name}` }),
  aws_kms_key: (_a, c) => {
    const arn = `arn:${c.partition}:kms:${c.region}:${c.accountId}:key/00000000-0000-0000-0000-000000000000`;
    return { id: '00000000-0000-0000-0000-000000000000', arn, key_id: '00000000-0000-0000-0000-000000000000' };
  },
};

const DATA_SOURCES: Record<string, (args: Record<string, Value>, ctx: Required<PlanContext>) => Record<string, Value>> = {
  aws_iam_policy_document: (args) => {
    const json = renderPolicyDocument(args);
    return { json, minified_json: JSON.stringify(JSON.parse(json)), id: 'policy' };
  },
  aws_caller_identity: (_a, c) => ({ account_id: c.accountId, arn: `arn:${c.partition}:iam::${c.accountId}:root`, id: c.accountId }),
  aws_region: (_a, c) => ({ name: c.region, region: c.region, id: c.region }),
  aws_partition: (_a, c) => ({ partition: c.partition, id: c.partition }),
};

export async function planDirectory(dir: string, inputs: Record<string, Value>, context: PlanContext): Promise<Plan> {
  return planConfig(await loadTerraformConfig(dir), inputs, context);
}

export async function planConfig(config: TerraformConfig, inputs: Record<string, Value>, context: PlanContext): Promise<Plan> {
  const ctx: Required<PlanContext> = { partition: 'aws', ...context };

  // Child modules are planned first, with their arguments evaluated lazily from this module's scope.
  const variables = bindVariables(config, inputs);
  const locals = new Map<string, Value>();
  const localsInProgress = new Set<string>();
  const instances = new Map<string, PlannedResource[]>();
  const inProgress = new Set<string>();
  const modules: Record<string, Plan> = {};

  const blockKey = (mode: string, type: string, name: string) => `${mode}.${type}.${name}`;

  const scope: Scope = (root) => {
    switch (root) {
      case 'var':
        return variables;
      case 'local':
        return new Proxy({}, { get: (_t, name: string) => local(name), has: (_t, name: string) => config.locals.has(name) }) as Value;
      case 'data':
        return lazyTypes('data');
      case 'module':
        return Object.fromEntries(Object.entries(modules).map(([name, child]) => [name, child.outputs])) as Value;
      case 'path':
        return { module: config.dir, root: config.dir, cwd: config.dir };
      case 'terraform':
        return { workspace: 'default' };
    }
    if (config.blocks.some((b) => b.mode === 'resource' && b.type === root)) return lazyNames('resource', root);
    throw new ExpressionError(`unknown reference "${root}"`);
  };

  const lazyTypes = (mode: 'data'): Value => {
    const types = new Set(config.blocks.filter((b) => b.mode === mode).map((b) => b.type));
    return Object.fromEntries([...types].map((t) => [t, lazyNames(mode, t)]));
  };

  const lazyNames = (mode: 'resource' | 'data', type: string): Value => {
    const names = config.blocks.filter((b) => b.mode === mode && b.type === type).map((b) => b.name);
    return new Proxy({} as Record<string, Value>, {
      get: (_t, name: string) => {
        if (!names.includes(name)) throw new ExpressionError(`${mode} ${type}.${name} is not declared`);
        const block = config.blocks.find((b) => b.mode === mode && b.type === type && b.name === name)!;
        const planned = plan(mode, type, name);
        const values = planned.map((p) => p.values);
        return 'count' in block.body ? values : values[0];
      },
      has: (_t, name: string) => names.includes(name),
    }) as unknown as Value;
  };

  const local = (name: string): Value => {
    if (locals.has(name)) return locals.get(name)!;
    const def = config.locals.get(name);
    if (!def) throw new ExpressionError(`local.${name} is not defined`);
    if (localsInProgress.has(name)) throw new ExpressionError(`local.${name} depends on itself`);
    localsInProgress.add(name);
    const value = evaluate(parseJsonValue(def.value), scope);
    localsInProgress.delete(name);
    locals.set(name, value);
    return value;
  };

  const plan = (mode: 'resource' | 'data', type: string, name: string): PlannedResource[] => {
    const key = blockKey(mode, type, name);
    const done = instances.get(key);
    if (done) return done;
    if (inProgress.has(key)) throw new ExpressionError(`${type}.${name} depends on itself`);
    inProgress.add(key);
    const block = config.blocks.find((b) => b.mode === mode && b.type === type && b.name === name)!;
    const address = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
    if ('for_each' in block.body) throw new PlanError(`${address}: for_each on resources is not supported offline`);
    const count = 'count' in block.body ? evaluate(parseJsonValue(block.body.count!), scope) : undefined;
    if (count !== undefined && (typeof count !== 'number' || count < 0)) throw new PlanError(`${address}: count must be a number >= 0`);

    const result: PlannedResource[] = [];
    for (let index = 0; index < (count ?? 1); index++) {
      const instanceScope: Scope = (root) => (root === 'count' && count !== undefined ? { index } : scope(root));
      const args = evaluateBody(block.body, instanceScope) as Record<string, Value>;
      const computed = mode === 'data' ? DATA_SOURCES[type] : COMPUTED[type];
      if (!computed) throw new PlanError(`${address}: the offline planner does not know the computed attributes of ${type}`);
      result.push({
        address: count === undefined ? address : `${address}[${index}]`,
        mode,
        type,
        name,
        index: count === undefined ? undefined : index,
        values: { ...args, ...computed(args, ctx) },
        args,
      });
      checkPreconditions(block.body, instanceScope, address);
    }
    inProgress.delete(key);
    instances.set(key, result);
    return result;
  };

  const failures = validateVariables(config, variables);
  if (failures.length > 0) throw new PlanError(`invalid variables:\n  ${failures.join('\n  ')}`, failures);

  for (const call of config.modules.values()) {
    const dir = localModuleDir(config, call);
    if (!dir) throw new PlanError(`module.${call.name}: only local module sources can be planned offline`);
    const child = await loadTerraformConfig(dir);
    const args: Record<string, Value> = {};
    for (const [arg, value] of Object.entries(call.body)) {
      if (arg === 'source' || arg === 'version' || META_ARGUMENTS.has(arg) || arg === 'providers') continue;
      args[arg] = evaluate(parseJsonValue(value), scope);
    }
    const childPlan = await planConfig(child, args, context);
    modules[call.name] = childPlan;
  }

  const resources: PlannedResource[] = [];
  try {
    for (const block of config.blocks) resources.push(...plan(block.mode, block.type, block.name));
  } catch (err) {
    if (err instanceof ExpressionError) throw new PlanError(err.message);
    throw err;
  }
  const outputs: Record<string, Value> = {};
  for (const [name, output] of config.outputs) {
    try {
      outputs[name] = evaluate(parseJsonValue(output.body.value!), scope);
    } catch (err) {
      throw new PlanError(`output ${name}: ${(err as Error).message}`);
    }
  }
  return { resources, outputs, variables, modules };
}

function bindVariables(config: TerraformConfig, inputs: Record<string, Value>): Record<string, Value> {
  const values: Record<string, Value> = {};
  const problems: string[] = [];
  for (const name of Object.keys(inputs)) {
    if (!config.variables.has(name)) problems.push(`unknown variable "${name}" (not declared in ${config.dir})`);
  }
  for (const [name, variable] of config.variables) {
    if (name in inputs && inputs[name] !== undefined) values[name] = inputs[name]!;
    else if (variable.hasDefault) values[name] = variable.body.default as Value;
    else problems.push(`variable "${name}" is required`);
    const typeProblem = name in values ? checkType(values[name]!, String(variable.body.type ?? '${any}')) : undefined;
    if (typeProblem) problems.push(`variable "${name}": ${typeProblem}`);
  }
  if (problems.length) throw new PlanError(`invalid variables:\n  ${problems.join('\n  ')}`, problems);
  return values;
}

/** Checks a value against the simple type constraints used here (primitives, list/set/map of them). */
function checkType(value: Value, typeExpr: string): string | undefined {
  if (value === null) return undefined;
  const type = typeExpr.replace(/^\$\{|\}$/g, '').replace(/\s/g, '');
  const primitive = (t: string, v: Value) =>
    t === 'any' || (t === 'string' && typeof v === 'string') || (t === 'number' && typeof v === 'number') || (t === 'bool' && typeof v === 'boolean');
  const m = /^(list|set|map)\((\w+)\)$/.exec(type);
  if (m) {
    const [, collection, element] = m;
    if (collection === 'map') {
      if (typeof value !== 'object' || Array.isArray(value)) return `must be a map(${element})`;
      return Object.values(value).every((v) => primitive(element!, v)) ? undefined : `must be a map(${element})`;
    }
    if (!Array.isArray(value)) return `must be a ${collection}(${element})`;
    return value.every((v) => primitive(element!, v)) ? undefined : `must be a ${collection}(${element})`;
  }
  if (/^\w+$/.test(type)) return primitive(type, value) ? undefined : `must be a ${type}`;
  throw new PlanError(`type constraint ${type} is not supported offline`);
}

/** Evaluates every validation block; returns the error messages of those that fail. */
export function validateVariables(config: TerraformConfig, variables: Record<string, Value>): string[] {
  const failures: string[] = [];
  const varScope: Scope = (root) => {
    if (root === 'var') return variables;
    throw new ExpressionError(`validation may only refer to var, not ${root}`);
  };
  for (const [name, variable] of config.variables) {
    for (const validation of (variable.body.validation as Body[] | undefined) ?? []) {
      let ok: Value;
      try {
        ok = evaluate(parseJsonValue(validation.condition!), varScope);
      } catch (err) {
        throw new PlanError(`validation of ${name} could not be evaluated: ${(err as Error).message}`);
      }
      if (ok !== true) failures.push(`${name}: ${validation.error_message}`);
    }
  }
  return failures;
}

function checkPreconditions(body: Body, scope: Scope, address: string) {
  for (const lifecycle of (body.lifecycle as Body[] | undefined) ?? []) {
    for (const pre of (lifecycle.precondition as Body[] | undefined) ?? []) {
      if (evaluate(parseJsonValue(pre.condition!), scope) !== true) {
        throw new PlanError(`${address}: precondition failed: ${pre.error_message}`);
      }
    }
  }
}

/**
 * Evaluates a resource body: arguments become values, nested blocks arrays of objects, and
 * `dynamic` blocks are expanded with their iterator in scope. Meta-arguments are left out.
 */
function evaluateBody(body: Body, scope: Scope): Record<string, Value> {
  const out: Record<string, Value> = {};
  // hcl2json keeps `dynamic` blocks apart from static ones, so their relative order in the source is
  // lost. Static blocks come first here; nothing may depend on the order of a mixed list (IAM
  // statements have none that matters, and the tests select statements by Sid).
  const entries = Object.entries(body).sort(([a], [b]) => Number(a === 'dynamic') - Number(b === 'dynamic'));
  for (const [key, raw] of entries) {
    if (META_ARGUMENTS.has(key)) continue;
    if (key === 'dynamic') {
      for (const [blockName, dynamics] of Object.entries(raw as Body)) {
        for (const dynamic of dynamics as Body[]) {
          const iterator = typeof dynamic.iterator === 'string' ? dynamic.iterator : blockName;
          const collection = evaluate(parseJsonValue(dynamic.for_each!), scope);
          const entries: [Value, Value][] = Array.isArray(collection)
            ? collection.map((v, i) => [i, v])
            : collection && typeof collection === 'object'
              ? Object.entries(collection)
              : [];
          const content = (dynamic.content as Body[])[0]!;
          for (const [k, v] of entries) {
            const inner: Scope = (root) => (root === iterator ? { key: k, value: v } : scope(root));
            const list = (out[blockName] as Value[] | undefined) ?? [];
            list.push(evaluateBody(content, inner));
            out[blockName] = list;
          }
        }
      }
      continue;
    }
    if (isBlockList(raw)) {
      const list = (out[key] as Value[] | undefined) ?? [];
      for (const block of raw as Body[]) list.push(evaluateBody(block, scope));
      out[key] = list;
    } else {
      out[key] = evaluate(parseJsonValue(raw), scope);
    }
  }
  return out;
}

/** hcl2json renders nested blocks as arrays of objects; attribute values are never shaped like that here. */
export function isBlockList(value: Json | undefined): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
}

export function findResource(plan: Plan, address: string): PlannedResource {
  const found = plan.resources.find((r) => r.address === address);
  if (!found) throw new Error(`${address} is not in the plan (has: ${plan.resources.map((r) => r.address).join(', ')})`);
  return found;
}
