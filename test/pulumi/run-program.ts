import * as pulumi from '@pulumi/pulumi';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/constants';
import { installMocks, resolve } from './mock-runtime';

const PROGRAM = path.join(REPO_ROOT, 'pulumi', 'index.ts');

/** A stack file's `config:` as the Pulumi CLI hands it to the program (non-strings as JSON). */
export function stackConfig(file = path.join(REPO_ROOT, 'Pulumi.localstack.yaml')): Record<string, string> {
  const config = (parse(readFileSync(file, 'utf8')) as { config: Record<string, unknown> }).config;
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/**
 * Runs pulumi/index.ts with the given stack config under mocks and returns its exports, resolved.
 * The program is loaded afresh each time (require cache cleared): Pulumi reads config at load.
 */
export async function runProgram(config: Record<string, string>): Promise<Record<string, unknown>> {
  await installMocks();
  pulumi.runtime.setAllConfig(config);
  delete require.cache[require.resolve(PROGRAM)];
  // require(), not import(): an import() is cached for good, and Pulumi reads config when the program loads.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(PROGRAM) as Record<string, unknown>;
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exports)) resolved[key] = await resolve(value as pulumi.Input<unknown>);
  return resolved;
}
