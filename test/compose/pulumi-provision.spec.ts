/**
 * The `pulumi` service's script (pulumi/provision.sh), run here with bash as the container runs it. The Pulumi
 * CLI cannot be had on these machines and npm's install would download ~200 MB on every run, so both are
 * replaced by recording stand-ins on PATH: what is verified is the script's own logic (which packages, at which
 * versions, installed when; the stack's salt kept; the endpoints set; `up` with --refresh), not Pulumi itself,
 * which only the GitHub workflow's end-to-end job runs.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/constants';

const SCRIPT = path.join(REPO_ROOT, 'pulumi', 'provision.sh');

describe('the compose pulumi service (pulumi/provision.sh), with recording stand-ins for pulumi and npm', () => {
  let dir: string;
  let work: string;
  let log: string;
  const lockVersion = async (name: string) =>
    (JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> })
      .packages[`node_modules/${name}`]!.version;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pulumi-provision-'));
    work = path.join(dir, 'state');
    log = path.join(dir, 'calls.log');
    const bin = path.join(dir, 'bin');
    await mkdir(bin);
    // `pulumi stack init` writes the stack's encryption salt into the stack file; select fails without a stack.
    await writeFile(
      path.join(bin, 'pulumi'),
      `#!/usr/bin/env bash\necho "pulumi $*" >> "$CALLS"\ncase "$1 $2" in\n  "stack select") grep -q '^encryptionsalt:' Pulumi.localstack.yaml ;;\n  "stack init") echo 'encryptionsalt: v1:recorded-salt' >> Pulumi.localstack.yaml ;;\nesac\n`,
    );
    await writeFile(path.join(bin, 'npm'), `#!/usr/bin/env bash\necho "npm $*" >> "$CALLS"\nmkdir -p node_modules\n`);
    await Promise.all(['pulumi', 'npm'].map((name) => chmod(path.join(bin, name), 0o755)));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = () => {
    const result = spawnSync('bash', [SCRIPT], {
      env: {
        ...process.env,
        PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
        CALLS: log,
        PULUMI_WORK_DIR: work,
        LOCALSTACK_ENDPOINT: 'http://localstack:4566',
      },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).to.equal(0);
  };
  const calls = async () => (await readFile(log, 'utf8')).trim().split('\n');

  it('first up: installs only the program packages, at the lockfile versions, creates the stack, and applies with --refresh', async () => {
    run();
    const expected = `@pulumi/pulumi@${await lockVersion('@pulumi/pulumi')} @pulumi/aws@${await lockVersion('@pulumi/aws')} typescript@${await lockVersion('typescript')}`;
    expect(await calls()).to.deep.equal([
      `npm install --no-audit --no-fund --ignore-scripts --no-package-lock ${expected}`,
      'pulumi stack select localstack',
      'pulumi stack init localstack',
      'pulumi config set --path aws:endpoints[0].s3 http://localstack:4566',
      'pulumi config set --path aws:endpoints[0].iam http://localstack:4566',
      'pulumi config set --path aws:endpoints[0].sts http://localstack:4566',
      'pulumi up --yes --refresh --skip-preview --stack localstack',
      'pulumi stack output --stack localstack',
    ]);
  });

  it('second up: installs nothing, keeps the stack (and its salt), takes the current settings, and applies with --refresh again', async () => {
    await writeFile(log, '');
    run();
    const second = await calls();
    expect(second.filter((c) => c.startsWith('npm '))).to.deep.equal([]);
    expect(second).to.include('pulumi stack select localstack').and.not.include('pulumi stack init localstack');
    expect(second).to.include('pulumi up --yes --refresh --skip-preview --stack localstack');
    const stackFile = await readFile(path.join(work, 'project', 'Pulumi.localstack.yaml'), 'utf8');
    expect(stackFile.match(/^encryptionsalt: v1:recorded-salt$/gm)).to.have.length(1);
    expect(stackFile).to.include(await readFile(path.join(REPO_ROOT, 'Pulumi.localstack.yaml'), 'utf8'));
  });
});
