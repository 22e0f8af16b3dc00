import { expect } from 'chai';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import { SAMPLE_CONTEXT } from '../../tools/sample-account';
import { loadTerraformConfig } from '../../tools/terraform/config';
import { PlanError, findResource, planConfig, planDirectory } from '../../tools/terraform/plan';
import { runTestFile } from '../../tools/terraform/tftest';

const ROOT = path.join(__dirname, '..', '..');
const MODULE = path.join(ROOT, 'terraform', 'modules', 'image-bucket');
const LOCALSTACK = path.join(ROOT, 'terraform', 'environments', 'localstack');
const CONTEXT = SAMPLE_CONTEXT;

describe('Terraform module image-bucket (planned offline)', () => {
  const testFiles = readdirSync(path.join(MODULE, 'tests')).filter((f) => f.endsWith('.tftest.hcl'));
  for (const file of testFiles) {
    it(`passes the runs of tests/${file}`, async () => {
      const results = await runTestFile(MODULE, path.join(MODULE, 'tests', file));
      expect(results.length).to.be.greaterThan(0);
      expect(Object.fromEntries(results.map((r) => [r.run, r.problems]))).to.deep.equal(Object.fromEntries(results.map((r) => [r.run, []])));
    });
  }

  it('creates exactly the production resource set with defaults', async () => {
    const plan = await planDirectory(MODULE, { bucket_name: 'inventory-images' }, CONTEXT);
    expect(plan.resources.map((r) => r.address).sort()).to.deep.equal([
      'aws_iam_policy.app',
      'aws_iam_role.app',
      'aws_iam_role_policy_attachment.app',
      'aws_s3_bucket.this',
      'aws_s3_bucket_lifecycle_configuration.this',
      'aws_s3_bucket_ownership_controls.this',
      'aws_s3_bucket_policy.this',
      'aws_s3_bucket_public_access_block.this',
      'aws_s3_bucket_server_side_encryption_configuration.this',
      'aws_s3_bucket_versioning.this',
      'data.aws_iam_policy_document.app',
      'data.aws_iam_policy_document.app_trust',
      'data.aws_iam_policy_document.bucket',
    ]);
    expect(findResource(plan, 'aws_s3_bucket_policy.this').values.policy).to.equal(plan.outputs.bucket_policy_json);
    expect(findResource(plan, 'aws_iam_role.app').values.assume_role_policy).to.equal(plan.outputs.app_trust_policy_json);
  });

  it('the policy depends on the public access block, and lifecycle on versioning', async () => {
    const config = await loadTerraformConfig(MODULE);
    const dependsOn = (type: string) => config.blocks.find((b) => b.type === type)!.body.depends_on;
    expect(dependsOn('aws_s3_bucket_policy')).to.deep.equal(['${aws_s3_bucket_public_access_block.this}']);
    expect(dependsOn('aws_s3_bucket_lifecycle_configuration')).to.deep.equal(['${aws_s3_bucket_versioning.this}']);
  });

  describe('rejects bad inputs with the variable validation message', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['an uppercase bucket name', { bucket_name: 'Images' }, /^bucket_name: bucket_name must be 3-63 characters/],
      ['a too short bucket name', { bucket_name: 'ab' }, /^bucket_name:/],
      ['a bucket name with ".."', { bucket_name: 'a..b' }, /^bucket_name:/],
      ['an IP-like bucket name', { bucket_name: '10.0.0.1' }, /^bucket_name: bucket_name must not look like an IP address/],
      ['an "xn--" bucket name', { bucket_name: 'xn--images' }, /^bucket_name: bucket_name must not look like/],
      ['a public prefix without "/"', { bucket_name: 'ok-name', public_read_prefix: 'images' }, /^public_read_prefix:/],
      ['an empty public prefix', { bucket_name: 'ok-name', public_read_prefix: '' }, /^public_read_prefix:/],
      ['no app prefixes', { bucket_name: 'ok-name', app_object_prefixes: [] }, /^app_object_prefixes:/],
      ['zero days', { bucket_name: 'ok-name', noncurrent_version_expiration_days: 0 }, /^noncurrent_version_expiration_days:/],
      ['fractional days', { bucket_name: 'ok-name', abort_incomplete_multipart_upload_days: 1.5 }, /^abort_incomplete_multipart_upload_days:/],
      ['a CORS origin with a path', { bucket_name: 'ok-name', cors_allowed_origins: ['https://x.example/app'] }, /^cors_allowed_origins:/],
      ['a KMS alias instead of an ARN', { bucket_name: 'ok-name', kms_key_arn: 'alias/x' }, /^kms_key_arn:/],
      ['a role name with spaces', { bucket_name: 'ok-name', app_role_name: 'my role' }, /^app_role_name:/],
      ['a trusted service that is not a service', { bucket_name: 'ok-name', app_trusted_services: ['ecs-tasks'] }, /^app_trusted_services:/],
      ['a trusted role that is not a role ARN', { bucket_name: 'ok-name', app_trusted_role_arns: ['arn:aws:iam::111122223333:user/bob'] }, /^app_trusted_role_arns:/],
      ['a string where a list belongs', { bucket_name: 'ok-name', app_object_prefixes: 'images/' }, /must be a list\(string\)/],
    ];
    for (const [label, inputs, message] of cases) {
      it(label, async () => {
        const err = await planDirectory(MODULE, inputs as never, CONTEXT).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).to.be.instanceOf(PlanError);
        expect((err as PlanError).failures.some((f) => message.test(f)), (err as PlanError).failures.join('\n')).to.equal(true);
      });
    }
    it('accepts good edge values', async () => {
      await planDirectory(MODULE, { bucket_name: 'a.b-c', public_read_prefix: 'public/images/', app_object_prefixes: ['public/images/', 'data/'], cors_allowed_origins: ['*', 'http://localhost:8080'] }, CONTEXT);
    });
  });

  it('the planner refuses what it does not know rather than guess', async () => {
    const refusal = (dir: string) => planDirectory(path.join(ROOT, 'test', 'fixtures', 'terraform-broken', dir), {}, CONTEXT).then(() => undefined, (e: unknown) => e as Error);
    expect((await refusal('bad-references'))?.message).to.match(/variable "declared" is required/);
    const config = await loadTerraformConfig(MODULE);
    const bucket = config.blocks.find((b) => b.type === 'aws_s3_bucket_policy')!;
    bucket.body.policy = '${aws_s3_bucket.this.not_an_attribute}';
    const err = await planConfig(config, { bucket_name: 'inventory-images' }, CONTEXT).then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).to.equal('aws_s3_bucket.this has no attribute "not_an_attribute"');
  });

  it('the LocalStack root outputs the app settings for that bucket', async () => {
    const plan = await planDirectory(LOCALSTACK, {}, { accountId: '000000000000', region: 'us-east-1' });
    expect(plan.outputs.S3_BUCKET).to.equal('inventory-images');
    expect(plan.outputs.PUBLIC_BASE_URL).to.equal('http://localhost:4566/inventory-images');
    expect(plan.outputs.S3_ENDPOINT).to.equal('http://localhost:4566');
    const child = plan.modules.image_bucket!;
    expect(findResource(child, 'aws_s3_bucket.this').values.force_destroy).to.equal(true);
    expect(findResource(child, 'aws_s3_bucket_cors_configuration.this[0]').values.cors_rule).to.deep.equal([
      { allowed_headers: ['*'], allowed_methods: ['GET', 'HEAD'], allowed_origins: ['http://localhost:8080'], expose_headers: ['ETag'], max_age_seconds: 3600 },
    ]);
  });
});
