/**
 * Loads a Terraform configuration directory (a module or a root) with HashiCorp's HCL parser
 * (compiled to WASM in @cdktn/hcl2json) into a structure the checks and the planner share.
 */
import { parse } from '@cdktn/hcl2json';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Body = { [key: string]: Json };

export interface Variable {
  name: string;
  file: string;
  body: Body;
  hasDefault: boolean;
}

export interface BlockRef {
  /** `resource` or `data`. */
  mode: 'resource' | 'data';
  type: string;
  name: string;
  file: string;
  body: Body;
}

export interface ModuleCall {
  name: string;
  file: string;
  source: string;
  body: Body;
}

export interface TerraformConfig {
  dir: string;
  files: { name: string; source: string; json: Body }[];
  variables: Map<string, Variable>;
  locals: Map<string, { file: string; value: Json }>;
  blocks: BlockRef[];
  outputs: Map<string, { file: string; body: Body }>;
  modules: Map<string, ModuleCall>;
  /** provider blocks, terraform blocks, checks: kept for the schema and reference checks. */
  providers: { name: string; file: string; body: Body }[];
  terraformBlocks: Body[];
}

export const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);

const single = (value: Json, what: string): Body => {
  if (!Array.isArray(value) || value.length !== 1 || typeof value[0] !== 'object' || value[0] === null || Array.isArray(value[0])) {
    throw new Error(`${what}: expected exactly one block`);
  }
  return value[0] as Body;
};

/** Parses one HCL file; a syntax error rejects with the parser's message and position. */
export async function parseHcl(name: string, source: string): Promise<Body> {
  return (await parse(name, source)) as Body;
}

export async function loadTerraformConfig(dir: string): Promise<TerraformConfig> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort();
  const config: TerraformConfig = {
    dir,
    files: [],
    variables: new Map(),
    locals: new Map(),
    blocks: [],
    outputs: new Map(),
    modules: new Map(),
    providers: [],
    terraformBlocks: [],
  };
  for (const name of names) {
    const source = await readFile(path.join(dir, name), 'utf8');
    const json = await parseHcl(name, source);
    config.files.push({ name, source, json });
    for (const [kind, content] of Object.entries(json)) {
      switch (kind) {
        case 'variable':
          for (const [varName, blocks] of Object.entries(content as Body)) {
            if (config.variables.has(varName)) throw new Error(`${name}: variable "${varName}" declared twice`);
            const body = single(blocks, `variable ${varName}`);
            config.variables.set(varName, { name: varName, file: name, body, hasDefault: 'default' in body });
          }
          break;
        case 'locals':
          for (const block of content as Body[]) {
            for (const [localName, value] of Object.entries(block)) {
              if (config.locals.has(localName)) throw new Error(`${name}: local "${localName}" defined twice`);
              config.locals.set(localName, { file: name, value });
            }
          }
          break;
        case 'resource':
        case 'data':
          for (const [type, byName] of Object.entries(content as Body)) {
            for (const [blockName, blocks] of Object.entries(byName as Body)) {
              if (config.blocks.some((b) => b.mode === kind && b.type === type && b.name === blockName)) {
                throw new Error(`${name}: ${kind} ${type}.${blockName} declared twice`);
              }
              config.blocks.push({ mode: kind, type, name: blockName, file: name, body: single(blocks, `${type}.${blockName}`) });
            }
          }
          break;
        case 'output':
          for (const [outName, blocks] of Object.entries(content as Body)) {
            config.outputs.set(outName, { file: name, body: single(blocks, `output ${outName}`) });
          }
          break;
        case 'module':
          for (const [modName, blocks] of Object.entries(content as Body)) {
            const body = single(blocks, `module ${modName}`);
            if (typeof body.source !== 'string') throw new Error(`${name}: module "${modName}" has no literal source`);
            config.modules.set(modName, { name: modName, file: name, source: body.source, body });
          }
          break;
        case 'provider':
          for (const [provider, blocks] of Object.entries(content as Body)) {
            for (const body of blocks as Body[]) config.providers.push({ name: provider, file: name, body });
          }
          break;
        case 'terraform':
          config.terraformBlocks.push(...(content as Body[]));
          break;
        default:
          throw new Error(`${name}: top-level "${kind}" blocks are not understood by the offline checks`);
      }
    }
  }
  return config;
}

/** A module call's source resolved to a directory, for local sources ("./" or "../"). */
export function localModuleDir(config: TerraformConfig, call: ModuleCall): string | undefined {
  return call.source.startsWith('./') || call.source.startsWith('../') ? path.resolve(config.dir, call.source) : undefined;
}
