/**
 * The type check and the linters, as tests: they start when the specs load and run beside the slow ones (real
 * applies against moto), instead of before every test. `npm run typecheck` and `npm run lint` run them alone.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './support/constants';

const bin = (name: string) => path.join(REPO_ROOT, 'node_modules', '.bin', name);

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    child.once('close', (code) => resolve({ code, output }));
  });
}

const checks = {
  'type-checks (tsc, strict)': run(bin('tsc'), ['-p', 'tsconfig.json']),
  'passes ESLint (typescript-eslint recommended)': run(bin('eslint'), ['.']),
  'is formatted as Prettier writes it': run(bin('prettier'), ['--check', '.']),
};

describe('the code', function () {
  this.timeout(180_000);
  for (const [title, check] of Object.entries(checks)) {
    it(title, async () => {
      const { code, output } = await check;
      expect(code, output).to.equal(0);
    });
  }
});
