import { expect } from 'chai';
import path from 'node:path';
import { SAMPLE_CONTEXT } from '../../tools/sample-account';
import { planDirectory } from '../../tools/terraform/plan';
import { ROOT, runProgram, stackConfig } from '../helpers/pulumi-stack';

describe('Pulumi program with the localstack stack config (mock runtime)', () => {
  it('exports the app settings the Terraform LocalStack root outputs, name for name', async () => {
    const pulumiOutputs = await runProgram(stackConfig());
    const tf = await planDirectory(path.join(ROOT, 'terraform', 'environments', 'localstack'), {}, SAMPLE_CONTEXT);
    expect(pulumiOutputs.S3_BUCKET).to.equal(tf.outputs.S3_BUCKET).and.equal('inventory-images');
    expect(pulumiOutputs.PUBLIC_BASE_URL).to.equal(tf.outputs.PUBLIC_BASE_URL).and.equal('http://localhost:4566/inventory-images');
    expect(pulumiOutputs.S3_ENDPOINT).to.equal(tf.outputs.S3_ENDPOINT);
    expect(pulumiOutputs.appRoleArn).to.equal(tf.outputs.app_role_arn);
    expect(JSON.parse(pulumiOutputs.bucketPolicyJson as string).Statement).to.have.length(2);
    expect(Object.keys(pulumiOutputs).sort()).to.deep.equal(['PUBLIC_BASE_URL', 'S3_BUCKET', 'S3_ENDPOINT', 'appRoleArn', 'bucketPolicyJson']);
    expect(Object.keys(tf.outputs).sort()).to.deep.equal(['PUBLIC_BASE_URL', 'S3_BUCKET', 'S3_ENDPOINT', 'app_role_arn', 'bucket_policy_json']);
  });

  it('turns public read off with publicReadPrefix: null', async () => {
    const outputs = await runProgram({ ...stackConfig(), 'image-bucket:publicReadPrefix': 'null' });
    expect(JSON.parse(outputs.bucketPolicyJson as string).Statement.map((s: { Sid: string }) => s.Sid)).to.deep.equal(['DenyInsecureTransport']);
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
        '  - bucketName: Missing required configuration variable \'image-bucket:bucketName\'',
        '\tplease set a value using the command `pulumi config set image-bucket:bucketName <value>`',
        '  - publicEndpoint: must be a URL with scheme and host only, such as http://localhost:4566',
        '  - corsAllowedOrigins: must be a list of strings',
        "  - forceDestroy: Configuration 'image-bucket:forceDestroy' value 'maybe' is not a valid boolean",
      ].join('\n'),
    );
  });
});
