/**
 * ImageBucket: the Pulumi twin of terraform/modules/image-bucket. Arguments and outputs carry the
 * module's variable and output names in camelCase, defaults are the module's, and the parity test
 * proves both produce the same resources, settings and policies.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ImageBucketArgsError, imageBucketArgProblems } from './validation';

export interface ImageBucketArgs {
  /** Name of the bucket. Globally unique; 3-63 characters of lowercase letters, digits, dots and hyphens. */
  bucketName: string;
  /** Key prefix that anyone may read by URL (s3:GetObject only). null disables public read entirely. */
  publicReadPrefix?: string | null;
  /** Key prefixes the app may read, write and delete. */
  appObjectPrefixes?: string[];
  /** Origins allowed to GET and HEAD objects cross-origin. Empty means no CORS rule. */
  corsAllowedOrigins?: string[];
  /** Allow destroy to delete a bucket that still holds objects. Keep false in production. */
  forceDestroy?: boolean;
  /** Keep previous versions of overwritten or deleted objects. Suspends versioning when false. */
  versioningEnabled?: boolean;
  /** Days after which a noncurrent object version is removed. */
  noncurrentVersionExpirationDays?: number;
  /** Days after which parts of an unfinished multipart upload are deleted. */
  abortIncompleteMultipartUploadDays?: number;
  /** ARN of a KMS key for SSE-KMS (with a bucket key). null uses SSE-S3. */
  kmsKeyArn?: string | null;
  /** Name of the IAM role the app runs as. Defaults to "<bucketName>-app". */
  appRoleName?: string | null;
  /** AWS service principals allowed to assume the app role. */
  appTrustedServices?: string[];
  /** IAM role ARNs allowed to assume the app role. */
  appTrustedRoleArns?: string[];
  /** Also create an EC2 instance profile for the app role. */
  createInstanceProfile?: boolean;
  /** Tags applied to every resource that supports them. */
  tags?: Record<string, string>;
}

/** The module's defaults (variables.tf). */
export const IMAGE_BUCKET_DEFAULTS = {
  publicReadPrefix: 'images/' as string | null,
  appObjectPrefixes: ['images/', 'inventory/'],
  corsAllowedOrigins: [] as string[],
  forceDestroy: false,
  versioningEnabled: true,
  noncurrentVersionExpirationDays: 30,
  abortIncompleteMultipartUploadDays: 1,
  kmsKeyArn: null as string | null,
  appRoleName: null as string | null,
  appTrustedServices: ['ecs-tasks.amazonaws.com'],
  appTrustedRoleArns: [] as string[],
  createInstanceProfile: false,
  tags: {} as Record<string, string>,
};

