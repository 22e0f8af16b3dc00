/**
 * The real terraform CLI and AWS provider on every configuration in terraform/: format, init and validate,
 * and the module's own `terraform test` files (mocked provider, no AWS).
 */
import { expect } from 'chai';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { TERRAFORM_CONFIGURATIONS as CONFIGURATIONS } from '../support/constants';
import { createTerraformWorkspace, requireTerraform, type TerraformResult, type TerraformWorkspace } from '../support/terraform';

const BROKEN = path.join(__dirname, 'fixtures', 'broken');
const MODULE = 'modules/image-bucket';

describe('terraform CLI on terraform/ (real terraform and AWS provider)', function () {
  this.timeout(180_000);
  let tf: TerraformWorkspace;
  let validations: Record<string, Promise<TerraformResult>>;
  let moduleTests: Promise<TerraformResult>;

  before(async function () {
    requireTerraform(this);
    tf = await createTerraformWorkspace();
    // Each configuration as a user inits it; the AWS example's S3 backend is left out (no state bucket here).
    await Promise.all(CONFIGURATIONS.map((dir) => tf.run(dir, ['init', '-backend=false', '-input=false'])));
    // Independent, so run together; each test below checks its own result.
    validations = Object.fromEntries(CONFIGURATIONS.map((dir) => [dir, tf.run(dir, ['validate', '-json'], { allowExitCodes: [0, 1] })]));
    moduleTests = tf.run(MODULE, ['test'], { allowExitCodes: [0, 1] });
    await Promise.allSettled([...Object.values(validations), moduleTests]);
  });
  after(async () => {
    await tf?.remove();
  });

  it('every file is formatted as terraform fmt writes it', async () => {
    const result = await tf.run('.', ['fmt', '-check', '-recursive', '-diff'], { allowExitCodes: [0, 3] });
    expect(result.code, result.stdout).to.equal(0);
  });

  for (const dir of CONFIGURATIONS) {
    it(`${dir}: terraform validate`, async () => {
      const result = await validations[dir]!;
      const report = JSON.parse(result.stdout) as { valid: boolean; diagnostics: { summary: string; detail: string }[] };
      expect(report.diagnostics.map((d) => `${d.summary}: ${d.detail}`)).to.deep.equal([]);
      expect(report.valid).to.equal(true);
    });
  }

  it(`${MODULE}: terraform test passes every run of every test file`, async () => {
    const result = await moduleTests;
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
    before(async () => {
      await cp(BROKEN, path.join(tf.dir, 'broken'), { recursive: true });
    });

    it('fmt -check: a misaligned file', async () => {
      const result = await tf.run('broken/unformatted', ['fmt', '-check'], { allowExitCodes: [3] });
      expect(result.stdout.trim()).to.equal('main.tf');
    });

    const validateBroken = async (name: string) => {
      await tf.run(`broken/${name}`, ['init', '-backend=false', '-input=false']);
      return tf.run(`broken/${name}`, ['validate'], { allowExitCodes: [1] });
    };

    it('validate: a misspelled argument', async () => {
      const result = await validateBroken('unknown-argument');
      expect(result.stderr).to.match(/Unsupported argument[\s\S]*"bucket_nmae"/);
    });

    it('validate: an argument only the 6.x provider knows, with 5.100.0', async () => {
      const result = await validateBroken('aws-6-only');
      // In 5.x the bucket's region is computed only: it cannot be set.
      expect(result.stderr).to.match(/Value for unconfigurable attribute[\s\S]*"region"/);
    });

    it('terraform test: a wrong assertion and an expected failure that does not happen', async () => {
      await cp(path.join(BROKEN, 'bad-test', 'wrong.tftest.hcl'), path.join(tf.dir, MODULE, 'tests', 'wrong.tftest.hcl'));
      const result = await tf.run(MODULE, ['test', '-filter=tests/wrong.tftest.hcl'], { allowExitCodes: [1] });
      expect(result.stdout).to.match(/Failure! 0 passed, 2 failed\./);
      expect(result.stderr).to.include('This assertion is wrong on purpose.');
      expect(result.stderr).to.include('Missing expected failure');
    });
  });
});
