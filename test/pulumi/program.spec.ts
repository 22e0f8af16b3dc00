import { expect } from 'chai';
import { LOCALSTACK_ROOT_DIR } from '../support/constants';
import { requireMoto } from '../support/moto';
import { requireTerraform } from '../support/terraform';
import { provisioningSequence } from '../terraform/localstack-provisioning';
import { loadTerraformConfig } from '../terraform/schema/hcl-config';
import { normalizePolicy } from './parity-snapshot';
import { runProgram, stackConfig } from './run-program';

const terraformRun = provisioningSequence();

describe('Pulumi program with the localstack stack config (mock runtime)', () => {
  it('exports the app settings the Terraform LocalStack root outputs when applied, name for name', async function () {
    this.timeout(300_000);
    requireTerraform(this);
    requireMoto(this);
    const pulumiOutputs = await runProgram(stackConfig());
    // The root as compose's provisioning script applied it (against moto: its S3_ENDPOINT is moto's).
    const tf = (await (await terraformRun!).first).outputs;
    expect(pulumiOutputs.S3_BUCKET).to.equal(tf.S3_BUCKET).and.equal('inventory-images');
    expect(pulumiOutputs.PUBLIC_BASE_URL).to.equal(tf.PUBLIC_BASE_URL).and.equal('http://localhost:4566/inventory-images');
    const endpointDefault = (await loadTerraformConfig(LOCALSTACK_ROOT_DIR)).variables.get('localstack_endpoint')!.body.default;
    expect(pulumiOutputs.S3_ENDPOINT).to.equal(endpointDefault).and.equal('http://localhost:4566');
    expect(pulumiOutputs.appRoleArn).to.equal(tf.app_role_arn);
    const policy = (json: unknown) => normalizePolicy(JSON.parse(json as string));
    expect(policy(pulumiOutputs.bucketPolicyJson)).to.deep.equal(policy(tf.bucket_policy_json));
    expect(Object.keys(pulumiOutputs).sort()).to.deep.equal([
      'PUBLIC_BASE_URL',
      'S3_BUCKET',
      'S3_ENDPOINT',
      'appRoleArn',
      'bucketPolicyJson',
    ]);
    expect(Object.keys(tf).sort()).to.deep.equal(['PUBLIC_BASE_URL', 'S3_BUCKET', 'S3_ENDPOINT', 'app_role_arn', 'bucket_policy_json']);
  });

  it('publishes nothing with imageDelivery: none', async () => {
    const outputs = await runProgram({ ...stackConfig(), 'image-bucket:imageDelivery': 'none' });
    expect(JSON.parse(outputs.bucketPolicyJson as string).Statement.map((s: { Sid: string }) => s.Sid)).to.deep.equal([
      'DenyInsecureTransport',
    ]);
  });

  it('names every bad key at once', async () => {
    const err = await runProgram({
      'image-bucket:corsAllowedOrigins': '"http://localhost:8080"',
      'image-bucket:forceDestroy': 'maybe',
      'image-bucket:publicEndpoint': 'localhost:4566',
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).to.equal(
      [
        'Invalid stack configuration:',
        "  - bucketName: Missing required configuration variable 'image-bucket:bucketName'",
        '\tplease set a value using the command `pulumi config set image-bucket:bucketName <value>`',
        '  - publicEndpoint: must be a URL with scheme and host only, such as http://localhost:4566',
        '  - corsAllowedOrigins: must be a list of strings',
        "  - forceDestroy: Configuration 'image-bucket:forceDestroy' value 'maybe' is not a valid boolean",
      ].join('\n'),
    );
  });
});
