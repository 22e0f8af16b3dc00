/**
 * The real terraform CLI and AWS provider on every configuration in terraform/: format, init and validate,
 * and the module's own `terraform test` files (mocked provider, no AWS).
 */
import { expect } from 'chai';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { TERRAFORM_CONFIGURATIONS as CONFIGURATIONS, readRepoFile } from '../support/constants';
import { atRunEnd } from '../support/run-end';
import { createTerraformWorkspace, requireTerraform, terraformInstalled } from '../support/terraform';

const BROKEN = path.join(__dirname, 'fixtures', 'broken');
const MODULE = 'modules/image-bucket';

/**
 * Every configuration initialised as a user inits it (the AWS example's S3 backend left out: no state bucket
 * here), then validated, and the module's tests run; then the deliberate mistakes, in the same copy. Independent
 * steps run together, and all of it starts when the specs load, so that it overlaps the rest of the run. Each
 * test below checks its own result.
 */
async function runChecks() {
  const tf = await createTerraformWorkspace();
  atRunEnd(() => tf.remove());
  const format = await tf.run('.', ['fmt', '-check', '-recursive', '-diff'], { allowExitCodes: [0, 3] });
  await Promise.all(CONFIGURATIONS.map((dir) => tf.run(dir, ['init', '-backend=false', '-input=false'])));
  const validations = Object.fromEntries(
    CONFIGURATIONS.map((dir) => [dir, tf.run(dir, ['validate', '-json'], { allowExitCodes: [0, 1] })]),
  );
  const moduleTests = tf.run(MODULE, ['test'], { allowExitCodes: [0, 1] });
  await Promise.allSettled([...Object.values(validations), moduleTests]);

  // After the module's own tests: one of the mistakes is a test file of the module.
  await cp(BROKEN, path.join(tf.dir, 'broken'), { recursive: true });
  await cp(path.join(BROKEN, 'bad-test', 'wrong.tftest.hcl'), path.join(tf.dir, MODULE, 'tests', 'wrong.tftest.hcl'));
  const validateBroken = async (name: string) => {
    await tf.run(`broken/${name}`, ['init', '-backend=false', '-input=false']);
    return tf.run(`broken/${name}`, ['validate'], { allowExitCodes: [1] });
  };
  const broken = {
    unformatted: tf.run('broken/unformatted', ['fmt', '-check'], { allowExitCodes: [3] }),
    unknownArgument: validateBroken('unknown-argument'),
    aws6Only: validateBroken('aws-6-only'),
    wrongTest: tf.run(MODULE, ['test', '-filter=tests/wrong.tftest.hcl'], { allowExitCodes: [1] }),
  };
  await Promise.allSettled(Object.values(broken));
  return { format, validations, moduleTests, broken };
}
const started = terraformInstalled() ? runChecks() : undefined;
started?.catch(() => undefined);

describe('terraform CLI on terraform/ (real terraform and AWS provider)', function () {
  this.timeout(180_000);
  let checks: Awaited<ReturnType<typeof runChecks>>;

  before(async function () {
    requireTerraform(this);
    checks = await started!;
  });

  it('every file is formatted as terraform fmt writes it', () => {
    expect(checks.format.code, checks.format.stdout).to.equal(0);
  });

  for (const dir of CONFIGURATIONS) {
    it(`${dir}: terraform validate`, async () => {
      const result = await checks.validations[dir]!;
      const report = JSON.parse(result.stdout) as { valid: boolean; diagnostics: { summary: string; detail: string }[] };
      expect(report.diagnostics.map((d) => `${d.summary}: ${d.detail}`)).to.deep.equal([]);
      expect(report.valid).to.equal(true);
    });
  }

  it(`${MODULE}: terraform test passes every run of every test file`, async () => {
    const result = await checks.moduleTests;
    const summary = /(Success|Failure)! (\d+) passed, (\d+) failed(?:, (\d+) skipped)?\./.exec(result.stdout);
    expect(summary, result.stdout + result.stderr).to.not.equal(null);
    const [, verdict, passed, failed, skipped] = summary!;
    expect({ verdict, failed: Number(failed), skipped: Number(skipped ?? 0) }, result.stdout).to.deep.equal({
      verdict: 'Success',
      failed: 0,
      skipped: 0,
    });
    expect(Number(passed)).to.be.at.least(20);
  });

  describe('each step fails on its deliberate mistake', () => {
    it('fmt -check: a misaligned file', async () => {
      expect((await checks.broken.unformatted).stdout.trim()).to.equal('main.tf');
    });

    it('validate: a misspelled argument', async () => {
      expect((await checks.broken.unknownArgument).stderr).to.match(/Unsupported argument[\s\S]*"bucket_nmae"/);
    });

    it('validate: an argument only the 6.x provider knows, with 5.100.0', async () => {
      // In 5.x the bucket's region is computed only: it cannot be set.
      expect((await checks.broken.aws6Only).stderr).to.match(/Value for unconfigurable attribute[\s\S]*"region"/);
    });

    it('terraform test: a wrong assertion and an expected failure that does not happen', async () => {
      const result = await checks.broken.wrongTest;
      expect(result.stdout).to.match(/Failure! 0 passed, 2 failed\./);
      expect(result.stderr).to.include('This assertion is wrong on purpose.');
      expect(result.stderr).to.include('Missing expected failure');
    });
  });
});

describe('terraform/scan-exceptions.yaml (the static scanners the GitHub workflow runs)', () => {
  const exceptions = parse(readRepoFile('terraform/scan-exceptions.yaml')) as Record<string, Record<string, string>>;
  const workflow = readRepoFile('.github/workflows/ci.yml');

  it('gives every exception a rule id of its tool and a reason of at least a sentence', () => {
    const idOf: Record<string, RegExp> = { checkov: /^CKV2?_AWS_\d+$/, trivy: /^AVD-AWS-\d{4}$/, tflint: /^[a-z0-9_]+$/ };
    expect(Object.keys(exceptions).sort()).to.deep.equal(Object.keys(idOf).sort());
    for (const [tool, rules] of Object.entries(exceptions)) {
      for (const [id, why] of Object.entries(rules)) {
        expect(id, tool).to.match(idOf[tool]!);
        expect(why.length, `${tool} ${id}`).to.be.greaterThan(40);
      }
    }
  });

  it('is the only skip list: the workflow reads it for checkov and trivy, and pins every scanner', () => {
    expect(workflow).to.include('yaml.safe_load(open("terraform/scan-exceptions.yaml"))["checkov"]');
    expect(workflow).to.include('yaml.safe_load(open("terraform/scan-exceptions.yaml"))["trivy"]');
    for (const tool of ['CHECKOV_VERSION', 'TRIVY_VERSION', 'TFLINT_VERSION'])
      expect(workflow).to.match(new RegExp(`${tool}: \\d+\\.\\d+\\.\\d+`));
    expect(readRepoFile('terraform/.tflint.hcl')).to.match(/version = "\d+\.\d+\.\d+"/);
  });
});