type Statement = aws.iam.PolicyStatement;
const policy = (statements: Statement[]): aws.iam.PolicyDocument => ({ Version: '2012-10-17', Statement: statements });
const everyone = '*' as const;

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
    const problems = imageBucketArgProblems(args);
    if (problems.length > 0) throw new ImageBucketArgsError(problems);

    const a = { ...IMAGE_BUCKET_DEFAULTS, ...definedOnly(args) };
    const publicRead = a.publicReadPrefix !== null;
    const kms = a.kmsKeyArn !== null;
    const roleName = a.appRoleName ?? `${a.bucketName}-app`;
    const parent = { parent: this };

    const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: a.bucketName, forceDestroy: a.forceDestroy, tags: a.tags }, parent);

    // ACLs off: the bucket owner owns every object and only policies decide access.
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, parent);

    // Public ACLs always refused; a public *policy* only while public read is on.
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucket.id, blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: !publicRead, restrictPublicBuckets: !publicRead },
      parent,
    );

    const bucketPolicyJson = bucket.arn.apply((arn) =>
      JSON.stringify(
        policy([
          ...(publicRead
            ? [{ Sid: 'PublicReadImages', Effect: 'Allow', Principal: everyone, Action: 's3:GetObject', Resource: `${arn}/${a.publicReadPrefix}*` } as Statement]
            : []),
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: everyone,
            Action: 's3:*',
            Resource: [arn, `${arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ]),
      ),
    );
    // AWS rejects a public policy while block_public_policy is still true: the access block goes first.
    new aws.s3.BucketPolicy(`${name}-policy`, { bucket: bucket.id, policy: bucketPolicyJson }, { parent: this, dependsOn: [publicAccessBlock] });

    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: kms ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: a.kmsKeyArn! } : { sseAlgorithm: 'AES256' },
            bucketKeyEnabled: kms,
          },
        ],
      },
      parent,
    );

    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: a.versioningEnabled ? 'Enabled' : 'Suspended' } },
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
            abortIncompleteMultipartUpload: { daysAfterInitiation: a.abortIncompleteMultipartUploadDays },
          },
          {
            id: 'expire-noncurrent-versions',
            status: 'Enabled',
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: a.noncurrentVersionExpirationDays },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );

    if (a.corsAllowedOrigins.length > 0) {
      new aws.s3.BucketCorsConfiguration(
        `${name}-cors`,
        {
          bucket: bucket.id,
          corsRules: [{ allowedMethods: ['GET', 'HEAD'], allowedOrigins: a.corsAllowedOrigins, allowedHeaders: ['*'], exposeHeaders: ['ETag'], maxAgeSeconds: 3600 }],
        },
        parent,
      );
    }

    const trustPolicy = policy([
      ...(a.appTrustedServices.length > 0
        ? [{ Sid: 'AssumeByServices', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: a.appTrustedServices } } as Statement]
        : []),
      ...(a.appTrustedRoleArns.length > 0
        ? [{ Sid: 'AssumeByRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: a.appTrustedRoleArns } } as Statement]
        : []),
    ]);
    const appTrustPolicyJson = pulumi.output(JSON.stringify(trustPolicy));

    // Exactly what the app does, on its own prefixes only.
    const appPolicyJson = bucket.arn.apply((arn) =>
      JSON.stringify(
        policy([
          {
            Sid: 'ReadWriteAppObjects',
            Effect: 'Allow',
            Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
            Resource: a.appObjectPrefixes.map((prefix) => `${arn}/${prefix}*`),
          },
          {
            Sid: 'ListAppPrefixes',
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: arn,
            Condition: { StringLike: { 's3:prefix': a.appObjectPrefixes.map((prefix) => `${prefix}*`) } },
          },
          { Sid: 'ListUnfinishedUploads', Effect: 'Allow', Action: 's3:ListBucketMultipartUploads', Resource: arn },
          ...(kms ? [{ Sid: 'UseBucketKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: a.kmsKeyArn! } as Statement] : []),
        ]),
      ),
    );

    const role = new aws.iam.Role(
      `${name}-app-role`,
      { name: roleName, description: `Runs the image app with access to ${a.bucketName} only.`, assumeRolePolicy: appTrustPolicyJson, tags: a.tags },
      parent,
    );
    const appPolicy = new aws.iam.Policy(
      `${name}-app-policy`,
      { name: `${roleName}-s3`, description: `Least-privilege S3 access for the image app on ${a.bucketName}.`, policy: appPolicyJson, tags: a.tags },
      parent,
    );
    new aws.iam.RolePolicyAttachment(`${name}-app-policy-attachment`, { role: role.name, policyArn: appPolicy.arn }, parent);
    const instanceProfile = a.createInstanceProfile
      ? new aws.iam.InstanceProfile(`${name}-app-instance-profile`, { name: roleName, role: role.name, tags: a.tags }, parent)
      : undefined;

    this.bucketName = bucket.id;
    this.bucketArn = bucket.arn;
    this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
    this.publicBaseUrl = publicRead ? pulumi.interpolate`https://${bucket.bucketRegionalDomainName}` : pulumi.output(undefined);
    this.appRoleArn = role.arn;
    this.appRoleName = role.name;
    this.appPolicyArn = appPolicy.arn;
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

/** Drops keys set to undefined so they do not override defaults (null is kept: it means "off"). */
function definedOnly<T extends object>(args: T): Partial<T> {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as Partial<T>;
}
