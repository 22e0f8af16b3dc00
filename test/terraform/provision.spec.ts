/**
 * docker compose's `terraform` service, verified with the same script file against moto (no Docker and no
 * LocalStack on the project's machines): empty, then already provisioned, then restarted empty, then destroyed.
 */
import { expect } from 'chai';
import { BUCKET, SAMPLE_ACCOUNT_ID } from '../support/constants';
import { requireMoto } from '../support/moto';
import { requireTerraform } from '../support/terraform';
import { provisioningSequence, type ProvisioningSequence } from './localstack-provisioning';

// Started at load time: the sequence takes minutes and overlaps the rest of the run.
const started = provisioningSequence();

describe('the compose terraform service (terraform/environments/localstack/provision.sh) against moto', function () {
  this.timeout(420_000);
  let sequence: ProvisioningSequence;

  before(async function () {
    requireTerraform(this);
    requireMoto(this);
    sequence = await started!;
  });

  it('on an empty emulator: creates everything and outputs the app settings', async () => {
    const run = await sequence.first;
    expect(run.script.stdout).to.match(/Apply complete! Resources: 11 added, 0 changed, 0 destroyed\./);
    expect(run.outputs).to.deep.include({
      S3_BUCKET: BUCKET,
      PUBLIC_BASE_URL: `http://localhost:4566/${BUCKET}`,
      S3_ENDPOINT: sequence.moto.endpoint,
      app_role_arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:role/${BUCKET}-app`,
    });
  });

  it('the bucket and the role carry what the module promises (read back with the AWS SDK)', async () => {
    const found = await sequence.inspection;
    expect(found.objectOwnership).to.equal('BucketOwnerEnforced');
    expect(found.publicAccessBlock).to.deep.include({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    const sids = found.bucketPolicy.Statement.map((s) => s.Sid);
    expect(sids).to.have.members(['PublicReadImages', 'DenyInsecureTransport']);
    const publicRead = found.bucketPolicy.Statement.find((s) => s.Sid === 'PublicReadImages')!;
    expect([publicRead.Principal, publicRead.Action, publicRead.Resource]).to.deep.equal([
      '*',
      's3:GetObject',
      `arn:aws:s3:::${BUCKET}/images/*`,
    ]);
    const tlsOnly = found.bucketPolicy.Statement.find((s) => s.Sid === 'DenyInsecureTransport')!;
    expect([tlsOnly.Effect, tlsOnly.Condition]).to.deep.equal(['Deny', { Bool: { 'aws:SecureTransport': 'false' } }]);
    expect(found.encryption).to.deep.equal([{ algorithm: 'AES256', bucketKey: false }]);
    expect(found.versioning).to.equal('Enabled');
    expect(found.lifecycleRules).to.have.deep.members([
      { id: 'abort-incomplete-multipart-uploads', status: 'Enabled', abortDays: 1, noncurrentDays: undefined },
      { id: 'expire-noncurrent-versions', status: 'Enabled', abortDays: undefined, noncurrentDays: 30 },
      { id: 'remove-expired-delete-markers', status: 'Enabled', abortDays: undefined, noncurrentDays: undefined },
    ]);
    expect(found.corsRules).to.deep.equal([{ origins: ['http://localhost:8080'], methods: ['GET', 'HEAD'] }]);
    expect(found.trustPolicy.Statement).to.deep.equal([
      {
        Sid: 'AssumeByServicesOfThisAccount',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': SAMPLE_ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:aws:ecs:us-east-1:${SAMPLE_ACCOUNT_ID}:*` },
        },
      },
    ]);
    expect(found.attachedPolicies).to.deep.equal([`${BUCKET}-app-s3`]);
    expect(found.appPolicy.Statement.map((s) => s.Sid)).to.have.members(['ReadWriteAppObjects', 'ListBucket']);
    const readWrite = found.appPolicy.Statement.find((s) => s.Sid === 'ReadWriteAppObjects')!;
    expect(readWrite.Resource).to.have.members([`arn:aws:s3:::${BUCKET}/images/*`, `arn:aws:s3:::${BUCKET}/inventory/*`]);
  });

  it('run again with nothing changed: changes nothing, and a plan after it is empty', async () => {
    const run = await sequence.second;
    expect(run.script.stdout).to.match(/No changes\. Your infrastructure matches the configuration\./);
    expect(run.script.stdout).to.match(/Apply complete! Resources: 0 added, 0 changed, 0 destroyed\./);
    expect(run.planExitCode).to.equal(0);
  });

  it('after the emulator restarts empty (as LocalStack community does), the same script converges again', async () => {
    expect(await sequence.afterRestartBuckets, 'the restarted emulator must start empty').to.deep.equal([]);
    const run = await sequence.afterRestart;
    expect(run.script.stdout).to.match(/Apply complete! Resources: 11 added, 0 changed, 0 destroyed\./);
    expect(run.outputs.S3_BUCKET).to.equal(BUCKET);
  });

  it('terraform destroy leaves nothing behind', async () => {
    expect(await sequence.afterDestroy).to.deep.equal({ buckets: [], roles: [], policies: [] });
  });
});
