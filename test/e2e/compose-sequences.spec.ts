import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/constants';
import { requireTool, runs } from '../support/tools';

const AIRGAP_OVERRIDE = path.join(REPO_ROOT, 'test', 'e2e', 'airgap', 'compose.airgap.yml');

/** The images the air-gapped override names (build-images.sh builds them). */
function airgapImages(): string[] {
  const override = parse(readFileSync(AIRGAP_OVERRIDE, 'utf8')) as {
    services: Record<string, { image?: string; build?: { args?: Record<string, string> } }>;
  };
  return Object.values(override.services).flatMap((s) => [s.image, s.build?.args?.NODE_IMAGE].filter((i) => i !== undefined));
}

/** Runs the script to its end; resolves its exit code and everything it printed. */
function runScript(env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(REPO_ROOT, 'test', 'e2e', 'compose-sequences.sh'), 'terraform'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

describe('docker compose, end to end (test/e2e/compose-sequences.sh, Terraform profile)', function () {
  it('takes a user from nothing to a working app, through uploads, a second up, a LocalStack restart, a stop mid-upload and down -v', async function () {
    this.timeout(30 * 60_000);
    requireTool(
      this,
      runs('docker', ['info']) && runs('docker', ['compose', 'version']),
      'A running Docker engine with Compose v2',
      'On Debian 12, as root: bash test/e2e/airgap/setup-docker.sh',
    );
    // Where a registry is reachable, E2E_IMAGES=upstream runs the real images (as the GitHub workflow does).
    const images = process.env.E2E_IMAGES ?? 'airgap';
    if (images === 'airgap') {
      requireTool(
        this,
        airgapImages().every((image) => runs('docker', ['image', 'inspect', image])),
        `The locally built images (${airgapImages().join(', ')})`,
        'As root: bash test/e2e/airgap/build-images.sh (or set E2E_IMAGES=upstream where a registry is reachable)',
      );
      expect(process.env.TF_PROVIDER_MIRROR, 'TF_PROVIDER_MIRROR: the AWS provider mirror (.ci/run finds it)').to.be.a('string');
    }
    const { code, output } = await runScript({ ...process.env, E2E_IMAGES: images, E2E_SWITCH_PROFILES: images === 'airgap' ? '0' : '1' });
    const timings = output.split('\n').filter((line) => line.startsWith('timing '));
    console.log(`\n      ${timings.join('\n      ')}\n`);
    const lines = output.split('\n');
    const steps = lines.filter((line) => /^(==|FAIL)/.test(line));
    expect(code, `the script failed:\n${steps.join('\n')}\nits last lines:\n${lines.slice(-40).join('\n')}`).to.equal(0);
    expect(output).to.contain('compose sequences passed (terraform)');
  });
});
