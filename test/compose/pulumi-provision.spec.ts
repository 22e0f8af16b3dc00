/**
 * The `pulumi` service's script (pulumi/provision.sh), run here with bash as the container runs it. The Pulumi
 * CLI cannot be had on these machines and npm's install would download ~200 MB on every run, so both are
 * replaced by recording stand-ins on PATH: what is verified is the script's own logic (which packages, at which
 * versions, installed when; the stack's salt kept; the endpoints set; `up` with --refresh), not Pulumi itself,
 * which only the GitHub workflow's end-to-end job runs.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { appendFile, chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/constants';

/**
 * The stand-in answers as Pulumi's file backend does: nothing works until its folder exists, `stack select`
 * fails for a stack that is not there (unless --create), creating a stack writes its salt into the stack file
 * if it has none, and a stack file with a duplicate key is refused.
 */
const PULUMI_STAND_IN = `#!/usr/bin/env bash
echo "pulumi $*" >> "$CALLS"
backend=\${PULUMI_BACKEND_URL#file://}
[ -d "$backend" ] || { echo "error: could not create the file backend: $backend does not exist" >&2; exit 1; }
[ "$(grep -c '^encryptionsalt:' Pulumi.localstack.yaml)" -le 1 ] || { echo 'error: mapping key "encryptionsalt" already defined' >&2; exit 1; }
case "$1 $2" in
  "stack select")
    if [ ! -f "$backend/localstack" ]; then
      [ "$3" = --create ] || { echo "error: no stack named 'localstack' found" >&2; exit 1; }
      touch "$backend/localstack"
      grep -q '^encryptionsalt:' Pulumi.localstack.yaml || echo 'encryptionsalt: v1:volume-salt' >> Pulumi.localstack.yaml
    fi ;;
esac
`;

describe('the compose pulumi service (pulumi/provision.sh), with recording stand-ins for pulumi and npm', () => {
  let dir: string;
  let sources: string;
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
    // A copy of what compose mounts, so a test can change the tracked stack file as a user's host would.
    sources = path.join(dir, 'src');
    for (const file of ['pulumi', 'Pulumi.yaml', 'Pulumi.localstack.yaml', 'package-lock.json'])
      await cp(path.join(REPO_ROOT, file), path.join(sources, file), { recursive: true });
    await writeFile(path.join(bin, 'pulumi'), PULUMI_STAND_IN);
    await writeFile(path.join(bin, 'npm'), `#!/usr/bin/env bash\necho "npm $*" >> "$CALLS"\nmkdir -p node_modules\n`);
    await Promise.all(['pulumi', 'npm'].map((name) => chmod(path.join(bin, name), 0o755)));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = () => {
    const result = spawnSync('bash', [path.join(sources, 'pulumi', 'provision.sh')], {
      env: {
        ...process.env,
        PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
        CALLS: log,
        PULUMI_WORK_DIR: work,
        PULUMI_BACKEND_URL: `file://${work}/backend`,
        LOCALSTACK_ENDPOINT: 'http://localstack:4566',
      },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).to.equal(0);
  };
  const calls = async () => (await readFile(log, 'utf8')).trim().split('\n');

  it('first up: creates the backend folder, installs only the program packages at the lockfile versions, creates the stack, and applies with --refresh', async () => {
    run();
    const expected = `@pulumi/pulumi@${await lockVersion('@pulumi/pulumi')} @pulumi/aws@${await lockVersion('@pulumi/aws')} typescript@${await lockVersion('typescript')}`;
    expect(await calls()).to.deep.equal([
      `npm install --no-audit --no-fund --ignore-scripts --no-package-lock ${expected}`,
      'pulumi stack select --create localstack',
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
    expect(second).to.include('pulumi stack select --create localstack');
    expect(second).to.include('pulumi up --yes --refresh --skip-preview --stack localstack');
    const stackFile = await readFile(path.join(work, 'project', 'Pulumi.localstack.yaml'), 'utf8');
    expect(stackFile.match(/^encryptionsalt: .*$/gm)).to.deep.equal(['encryptionsalt: v1:volume-salt']);
    expect(stackFile).to.include(await readFile(path.join(REPO_ROOT, 'Pulumi.localstack.yaml'), 'utf8'));
  });

  it('after `pulumi stack init` on the host (a salt in the tracked stack file): one salt, the one of the stack in the volume', async () => {
    await appendFile(path.join(sources, 'Pulumi.localstack.yaml'), 'encryptionsalt: v1:host-salt\n');
    await writeFile(log, '');
    run();
    expect(await calls()).to.include('pulumi up --yes --refresh --skip-preview --stack localstack');
    const stackFile = await readFile(path.join(work, 'project', 'Pulumi.localstack.yaml'), 'utf8');
    expect(stackFile.match(/^encryptionsalt: .*$/gm)).to.deep.equal(['encryptionsalt: v1:volume-salt']);
  });
});
