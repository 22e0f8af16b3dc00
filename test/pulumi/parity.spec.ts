import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { runMatrix } from '../../tools/authz/matrix';
import { pulumiPolicies } from '../../tools/authz/pulumi-policies';
import { terraformPolicies } from '../../tools/authz/terraform-policies';
import { SAMPLE_CONTEXT } from '../../tools/sample-account';
import type { Value } from '../../tools/terraform/expression';
import { PlanError, planDirectory } from '../../tools/terraform/plan';
import { MODULE_DIR } from '../../tools/authz/terraform-policies';
import { TYPE_MAP, compareSnapshots, pulumiSnapshot, runPulumiComponent, terraformSnapshot, toPulumiArgs } from '../../tools/parity/snapshot';
import { COMPARISON_DOC, generateComparisonDoc } from '../../scripts/write-iac-comparison';

const KMS = 'arn:aws:kms:us-east-1:111122223333:key/0c1d2e3f-0000-4000-8000-000000000000';

/** The same inputs, given to both tools. */
export const PARITY_CASES: Record<string, Record<string, Value>> = {
  defaults: { bucket_name: 'inventory-images' },
  'public read off': { bucket_name: 'inventory-images', public_read_prefix: null },
  'KMS key': { bucket_name: 'inventory-images', public_read_prefix: null, kms_key_arn: KMS },
  'everything switched': {
    bucket_name: 'acme-images-prod',
    public_read_prefix: 'public/',
    app_object_prefixes: ['public/', 'data/'],
    cors_allowed_origins: ['https://inventory.example.com', 'http://localhost:8080'],
    force_destroy: true,
    versioning_enabled: false,
    noncurrent_version_expiration_days: 7,
    abort_incomplete_multipart_upload_days: 3,
    app_role_name: 'images-app',
    app_trusted_services: ['ecs-tasks.amazonaws.com', 'ec2.amazonaws.com'],
    app_trusted_role_arns: ['arn:aws:iam::111122223333:role/deployer'],
    create_instance_profile: true,
    tags: { Team: 'platform' },
  },
};

describe('parity: the Terraform module and the Pulumi component build the same thing', () => {
  for (const [label, inputs] of Object.entries(PARITY_CASES)) {
    it(`${label}: same resources, settings, dependencies and policies`, async () => {
      const tf = await terraformSnapshot(inputs);
      const pu = await pulumiSnapshot(toPulumiArgs(inputs));
      expect(compareSnapshots(tf, pu)).to.deep.equal([]);
      expect(Object.keys(tf.resources).length).to.be.at.least(10);
    });
  }

  it('maps every resource type either tool creates', async () => {
    const pu = await pulumiSnapshot(toPulumiArgs(PARITY_CASES['everything switched']!));
    expect(Object.keys(pu.resources).sort()).to.deep.equal(Object.keys(TYPE_MAP).sort());
  });

  it('the authorization matrix gives identical verdicts on the Pulumi policies', async () => {
    const tf = await runMatrix(terraformPolicies);
    const pu = await runMatrix(pulumiPolicies);
    expect(pu.map((r) => r.actual)).to.deep.equal(tf.map((r) => r.actual));
    expect(pu.filter((r) => r.actual !== r.expected)).to.deep.equal([]);
  });

  describe('catches a deliberate divergence', () => {
    it('one extra action in the app policy', async () => {
      const tf = await terraformSnapshot(PARITY_CASES.defaults!);
      const pu = await pulumiSnapshot(toPulumiArgs(PARITY_CASES.defaults!));
      const statement = pu.policies.app.Statement.find((s) => s.Sid === 'ReadWriteAppObjects')!;
      statement.Action = [...(statement.Action as string[]), 's3:PutObjectAcl'];
      expect(compareSnapshots(tf, pu)).to.deep.equal([
        'app policy.ReadWriteAppObjects.Action: terraform ["s3:AbortMultipartUpload","s3:DeleteObject","s3:GetObject","s3:ListMultipartUploadParts","s3:PutObject"], pulumi ["s3:AbortMultipartUpload","s3:DeleteObject","s3:GetObject","s3:ListMultipartUploadParts","s3:PutObject","s3:PutObjectAcl"]',
      ]);
    });

    it('one flipped public access flag', async () => {
      const tf = await terraformSnapshot(PARITY_CASES.defaults!);
      const pu = await pulumiSnapshot(toPulumiArgs(PARITY_CASES.defaults!));
      pu.resources.aws_s3_bucket_public_access_block!.ignore_public_acls = false;
      expect(compareSnapshots(tf, pu)).to.deep.equal(['aws_s3_bucket_public_access_block.ignore_public_acls: terraform true, pulumi false']);
    });

    it('a missing resource and a missing dependency', async () => {
      const tf = await terraformSnapshot(PARITY_CASES.defaults!);
      const pu = await pulumiSnapshot(toPulumiArgs(PARITY_CASES.defaults!));
      delete pu.resources.aws_s3_bucket_versioning;
      pu.dependencies = pu.dependencies.filter((d) => !d.startsWith('aws_s3_bucket_policy'));
      const diffs = compareSnapshots(tf, pu);
      expect(diffs).to.include('aws_s3_bucket_versioning: created by Terraform only');
      expect(diffs.some((d) => d.startsWith('explicit dependencies differ'))).to.equal(true);
    });
  });

  describe('both refuse the same bad inputs', () => {
    const bad: Record<string, Value>[] = [
      { bucket_name: 'Images' },
      { bucket_name: '10.0.0.1' },
      { bucket_name: 'ok-name', public_read_prefix: '' },
      { bucket_name: 'ok-name', app_object_prefixes: ['images'] },
      { bucket_name: 'ok-name', noncurrent_version_expiration_days: 0 },
      { bucket_name: 'ok-name', cors_allowed_origins: ['https://x.example/'] },
      { bucket_name: 'ok-name', kms_key_arn: 'alias/x' },
      { bucket_name: 'ok-name', kms_key_arn: KMS },
      { bucket_name: 'ok-name', app_trusted_services: [] },
    ];
    for (const inputs of bad) {
      it(JSON.stringify(inputs), async () => {
        const tfError = await planDirectory(MODULE_DIR, inputs, SAMPLE_CONTEXT).then(() => undefined, (e: unknown) => e);
        const puError = await runPulumiComponent(toPulumiArgs(inputs)).then(() => undefined, (e: unknown) => e);
        expect(tfError).to.be.instanceOf(PlanError);
        expect(puError).to.be.instanceOf(Error);
        // Same message text: Pulumi prefixes the camelCase argument name, Terraform names the variable.
        const tfMessages = (tfError as PlanError).failures.map((f) => f.replace(/^[\w.]+: (precondition failed: )?/, ''));
        expect(String((puError as Error).message)).to.include(tfMessages[0]!);
      });
    }
  });
});

describe('docs/iac-comparison.md', () => {
  it('its generated table matches the parity data', async () => {
    expect(readFileSync(COMPARISON_DOC, 'utf8'), 'stale: run npx tsx scripts/write-iac-comparison.ts').to.equal(await generateComparisonDoc());
  });
});
