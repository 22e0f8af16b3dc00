/**
 * The type check and the linters, as tests: they start when the specs load and run beside the slow ones (real
 * applies against moto), instead of before every test. `npm run typecheck` and `npm run lint` run them alone.
 */
import { expect } from 'chai';
import path from 'node:path';
import { REPO_ROOT } from './support/constants';
import { runCommand } from './support/tools';

const bin = (name: string) => path.join(REPO_ROOT, 'node_modules', '.bin', name);

const checks = {
  'type-checks (tsc, strict)': runCommand(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: REPO_ROOT, allowExitCodes: [0, 1, 2] }),
  'passes ESLint (typescript-eslint recommended)': runCommand(bin('eslint'), ['.'], { cwd: REPO_ROOT, allowExitCodes: [0, 1, 2] }),
  'is formatted as Prettier writes it': runCommand(bin('prettier'), ['--check', '.'], { cwd: REPO_ROOT, allowExitCodes: [0, 1, 2] }),
};

// Awaited by the tests below; until then a failure to run at all must not count as unhandled.
for (const check of Object.values(checks)) check.catch(() => undefined);

describe('the code', function () {
  this.timeout(180_000);
  for (const [title, check] of Object.entries(checks)) {
    it(title, async () => {
      const { code, stdout, stderr } = await check;
      expect(code, stdout + stderr).to.equal(0);
    });
  }
});
