/**
 * ImageBucket: the Pulumi twin of terraform/modules/image-bucket. Arguments (args.ts) and outputs carry the
 * module's variable and output names in camelCase, defaults and validation rules are the module's, and the
 * parity test proves both produce the same resources, settings and policies.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { IMAGE_BUCKET_DEFAULTS as DEFAULTS, type ImageBucketArgs } from './args';
import { appPolicy, bucketPolicy, trustPolicy } from './policies';
import { PRECONDITIONS, argsError, checked } from './validation';

/** A value given as is, not as an Output or a Promise: known now. */
const isPlain = <T>(value: pulumi.Input<T>): value is T => !pulumi.Output.isInstance(value) && !(value instanceof Promise);

export class ImageBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly bucketRegionalDomainName: pulumi.Output<string>;
  /** An image's URL is this, "/", and its key; undefined when public read is off. */
  public readonly publicBaseUrl: pulumi.Output<string | undefined>;
  public readonly appRoleArn: pulumi.Output<string>;
  public readonly appRoleName: pulumi.Output<string>;
  public readonly appPolicyArn: pulumi.Output<string>;
  public readonly appInstanceProfileName: pulumi.Output<string | undefined>;
  public readonly bucketPolicyJson: pulumi.Output<string>;
  public readonly appPolicyJson: pulumi.Output<string>;
  public readonly appTrustPolicyJson: pulumi.Output<string>;

  constructor(name: string, args: ImageBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('inventory:storage:ImageBucket', name, {}, opts);

    // The graph's shape, decided by plain values.
    const publicRead = args.publicReadPrefix !== null;
    const kms = args.kmsKeyArn !== null && args.kmsKeyArn !== undefined;
    const corsOrigins = args.corsAllowedOrigins ?? DEFAULTS.corsAllowedOrigins;
    const createInstanceProfile = args.createInstanceProfile ?? DEFAULTS.createInstanceProfile;

    // Every value, checked against the module's rules (at once when plain, on resolution when an Output).
    const problems: string[] = [];
    const bucketName = checked('bucketName', args.bucketName, problems);
    const publicReadPrefix = checked('publicReadPrefix', args.publicReadPrefix ?? DEFAULTS.publicReadPrefix, problems);
    const appObjectPrefixes = checked('appObjectPrefixes', args.appObjectPrefixes ?? DEFAULTS.appObjectPrefixes, problems);
    const allOrigins = checked(
      'corsAllowedOrigins',
      corsOrigins.every(isPlain) ? (corsOrigins as string[]) : pulumi.all(corsOrigins),
      problems,
    );
    const noncurrentDays = checked(
      'noncurrentVersionExpirationDays',
      args.noncurrentVersionExpirationDays ?? DEFAULTS.noncurrentVersionExpirationDays,
      problems,
    );
    const abortDays = checked(
      'abortIncompleteMultipartUploadDays',
      args.abortIncompleteMultipartUploadDays ?? DEFAULTS.abortIncompleteMultipartUploadDays,
      problems,
    );
    const kmsKeyArn = kms ? checked('kmsKeyArn', args.kmsKeyArn!, problems) : undefined;
    const roleNameArg =
      args.appRoleName === null || args.appRoleName === undefined ? undefined : checked('appRoleName', args.appRoleName, problems);
    const trustedServices = checked('appTrustedServices', args.appTrustedServices ?? DEFAULTS.appTrustedServices, problems);
    const trustedRoleArns = checked('appTrustedRoleArns', args.appTrustedRoleArns ?? DEFAULTS.appTrustedRoleArns, problems);
    // The module's preconditions, once every value is valid on its own.
    if (problems.length === 0 && kms && publicRead) problems.push(PRECONDITIONS.kmsWithoutPublicRead);
    const services = args.appTrustedServices ?? DEFAULTS.appTrustedServices;
    const roles = args.appTrustedRoleArns ?? DEFAULTS.appTrustedRoleArns;
    if (problems.length === 0 && isPlain(services) && isPlain(roles) && services.length + roles.length === 0)
      problems.push(PRECONDITIONS.someoneMayAssume);
    if (problems.length > 0) throw argsError(problems);
    const trust = pulumi.all([trustedServices, trustedRoleArns]).apply(([s, r]) => {
      if (s.length + r.length === 0) throw argsError([PRECONDITIONS.someoneMayAssume]);
      return trustPolicy(s, r);
    });

    const tags = args.tags ?? DEFAULTS.tags;
    const roleName = roleNameArg ?? pulumi.interpolate`${bucketName}-app`;
    const parent = { parent: this };

    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucket: bucketName, forceDestroy: args.forceDestroy ?? DEFAULTS.forceDestroy, tags },
      parent,
    );

    // ACLs off: the bucket owner owns every object and only policies decide access.
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      parent,
    );

    // Public ACLs always refused; a public *policy* only while public read is on.
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: !publicRead,
        restrictPublicBuckets: !publicRead,
      },
      parent,
    );

    const bucketPolicyJson = pulumi
      .all([bucket.arn, publicReadPrefix])
      .apply(([arn, prefix]) => JSON.stringify(bucketPolicy(arn, publicRead ? prefix : null)));
    // AWS rejects a public policy while block_public_policy is still true: the access block goes first.
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.id, policy: bucketPolicyJson },
      { parent: this, dependsOn: [publicAccessBlock] },
    );

    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: kms ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: kmsKeyArn } : { sseAlgorithm: 'AES256' },
            // A bucket key makes S3 ask KMS for a data key per bucket rather than per object.
            bucketKeyEnabled: kms,
          },
        ],
      },
      parent,
    );

    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      {
        bucket: bucket.id,
        versioningConfiguration: {
          status: pulumi.output(args.versioningEnabled ?? DEFAULTS.versioningEnabled).apply((on) => (on ? 'Enabled' : 'Suspended')),
        },
      },
      parent,
    );

    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: 'abort-incomplete-multipart-uploads',
            status: 'Enabled',
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: abortDays },
          },
          { id: 'expire-noncurrent-versions', status: 'Enabled', filter: {}, noncurrentVersionExpiration: { noncurrentDays } },
        ],
      },
      // Lifecycle rules about versions are rejected while versioning is being configured concurrently.
      { parent: this, dependsOn: [versioning] },
    );

    if (corsOrigins.length > 0) {
      new aws.s3.BucketCorsConfiguration(
        `${name}-cors`,
        {
          bucket: bucket.id,
          corsRules: [
            {
              allowedMethods: ['GET', 'HEAD'],
              allowedOrigins: allOrigins,
              allowedHeaders: ['*'],
              exposeHeaders: ['ETag'],
              maxAgeSeconds: 3600,
            },
          ],
        },
        parent,
      );
    }

    const appTrustPolicyJson = trust.apply((doc) => JSON.stringify(doc));
    const appPolicyJson = pulumi
      .all([bucket.arn, appObjectPrefixes, kmsKeyArn ?? null])
      .apply(([arn, prefixes, key]) => JSON.stringify(appPolicy(arn, prefixes, key)));

    const role = new aws.iam.Role(
      `${name}-app-role`,
      {
        name: roleName,
        description: pulumi.interpolate`Runs the image app with access to ${bucketName} only.`,
        assumeRolePolicy: appTrustPolicyJson,
        tags,
      },
      parent,
    );
    const policy = new aws.iam.Policy(
      `${name}-app-policy`,
      {
        name: pulumi.interpolate`${roleName}-s3`,
        description: pulumi.interpolate`Least-privilege S3 access for the image app on ${bucketName}.`,
        policy: appPolicyJson,
        tags,
      },
      parent,
    );
    new aws.iam.RolePolicyAttachment(`${name}-app-policy-attachment`, { role: role.name, policyArn: policy.arn }, parent);
    const instanceProfile = createInstanceProfile
      ? new aws.iam.InstanceProfile(`${name}-app-instance-profile`, { name: roleName, role: role.name, tags }, parent)
      : undefined;

    this.bucketName = bucket.id;
    this.bucketArn = bucket.arn;
    this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
    this.publicBaseUrl = publicRead ? pulumi.interpolate`https://${bucket.bucketRegionalDomainName}` : pulumi.output(undefined);
    this.appRoleArn = role.arn;
    this.appRoleName = role.name;
    this.appPolicyArn = policy.arn;
    this.appInstanceProfileName = instanceProfile ? instanceProfile.name : pulumi.output(undefined);
    this.bucketPolicyJson = bucketPolicyJson;
    this.appPolicyJson = appPolicyJson;
    this.appTrustPolicyJson = appTrustPolicyJson;

    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      bucketRegionalDomainName: this.bucketRegionalDomainName,
      publicBaseUrl: this.publicBaseUrl,
      appRoleArn: this.appRoleArn,
      appRoleName: this.appRoleName,
      appPolicyArn: this.appPolicyArn,
      appInstanceProfileName: this.appInstanceProfileName,
      bucketPolicyJson: this.bucketPolicyJson,
      appPolicyJson: this.appPolicyJson,
      appTrustPolicyJson: this.appTrustPolicyJson,
    });
  }
}
