import { spawnSync } from 'node:child_process';

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
