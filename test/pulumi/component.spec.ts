import * as pulumi from '@pulumi/pulumi';
import { expect } from 'chai';
import { InvalidInputError } from '../../pulumi/problems';
import { checked } from '../../pulumi/validation';
import { SAMPLE_ACCOUNT_ID, SAMPLE_DISTRIBUTION_DOMAIN, SAMPLE_DISTRIBUTION_ID, SAMPLE_KMS_KEY_ARN as KMS } from '../support/constants';
import { installMocks, resolve, resolvedInputs, runPulumiComponent, type RecordedResource } from './mock-runtime';

describe('Pulumi ImageBucket component (mock runtime)', () => {
  const byType = (recorded: RecordedResource[], suffix: string) => {
    const found = recorded.filter((r) => r.type.endsWith(suffix));
    expect(found, suffix).to.have.length(1);
    return found[0]!;
  };

  it('registers the production resource set, all parented to the component', async () => {
    const { recorded } = await runPulumiComponent({ bucketName: 'inventory-images' });
    expect(recorded.map((r) => r.type).sort()).to.deep.equal([
      'aws:cloudfront/distribution:Distribution',
      'aws:cloudfront/originAccessControl:OriginAccessControl',
      'aws:iam/policy:Policy',
      'aws:iam/role:Role',
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
      'aws:s3/bucket:Bucket',
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
      'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
      'aws:s3/bucketPolicy:BucketPolicy',
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      'aws:s3/bucketVersioning:BucketVersioning',
    ]);
    expect(recorded.every((r) => r.parent?.startsWith('images'))).to.equal(true);
  });

  it('has the module defaults: ACLs off, all public access blocked, SSE-S3, versioning, lifecycle', async () => {
    const { recorded } = await runPulumiComponent({ bucketName: 'inventory-images' });
    expect(await resolvedInputs(byType(recorded, ':Bucket'))).to.deep.include({ bucket: 'inventory-images', forceDestroy: false });
    expect((await resolvedInputs(byType(recorded, ':BucketOwnershipControls'))).rule).to.deep.equal({
      objectOwnership: 'BucketOwnerEnforced',
    });
    expect(await resolvedInputs(byType(recorded, ':BucketPublicAccessBlock'))).to.deep.include({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    expect((await resolvedInputs(byType(recorded, ':BucketServerSideEncryptionConfiguration'))).rules).to.deep.equal([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: false },
    ]);
    expect((await resolvedInputs(byType(recorded, ':BucketVersioning'))).versioningConfiguration).to.deep.equal({ status: 'Enabled' });
    const rules = (await resolvedInputs(byType(recorded, ':BucketLifecycleConfiguration'))).rules;
    expect(rules[0].abortIncompleteMultipartUpload).to.deep.equal({ daysAfterInitiation: 1 });
    expect(rules[1].noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: 30 });
    expect(rules[2].expiration).to.deep.equal({ expiredObjectDeleteMarker: true });
  });

  it('makes the bucket policy wait for the public access block, and lifecycle for versioning', async () => {
    const { recorded } = await runPulumiComponent({ bucketName: 'inventory-images' });
    const policy = byType(recorded, ':BucketPolicy');
    expect(policy.dependsOn).to.deep.equal([byType(recorded, ':BucketPublicAccessBlock').name]);
    expect(byType(recorded, ':BucketLifecycleConfiguration').dependsOn).to.deep.equal([byType(recorded, ':BucketVersioning').name]);
  });

  it('by default: images through CloudFront, which alone may read images/ (for this distribution); plain HTTP denied', async () => {
    const { component, recorded } = await runPulumiComponent({ bucketName: 'inventory-images' });
    const distributionArn = `arn:aws:cloudfront::${SAMPLE_ACCOUNT_ID}:distribution/${SAMPLE_DISTRIBUTION_ID}`;
    const doc = JSON.parse(await resolve(component.bucketPolicyJson));
    expect(doc.Statement).to.deep.equal([
      {
        Sid: 'CloudFrontReadsImages',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::inventory-images/images/*',
        Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::inventory-images', 'arn:aws:s3:::inventory-images/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    expect(await resolvedInputs(byType(recorded, ':BucketPublicAccessBlock'))).to.deep.include({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    const cdn = await resolvedInputs(byType(recorded, ':Distribution'));
    expect(cdn.defaultCacheBehavior).to.deep.include({
      viewerProtocolPolicy: 'https-only',
      cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      responseHeadersPolicyId: '67f7725c-6f97-4210-82d7-5512b31e9d03',
    });
    // The origin is signed by the component's own Origin Access Control (the mocks give it the id "<name>-id").
    expect(cdn.origins[0].originAccessControlId).to.equal(`${byType(recorded, ':OriginAccessControl').name}-id`);
    expect(await resolve(component.publicBaseUrl)).to.equal(`https://${SAMPLE_DISTRIBUTION_DOMAIN}`);
    expect(await resolve(component.appRoleName)).to.equal('inventory-images-app');
  });

  it('bucket_policy delivery: anonymous read of images/ only, from the bucket', async () => {
    const { component, recorded } = await runPulumiComponent({ bucketName: 'inventory-images', imageDelivery: 'bucket_policy' });
    const doc = JSON.parse(await resolve(component.bucketPolicyJson));
    expect(doc.Statement[0]).to.deep.equal({
      Sid: 'PublicReadImages',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::inventory-images/images/*',
    });
    expect(recorded.some((r) => r.type.startsWith('aws:cloudfront/'))).to.equal(false);
    expect(await resolve(component.publicBaseUrl)).to.equal('https://inventory-images.s3.us-east-1.amazonaws.com');
  });

  it('nothing public: every public access flag on, no public statement, no public URL', async () => {
    const { component, recorded } = await runPulumiComponent({ bucketName: 'inventory-images', imageDelivery: 'none' });
    expect(await resolvedInputs(byType(recorded, ':BucketPublicAccessBlock'))).to.deep.include({
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    const doc = JSON.parse(await resolve(component.bucketPolicyJson));
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).to.deep.equal(['DenyInsecureTransport']);
    expect(await resolve(component.publicBaseUrl)).to.equal(undefined);
  });

  it('KMS key on: SSE-KMS with a bucket key, and KMS rights on that key only', async () => {
    const { component, recorded } = await runPulumiComponent({ bucketName: 'inventory-images', imageDelivery: 'none', kmsKeyArn: KMS });
    expect((await resolvedInputs(byType(recorded, ':BucketServerSideEncryptionConfiguration'))).rules).to.deep.equal([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KMS }, bucketKeyEnabled: true },
    ]);
    const app = JSON.parse(await resolve(component.appPolicyJson));
    expect(app.Statement.find((s: { Sid: string }) => s.Sid === 'UseBucketKey')).to.deep.equal({
      Sid: 'UseBucketKey',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: KMS,
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    });
  });

  it('CORS, versioning off, extra trust and an instance profile when asked', async () => {
    const { recorded } = await runPulumiComponent({
      bucketName: 'inventory-images',
      corsAllowedOrigins: ['https://inventory.example.com'],
      versioningEnabled: false,
      appTrustedRoleArns: [`arn:aws:iam::${SAMPLE_ACCOUNT_ID}:role/deployer`],
      createInstanceProfile: true,
    });
    expect((await resolvedInputs(byType(recorded, ':BucketCorsConfiguration'))).corsRules[0].allowedOrigins).to.deep.equal([
      'https://inventory.example.com',
    ]);
    expect((await resolvedInputs(byType(recorded, ':BucketVersioning'))).versioningConfiguration).to.deep.equal({ status: 'Suspended' });
    const trust = JSON.parse((await resolvedInputs(byType(recorded, ':Role'))).assumeRolePolicy);
    expect(trust.Statement.map((s: { Sid: string }) => s.Sid)).to.deep.equal(['AssumeByServicesOfThisAccount', 'AssumeByRoles']);
    expect(trust.Statement[0].Condition).to.deep.equal({
      StringEquals: { 'aws:SourceAccount': SAMPLE_ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': `arn:aws:ecs:us-east-1:${SAMPLE_ACCOUNT_ID}:*` },
    });
    expect(await resolvedInputs(byType(recorded, ':InstanceProfile'))).to.deep.include({
      name: 'inventory-images-app',
      role: 'inventory-images-app',
    });
  });

  it('refuses bad arguments with the module variable messages', async () => {
    const failure = (args: Parameters<typeof runPulumiComponent>[0]) =>
      runPulumiComponent(args).then(
        () => undefined,
        (err: unknown) => err,
      );
    const err = await failure({ bucketName: 'Bad_Name', appObjectPrefixes: ['images'] });
    expect(err).to.be.instanceOf(InvalidInputError);
    expect((err as InvalidInputError).problems).to.deep.equal([
      'bucketName: bucket_name must be 3-63 characters of lowercase letters, digits, dots and hyphens, start and end with a letter or digit, and contain no "..".',
      'appObjectPrefixes: app_object_prefixes must list at least one prefix, each non-empty, ending in "/", and without "*" or "?" (a wildcard would grant the app keys outside its prefixes).',
    ]);
    expect(String(await failure({ bucketName: 'ok-name', imageDelivery: 'bucket_policy', kmsKeyArn: KMS }))).to.match(
      /SSE-KMS objects cannot be read anonymously/,
    );
  });

  it("takes values from other resources' outputs, as Pulumi users pass them (kmsKeyArn: key.arn)", async () => {
    const keyArn = pulumi.output(KMS); // what `new aws.kms.Key(...).arn` is
    const { component, recorded } = await runPulumiComponent({
      bucketName: pulumi.output('inventory-images'),
      imageDelivery: 'none',
      kmsKeyArn: keyArn,
    });
    expect(
      (await resolvedInputs(byType(recorded, ':BucketServerSideEncryptionConfiguration'))).rules[0].applyServerSideEncryptionByDefault,
    ).to.deep.equal({
      sseAlgorithm: 'aws:kms',
      kmsMasterKeyId: KMS,
    });
    const app = JSON.parse(await resolve(component.appPolicyJson));
    expect(app.Statement.find((s: { Sid: string }) => s.Sid === 'UseBucketKey').Resource).to.equal(KMS);
    expect(await resolve(component.appRoleName)).to.equal('inventory-images-app');
  });

  it('checks an output value against the same rules once it resolves, with the same message', async () => {
    await installMocks();
    const late = checked('bucketName', pulumi.output('Bad_Name'), []);
    const failure = await settle(late);
    expect(failure).to.be.instanceOf(InvalidInputError);
    expect((failure as InvalidInputError).problems).to.deep.equal([
      'bucketName: bucket_name must be 3-63 characters of lowercase letters, digits, dots and hyphens, start and end with a letter or digit, and contain no "..".',
    ]);
    expect(await settle(checked('bucketName', pulumi.output('fine-name'), []))).to.equal(undefined);
  });
});

/** The error an Output fails with (its internal promise: `apply` callbacks never run for a failed Output). */
async function settle(output: pulumi.Output<unknown>): Promise<unknown> {
  return (output as unknown as { promise(): Promise<unknown> }).promise().then(
    () => undefined,
    (err: unknown) => err,
  );
}
