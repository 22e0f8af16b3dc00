/**
 * The Terraform module and the Pulumi component build the same thing. The Terraform side is what real
 * Terraform applied against moto (test/terraform/applied-module.ts); the Pulumi side is the component under
 * Pulumi's mock runtime.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { SAMPLE_KMS_KEY_ARN as KMS } from '../support/constants';
import { requireMoto } from '../support/moto';
import { SCENARIO_NAMES, SCENARIOS, type ModuleInputs } from '../support/scenarios';
import { requireTerraform, terraformInstalled } from '../support/terraform';
import { appliedModule, startScenarioApplies } from '../terraform/applied-module';
import { runMatrix } from '../terraform/authorization/matrix';
import { terraformPolicies } from '../terraform/authorization/terraform-policies';
import { terraformRefusals } from '../terraform/refusals';
import { runPulumiComponent } from './mock-runtime';
import { TYPE_MAP, compareSnapshots, pulumiSnapshot, terraformSnapshot, toPulumiArgs } from './parity-snapshot';
import { pulumiPolicies } from './pulumi-policies';
import { COMPARISON_DOC, generateComparisonDoc } from './write-comparison-doc';

startScenarioApplies();

const bad: ModuleInputs[] = [
  { bucket_name: 'Images' },
  { bucket_name: '10.0.0.1' },
  { bucket_name: 'ok-name', public_read_prefix: '' },
  { bucket_name: 'ok-name', app_object_prefixes: ['images'] },
  { bucket_name: 'ok-name', noncurrent_version_expiration_days: 0 },
  { bucket_name: 'ok-name', cors_allowed_origins: ['https://x.example/'] },
  { bucket_name: 'ok-name', kms_key_arn: 'alias/x' },
  { bucket_name: 'ok-name', image_delivery: 'bucket_policy', kms_key_arn: KMS },
  { bucket_name: 'ok-name', app_trusted_services: [] },
  { bucket_name: 'ok-name', public_read_prefix: '*/' },
  { bucket_name: 'ok-name', app_object_prefixes: ['*/'] },
  { bucket_name: 'ok-name', public_read_prefix: 'public/' },
  { bucket_name: 'images.example.com', image_delivery: 'bucket_policy' },
  { bucket_name: 'a'.repeat(61) },
  { bucket_name: 'images--x-s3' },
  { bucket_name: 'ok-name', tags: { 'aws:owner': 'me' } },
  { bucket_name: 'ok-name', image_delivery: 'public' },
  { bucket_name: 'ok-name', cloudfront_aliases: ['images.example.com'] },
  { bucket_name: 'ok-name', cloudfront_acm_certificate_arn: 'arn:aws:acm:eu-west-1:111122223333:certificate/x' },
  { bucket_name: 'ok-name', image_delivery: 'none', cloudfront_web_acl_arn: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/a/b' },
  { bucket_name: 'ok-name', app_irsa_oidc_provider_arn: 'arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/X' },
  { bucket_name: 'ok-name', app_irsa_service_accounts: ['web'] },
  { bucket_name: 'ok-name', app_role_path: 'apps' },
  { bucket_name: 'ok-name', access_logs: { target_bucket: 's3://logs' } },
];
// What terraform says about them, asked when the specs load (a terraform test run takes seconds).
const terraformRefusalsOfBadInputs = terraformInstalled() ? terraformRefusals(bad) : undefined;
terraformRefusalsOfBadInputs?.catch(() => undefined);

describe('parity: the Terraform module (applied for real) and the Pulumi component build the same thing', function () {
  this.timeout(300_000);
  before(function () {
    requireTerraform(this);
    requireMoto(this);
  });

  for (const scenario of SCENARIO_NAMES) {
    it(`${scenario}: same resources, settings, dependencies and policies`, async () => {
      const tf = terraformSnapshot(await appliedModule(scenario));
      const pu = await pulumiSnapshot(toPulumiArgs(SCENARIOS[scenario]));
      expect(compareSnapshots(tf, pu)).to.deep.equal([]);
      expect(Object.keys(tf.resources).length).to.be.at.least(10);
    });
  }

  it('maps every resource type either tool creates', async () => {
    const tf = terraformSnapshot(await appliedModule('everything-switched'));
    expect(Object.keys(tf.resources).sort()).to.deep.equal(Object.keys(TYPE_MAP).sort());
  });

  it('the authorization matrix gives identical verdicts on the Pulumi policies', async () => {
    const tf = await runMatrix(terraformPolicies);
    const pu = await runMatrix(pulumiPolicies);
    expect(pu.map((r) => r.actual)).to.deep.equal(tf.map((r) => r.actual));
    expect(pu.filter((r) => r.actual !== r.expected)).to.deep.equal([]);
  });

  describe('catches a deliberate divergence', () => {
    const snapshots = async () =>
      [terraformSnapshot(await appliedModule('default')), await pulumiSnapshot(toPulumiArgs(SCENARIOS.default))] as const;

    it('one extra action in the app policy', async () => {
      const [tf, pu] = await snapshots();
      const statement = pu.policies.app.Statement.find((s) => s.Sid === 'ReadWriteAppObjects')!;
      statement.Action = [...(statement.Action as string[]), 's3:PutObjectAcl'];
      expect(compareSnapshots(tf, pu)).to.deep.equal([
        'app policy.ReadWriteAppObjects.Action: terraform ["s3:AbortMultipartUpload","s3:DeleteObject","s3:GetObject","s3:PutObject"], pulumi ["s3:AbortMultipartUpload","s3:DeleteObject","s3:GetObject","s3:PutObject","s3:PutObjectAcl"]',
      ]);
    });

    it('one flipped public access flag', async () => {
      const [tf, pu] = await snapshots();
      pu.resources.aws_s3_bucket_public_access_block!.ignore_public_acls = false;
      expect(compareSnapshots(tf, pu)).to.deep.equal([
        'aws_s3_bucket_public_access_block.ignore_public_acls: terraform true, pulumi false',
      ]);
    });

    it('a missing resource and a missing dependency', async () => {
      const [tf, pu] = await snapshots();
      delete pu.resources.aws_s3_bucket_versioning;
      pu.dependencies = pu.dependencies.filter((d) => !d.startsWith('aws_s3_bucket_policy'));
      const diffs = compareSnapshots(tf, pu);
      expect(diffs).to.include('aws_s3_bucket_versioning: created by Terraform only');
      expect(diffs.some((d) => d.startsWith('explicit dependencies differ'))).to.equal(true);
    });
  });

  describe('both refuse the same bad inputs, with the same message', () => {
    let refusals: Promise<string[][]>;
    before(() => {
      refusals = terraformRefusalsOfBadInputs!;
    });

    bad.forEach((inputs, i) => {
      it(JSON.stringify(inputs), async () => {
        const tfMessages = (await refusals)[i]!;
        const puError = await runPulumiComponent(toPulumiArgs(inputs)).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        expect(tfMessages, 'terraform must refuse these inputs').to.have.length.greaterThan(0);
        expect(puError, 'Pulumi must refuse these inputs').to.be.instanceOf(Error);
        // Same text: Pulumi prefixes the camelCase argument name where Terraform names the variable.
        for (const message of tfMessages) expect(puError!.message).to.include(message);
      });
    });
  });

  describe('docs/iac-comparison.md', () => {
    it('its generated tables match the parity data', async () => {
      expect(readFileSync(COMPARISON_DOC, 'utf8'), 'stale: run npx tsx test/pulumi/write-comparison-doc.ts').to.equal(
        await generateComparisonDoc(),
      );
    });
  });
});
