/** The module as real Terraform applied it against moto: the resource set, its wiring, its ordering. */
import { expect } from 'chai';
import { requireMoto } from '../support/moto';
import { requireTerraform } from '../support/terraform';
import { appliedModule, startScenarioApplies } from './applied-module';

startScenarioApplies();

const PRODUCTION_SET = [
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

  it('with every switch on: adds the CORS rule and the instance profile, nothing else', async () => {
    const applied = await appliedModule('everything-switched');
    expect(applied.resources.map((r) => local(r.address)).sort()).to.deep.equal(
      [...PRODUCTION_SET, 'aws_iam_instance_profile.app[0]', 'aws_s3_bucket_cors_configuration.this[0]'].sort(),
    );
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

  it('orders what AWS needs ordered: the policy after the public access block, lifecycle after versioning', async () => {
    const { configuration } = await appliedModule('default');
    const dependsOn = (type: string) => configuration.find((c) => c.mode === 'managed' && c.type === type)!.depends_on;
    expect(dependsOn('aws_s3_bucket_policy')).to.deep.equal(['aws_s3_bucket_public_access_block.this']);
    expect(dependsOn('aws_s3_bucket_lifecycle_configuration')).to.deep.equal(['aws_s3_bucket_versioning.this']);
  });
});
