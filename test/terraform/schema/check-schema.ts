/**
 * Checks every resource, data source and provider block of a configuration against one AWS provider schema:
 * unknown arguments and blocks, blocks written as arguments, missing required ones.
 *
 * Real `terraform validate` does this against the provider it runs (5.100.0 here). This check exists for the
 * 6.x provider, which the module accepts and users' roots run but no binary of which exists on the project's
 * machines; its schema is extracted from the CDKTF provider package (extract-provider-schema.ts), and a test
 * proves the same extraction agrees with the real 5.100.0 provider's own schema.
 */
import type { BlockSchema, ProviderSchema } from './extract-provider-schema';
import type { Body, Json, TerraformConfig } from './hcl-config';

const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);

const isBlockList = (value: Json | undefined) =>
  Array.isArray(value) && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));

function checkBody(body: Body, schema: BlockSchema, where: string, problems: string[], topLevel: boolean) {
  const present = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META_ARGUMENTS.has(key)) continue;
    if (key === 'dynamic') {
      for (const [blockName, dynamics] of Object.entries(value as Body)) {
        const nested = schema.blocks[blockName];
        if (!nested) {
          problems.push(`${where}: unknown block "${blockName}" (in dynamic)`);
          continue;
        }
        present.add(blockName);
        for (const dynamic of dynamics as Body[]) {
          for (const content of (dynamic.content as Body[] | undefined) ?? [])
            checkBody(content, nested, `${where}.${blockName}`, problems, false);
        }
      }
      continue;
    }
    const nested = schema.blocks[key];
    if (nested) {
      present.add(key);
      if (!isBlockList(value)) problems.push(`${where}: "${key}" is a block, not an argument`);
      else (value as Body[]).forEach((b, i) => checkBody(b, nested, `${where}.${key}[${i}]`, problems, false));
    } else if (key in schema.attributes) {
      present.add(key);
    } else {
      problems.push(`${where}: unknown argument "${key}"`);
    }
  }
  for (const [name, attribute] of Object.entries(schema.attributes)) {
    if (attribute.required && !present.has(name)) problems.push(`${where}: missing required argument "${name}"`);
  }
  for (const [name, block] of Object.entries(schema.blocks)) {
    if (block.required && !present.has(name)) problems.push(`${where}: missing required block "${name}"`);
  }
}

/** Every problem found, as `[aws <version>] <dir>/<file>: <block>: <problem>`; empty when the configuration fits. */
export function checkSchema(config: TerraformConfig, schema: ProviderSchema): string[] {
  const problems: string[] = [];
  const label = `[aws ${schema.provider_version}] ${config.dir}`;
  for (const block of config.blocks) {
    const where = `${label}/${block.file}: ${block.mode === 'data' ? 'data.' : ''}${block.type}.${block.name}`;
    const typeSchema = (block.mode === 'data' ? schema.data_sources : schema.resources)[block.type];
    if (!typeSchema) problems.push(`${where}: ${block.mode} type "${block.type}" does not exist in the provider`);
    else checkBody(block.body, typeSchema, where, problems, true);
  }
  for (const provider of config.providers.filter((p) => p.name === 'aws')) {
    checkBody(provider.body, schema.provider, `${label}/${provider.file}: provider "aws"`, problems, false);
  }
  return problems;
}
