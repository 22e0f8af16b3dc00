/**
 * Runs the real terraform CLI on a temporary copy of terraform/, with a CLI configuration written into that
 * temporary folder: nothing machine-specific lands in the repository's .tf files.
 *
 * Provider installation: when a filesystem mirror of hashicorp/aws is found (TF_PROVIDER_MIRROR, or on Linux a
 * search of the disk), terraform installs from it and never goes online; otherwise it downloads from the
 * registry as it does for any user.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './constants';
import { requireTool, runCommand, runs, type CommandResult } from './tools';

export const TERRAFORM_SOURCES = path.join(REPO_ROOT, 'terraform');

let mirror: string | null | undefined;

/** The root of a provider filesystem mirror holding hashicorp/aws, or undefined to use the registry. */
export function providerMirror(): string | undefined {
  if (mirror === undefined) mirror = process.env.TF_PROVIDER_MIRROR || findMirrorOnDisk() || null;
  return mirror ?? undefined;
}

function findMirrorOnDisk(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const found = spawnSync(
    'find',
    [
      '/',
      '-xdev',
      '-maxdepth',
      '8',
      '(',
      '-name',
      'proc',
      '-o',
      '-name',
      'node_modules',
      '-o',
      '-name',
      '.git',
      ')',
      '-prune',
      '-o',
      '-path',
      '*/registry.terraform.io/hashicorp/aws/*',
      '-name',
      'terraform-provider-aws_*',
      '-print',
      '-quit',
    ],
    { encoding: 'utf8', timeout: 20_000 },
  ).stdout?.trim();
  // <mirror>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws_... (unpacked layout)
  return found ? found.slice(0, found.indexOf('/registry.terraform.io/')) : undefined;
}

export const terraformInstalled = (): boolean => runs('terraform', ['version']);

/** Skips (or, with CI=true, fails) a suite when terraform is not installed. */
export function requireTerraform(context: Mocha.Context): void {
  requireTool(
    context,
    terraformInstalled(),
    'terraform (>= 1.7)',
    'Install it from https://developer.hashicorp.com/terraform/install; .ci/run checks it is preinstalled.',
  );
}

export type TerraformResult = CommandResult;

export interface TerraformWorkspace {
  /** The temporary copy of terraform/. */
  dir: string;
  /** Environment for terraform (and for scripts that run it): the CLI configuration and automation settings. */
  env: NodeJS.ProcessEnv;
  /** Runs terraform in a directory of the copy (relative to it); rejects on a non-zero exit unless allowed. */
  run(cwd: string, args: string[], options?: { allowExitCodes?: number[]; env?: NodeJS.ProcessEnv }): Promise<TerraformResult>;
  remove(): Promise<void>;
}

/** Copies terraform/ (without local state or provider downloads) into a temporary folder with its own CLI config. */
export async function createTerraformWorkspace(): Promise<TerraformWorkspace> {
  const base = await mkdtemp(path.join(tmpdir(), 'image-bucket-tf-'));
  const dir = path.join(base, 'terraform');
  await cp(TERRAFORM_SOURCES, dir, {
    recursive: true,
    filter: (source) => !/(^|\/)(\.terraform|\.terraform\.lock\.hcl|[^/]*\.tfstate(\.[^/]*)?)$/.test(source),
  });
  const cliConfig = path.join(base, 'cli.tfrc');
  await writeFile(cliConfig, cliConfiguration(base));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    // Plain text to match on; terraform puts these arguments right after the (sub)command.
    TF_CLI_ARGS: '-no-color',
    CHECKPOINT_DISABLE: '1',
  };
  return {
    dir,
    env,
    run: (cwd, args, options = {}) => runTerraform(path.resolve(dir, cwd), args, { ...env, ...options.env }, options.allowExitCodes ?? [0]),
    remove: () => rm(base, { recursive: true, force: true }),
  };
}

function cliConfiguration(base: string): string {
  const source = providerMirror();
  if (!source) return `plugin_cache_dir = ${JSON.stringify(path.join(base, 'plugin-cache'))}\n`;
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(source)}`,
    '    include = ["registry.terraform.io/hashicorp/*"]',
    '  }',
    '  direct {',
    '    exclude = ["registry.terraform.io/hashicorp/*"]',
    '  }',
    '}',
    '',
  ].join('\n');
}

export function runTerraform(cwd: string, args: string[], env: NodeJS.ProcessEnv, allowExitCodes = [0]): Promise<TerraformResult> {
  return runCommand('terraform', args, { cwd, env, allowExitCodes });
}
