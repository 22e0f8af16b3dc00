import { spawn, spawnSync } from 'node:child_process';

/** True when `command args` runs and exits 0 (the tool is installed and on PATH). */
export function runs(command: string, args: string[] = ['--version']): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  return result.error === undefined && result.status === 0;
}

/**
 * Tests that need an external tool: in CI (CI=true) a missing tool fails the run, saying what is missing;
 * on a developer's machine those tests are skipped with a notice that says how to install it.
 */
export function requireTool(context: Mocha.Context, available: boolean, what: string, howToInstall: string): void {
  if (available) return;
  if (process.env.CI === 'true') throw new Error(`${what} is missing. ${howToInstall}`);
  console.warn(`\n  [skipped] ${what} is not installed. ${howToInstall}\n`);
  context.skip();
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end and collects its output; rejects (with the output) on an exit code not allowed. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; allowExitCodes?: number[] } = {},
): Promise<CommandResult> {
  const allowed = options.allowExitCodes ?? [0];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const result = { code: code ?? -1, stdout, stderr };
      if (allowed.includes(result.code)) resolve(result);
      else
        reject(
          new Error(
            `${command} ${args.join(' ')}${options.cwd ? ` (in ${options.cwd})` : ''} exited with ${result.code}\n${stderr || stdout}`,
          ),
        );
    });
  });
}
