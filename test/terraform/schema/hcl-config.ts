/**
 * Reads a Terraform configuration directory with HashiCorp's HCL parser (compiled to WASM in @cdktn/hcl2json)
 * into its variables, outputs, resource and data blocks and provider blocks. Used where no terraform binary
 * can answer: the check against the 6.x provider schema, and the module README's generated tables.
 */
import { parse } from '@cdktn/hcl2json';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Body = { [key: string]: Json };

export interface Variable {
  name: string;
  body: Body;
  hasDefault: boolean;
}

export interface BlockRef {
  mode: 'resource' | 'data';
  type: string;
  name: string;
  file: string;
  body: Body;
}

export interface TerraformConfig {
  dir: string;
  variables: Map<string, Variable>;
  outputs: Map<string, Body>;
  blocks: BlockRef[];
  providers: { name: string; file: string; body: Body }[];
}

const single = (value: Json, what: string): Body => {
  if (!Array.isArray(value) || value.length !== 1 || typeof value[0] !== 'object' || value[0] === null || Array.isArray(value[0])) {
    throw new Error(`${what}: expected exactly one block`);
  }
  return value[0] as Body;
};

export async function loadTerraformConfig(dir: string): Promise<TerraformConfig> {
  const config: TerraformConfig = { dir, variables: new Map(), outputs: new Map(), blocks: [], providers: [] };
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort()) {
    const json = (await parse(file, await readFile(path.join(dir, file), 'utf8'))) as Body;
    for (const [kind, content] of Object.entries(json)) {
      if (kind === 'variable') {
        for (const [name, blocks] of Object.entries(content as Body)) {
          const body = single(blocks, `variable ${name}`);
          config.variables.set(name, { name, body, hasDefault: 'default' in body });
        }
      } else if (kind === 'output') {
        for (const [name, blocks] of Object.entries(content as Body)) config.outputs.set(name, single(blocks, `output ${name}`));
      } else if (kind === 'resource' || kind === 'data') {
        for (const [type, byName] of Object.entries(content as Body)) {
          for (const [name, blocks] of Object.entries(byName as Body)) {
            config.blocks.push({ mode: kind, type, name, file, body: single(blocks, `${type}.${name}`) });
          }
        }
      } else if (kind === 'provider') {
        for (const [name, blocks] of Object.entries(content as Body)) {
          for (const body of blocks as Body[]) config.providers.push({ name, file, body });
        }
      }
    }
  }
  return config;
}
