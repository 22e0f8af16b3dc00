/** The module as real Terraform applied it against moto: the resource set, its wiring, its ordering. */
import { expect } from 'chai';
import { MOTO_DISTRIBUTION_READBACK, requireMoto } from '../support/moto';
import { requireTerraform } from '../support/terraform';
import { SCENARIO_NAMES } from '../support/scenarios';
import { appliedModule, startScenarioApplies } from './applied-module';

startScenarioApplies();

const PRODUCTION_SET = [
  'aws_cloudfront_distribution.this[0]',
  'aws_cloudfront_origin_access_control.this[0]',
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
];
const local = (address: string) => address.replace(/^module\.[\w-]+\./, '');
/**
 * What a plan after the apply may want to put back where moto stores a distribution otherwise than AWS
 * (test/support/moto.ts), and the bucket policy it then re-reads because it names the distribution. Anything else
 * in a re-plan is a real drift and fails.
 */
const MOTO_CLOUDFRONT_READBACK: Record<string, string[]> = {
  aws_cloudfront_distribution: [...MOTO_DISTRIBUTION_READBACK.certificate, ...MOTO_DISTRIBUTION_READBACK.notStored],
  aws_s3_bucket_policy: ['policy'],
};

describe('terraform/modules/image-bucket applied (real Terraform and AWS provider, against moto)', function () {
  this.timeout(300_000);
  before(function () {
    requireTerraform(this);
    requireMoto(this);
  });

  it('with its defaults: exactly the production resource set', async () => {
    const applied = await appliedModule('default');
    expect(applied.resources.map((r) => local(r.address)).sort()).to.deep.equal(PRODUCTION_SET);
  });

  it("with images from the bucket (the LocalStack root's choice): no CloudFront", async () => {
    const applied = await appliedModule('bucket-policy');
    expect(applied.resources.map((r) => local(r.address)).sort()).to.deep.equal(
      PRODUCTION_SET.filter((a) => !a.startsWith('aws_cloudfront')),
    );
    expect(applied.outputs.public_base_url).to.equal('https://inventory-images.s3.us-east-1.amazonaws.com');
  });

  it('with every switch on: adds the CORS rule, the instance profile and access logging, nothing else', async () => {
    const applied = await appliedModule('everything-switched');
    expect(applied.resources.map((r) => local(r.address)).sort()).to.deep.equal(
      [
        ...PRODUCTION_SET,
        'aws_iam_instance_profile.app[0]',
        'aws_s3_bucket_cors_configuration.this[0]',
        'aws_s3_bucket_logging.this[0]',
      ].sort(),
    );
    expect(applied.outputs.public_base_url).to.equal('https://images.example.com');
    expect(applied.outputs.app_instance_profile_name).to.equal('images-app');
  });

  it('applies the documents it outputs: the bucket policy, and the role trust policy', async () => {
    const { resources, outputs } = await appliedModule('default');
    const value = (type: string, attribute: string) =>
      JSON.parse(resources.find((r) => r.type === type)!.values[attribute] as string) as unknown;
    expect(value('aws_s3_bucket_policy', 'policy')).to.deep.equal(JSON.parse(outputs.bucket_policy_json as string));
    expect(value('aws_iam_role', 'assume_role_policy')).to.deep.equal(JSON.parse(outputs.app_trust_policy_json as string));
    expect(value('aws_iam_policy', 'policy')).to.deep.equal(JSON.parse(outputs.app_policy_json as string));
  });

  it('re-plans with no changes after the apply (CloudFront: only what moto does not store), and destroys cleanly', async () => {
    for (const scenario of SCENARIO_NAMES) {
      const applied = await appliedModule(scenario);
      const cloudfront = applied.resources.some((r) => r.type === 'aws_cloudfront_distribution');
      const unexplained = applied.replanChanges.flatMap((c) => {
        const resource = c.address.replace(/\[\d+\]$/, '').replace(/\.this$|\.app$/, '');
        const allowed = cloudfront ? (MOTO_CLOUDFRONT_READBACK[resource] ?? []) : [];
        return c.paths.filter((p) => !allowed.includes(p)).map((p) => `${c.address} ${c.actions.join('/')}: ${p}`);
      });
      expect(unexplained, scenario).to.deep.equal([]);
      expect(applied.leftAfterDestroy, 'resources in the state after terraform destroy').to.deep.equal([]);
    }
    const applied = await appliedModule('default');
    const distribution = applied.resources.find((r) => r.type === 'aws_cloudfront_distribution')!;
    expect(applied.outputs.public_base_url).to.equal(`https://${distribution.values.domain_name as string}`);
  });

  it('orders what AWS needs ordered: the policy after the public access block, lifecycle after versioning', async () => {
    const { configuration } = await appliedModule('default');
    const dependsOn = (type: string) => configuration.find((c) => c.mode === 'managed' && c.type === type)!.depends_on;
    expect(dependsOn('aws_s3_bucket_policy')).to.deep.equal(['aws_s3_bucket_public_access_block.this']);
    expect(dependsOn('aws_s3_bucket_lifecycle_configuration')).to.deep.equal(['aws_s3_bucket_versioning.this']);
  });
});
