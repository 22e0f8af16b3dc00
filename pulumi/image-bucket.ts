/**
 * ImageBucket: the Pulumi twin of terraform/modules/image-bucket. Arguments (args.ts) and outputs carry the
 * module's variable and output names in camelCase, defaults and validation rules are the module's, and the
 * parity test proves both produce the same resources, settings and policies.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { IMAGE_BUCKET_DEFAULTS as DEFAULTS, type ImageBucketArgs } from './args';
import { appPolicy, bucketPolicy, cloudfrontKmsPolicy, trustPolicy } from './policies';
import { PRECONDITIONS, argsError, checked } from './validation';

/** A value given as is, not as an Output or a Promise: known now. */
const isPlain = <T>(value: pulumi.Input<T>): value is T => !pulumi.Output.isInstance(value) && !(value instanceof Promise);
/** Known now, list items included. */
const isKnown = (value: unknown): boolean => isPlain(value) && (!Array.isArray(value) || value.every(isKnown));

/** AWS's managed "CachingOptimized" cache policy: the same ID in every account (images are immutable). */
const CACHING_OPTIMIZED_CACHE_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';
/** AWS's managed "SecurityHeadersPolicy": HSTS, nosniff (an upload served as an image stays an image), framing. */
const SECURITY_HEADERS_POLICY_ID = '67f7725c-6f97-4210-82d7-5512b31e9d03';
const ORIGIN_ID = 'image-bucket';

/** The values the module's preconditions read, resolved. */
interface Combination {
  bucketName: string;
  imageDelivery: string;
  publicReadPrefix: string;
  appObjectPrefixes: string[];
  kms: boolean;
  cloudfrontAliases: string[];
  cloudfrontAcmCertificateArn: string | null;
  cloudfrontWebAclArn: string | null;
  appTrustedServices: string[];
  appTrustedRoleArns: string[];
  appIrsaOidcProviderArn: string | null;
  appIrsaServiceAccounts: string[];
  appEksPodIdentity: boolean;
  appRoleName: string;
}

/** The module's preconditions: combinations of values that are each valid alone but not together. */
function preconditionProblems(c: Combination): string[] {
  const cloudfront = c.imageDelivery === 'cloudfront';
  const fromBucket = c.imageDelivery === 'bucket_policy';
  const problems: string[] = [];
  if (c.imageDelivery !== 'none' && !c.appObjectPrefixes.some((p) => c.publicReadPrefix.startsWith(p)))
    problems.push(PRECONDITIONS.publicInsideAppPrefixes(c.publicReadPrefix));
  if (fromBucket && c.bucketName.includes('.')) problems.push(PRECONDITIONS.dottedNameFromTheBucket(c.bucketName));
  if (!cloudfront && (c.cloudfrontAliases.length > 0 || c.cloudfrontAcmCertificateArn !== null || c.cloudfrontWebAclArn !== null))
    problems.push(PRECONDITIONS.cloudfrontSettingsOnlyWithCloudfront(c.imageDelivery));
  if (c.kms && fromBucket) problems.push(PRECONDITIONS.kmsNotFromTheBucket);
  if (cloudfront && c.cloudfrontAliases.length > 0 !== (c.cloudfrontAcmCertificateArn !== null))
    problems.push(PRECONDITIONS.aliasesWithCertificate);
  const trusted = c.appTrustedServices.length + c.appTrustedRoleArns.length + c.appIrsaServiceAccounts.length;
  if (trusted === 0 && !c.appEksPodIdentity) problems.push(PRECONDITIONS.someoneMayAssume);
  if ((c.appIrsaOidcProviderArn === null) !== (c.appIrsaServiceAccounts.length === 0)) problems.push(PRECONDITIONS.irsaTogether);
  if (c.appRoleName.length > 64) problems.push(PRECONDITIONS.roleNameLength(c.appRoleName));
  return problems;
}

/** The resource's options every child gets: parented to the component. */
type Children = { parent: pulumi.Resource };

export class ImageBucket extends pulumi.ComponentResource {
  public readonly bucketName!: pulumi.Output<string>;
  public readonly bucketArn!: pulumi.Output<string>;
  public readonly bucketRegionalDomainName!: pulumi.Output<string>;
  /** An image's URL is this, "/", and its key; undefined when nothing is public. */
  public readonly publicBaseUrl!: pulumi.Output<string | undefined>;
  public readonly cloudfrontDistributionId!: pulumi.Output<string | undefined>;
  public readonly cloudfrontDistributionArn!: pulumi.Output<string | undefined>;
  public readonly cloudfrontDomainName!: pulumi.Output<string | undefined>;
  /** With CloudFront and KMS: the statement to add to the key's policy (as a policy document, JSON). */
  public readonly cloudfrontKmsKeyPolicyStatement!: pulumi.Output<string | undefined>;
  public readonly appRoleArn!: pulumi.Output<string>;
  public readonly appRoleName!: pulumi.Output<string>;
  public readonly appPolicyArn!: pulumi.Output<string>;
  public readonly appInstanceProfileName!: pulumi.Output<string | undefined>;
  public readonly bucketPolicyJson!: pulumi.Output<string>;
  public readonly appPolicyJson!: pulumi.Output<string>;
  public readonly appTrustPolicyJson!: pulumi.Output<string>;

  /** In the module's order: its variables' rules (variables.tf), main.tf with cloudfront.tf, iam.tf, outputs.tf. */
  constructor(name: string, args: ImageBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('inventory:storage:ImageBucket', name, {}, opts);
    const children = { parent: this };
    const v = validated(args);
    const storage = bucketResources(name, v, children);
    const app = appIam(name, v, storage.bucket, children);
    const outputs = outputsOf(v, storage, app);
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}

/**
 * variables.tf: every argument checked against the module's rule (at once when plain, on resolution when an
 * Output), defaults filled in once, then the module's preconditions over the combination.
 */
function validated(args: ImageBucketArgs) {
  // The graph's shape, decided by plain values (the module's locals and counts).
  const imageDelivery = args.imageDelivery ?? DEFAULTS.imageDelivery;
  const corsOrigins = args.corsAllowedOrigins ?? DEFAULTS.corsAllowedOrigins;
  const shape = {
    imageDelivery,
    cloudfrontEnabled: imageDelivery === 'cloudfront',
    bucketPolicyEnabled: imageDelivery === 'bucket_policy',
    kmsEnabled: args.kmsKeyArn !== null && args.kmsKeyArn !== undefined,
    accessLogsEnabled: args.accessLogs !== null && args.accessLogs !== undefined,
    corsEnabled: corsOrigins.length > 0,
    createInstanceProfile: args.createInstanceProfile ?? DEFAULTS.createInstanceProfile,
  };

  // Each argument with its default, as given: what the preconditions read, and what is checked.
  const given = {
    bucketName: args.bucketName,
    imageDelivery,
    publicReadPrefix: args.publicReadPrefix ?? DEFAULTS.publicReadPrefix,
    appObjectPrefixes: args.appObjectPrefixes ?? DEFAULTS.appObjectPrefixes,
    kms: shape.kmsEnabled,
    cloudfrontAliases: args.cloudfrontAliases ?? DEFAULTS.cloudfrontAliases,
    cloudfrontAcmCertificateArn: args.cloudfrontAcmCertificateArn ?? null,
    cloudfrontWebAclArn: args.cloudfrontWebAclArn ?? null,
    appTrustedServices: args.appTrustedServices ?? DEFAULTS.appTrustedServices,
    appTrustedRoleArns: args.appTrustedRoleArns ?? DEFAULTS.appTrustedRoleArns,
    appIrsaOidcProviderArn: args.appIrsaOidcProviderArn ?? null,
    appIrsaServiceAccounts: args.appIrsaServiceAccounts ?? DEFAULTS.appIrsaServiceAccounts,
    appEksPodIdentity: args.appEksPodIdentity ?? DEFAULTS.appEksPodIdentity,
    // The module's local.app_role_name.
    appRoleName: args.appRoleName ?? (isPlain(args.bucketName) ? `${args.bucketName}-app` : pulumi.interpolate`${args.bucketName}-app`),
  };

  const problems: string[] = [];
  const check = <K extends keyof ImageBucketArgs, T>(field: K, value: pulumi.Input<T>) => checked(field, value, problems);
  const optional = <T>(field: keyof ImageBucketArgs, value: pulumi.Input<T> | null | undefined) =>
    value === null || value === undefined ? undefined : check(field, value);
  // In the module's order of variables, so problems are listed as terraform lists them.
  const bucketName = check('bucketName', given.bucketName);
  check('imageDelivery', imageDelivery);
  const values = {
    bucketName,
    publicReadPrefix: check('publicReadPrefix', given.publicReadPrefix),
    appObjectPrefixes: check('appObjectPrefixes', given.appObjectPrefixes),
    corsAllowedOrigins: check('corsAllowedOrigins', corsOrigins.every(isPlain) ? (corsOrigins as string[]) : pulumi.all(corsOrigins)),
    noncurrentVersionExpirationDays: check(
      'noncurrentVersionExpirationDays',
      args.noncurrentVersionExpirationDays ?? DEFAULTS.noncurrentVersionExpirationDays,
    ),
    abortIncompleteMultipartUploadDays: check(
      'abortIncompleteMultipartUploadDays',
      args.abortIncompleteMultipartUploadDays ?? DEFAULTS.abortIncompleteMultipartUploadDays,
    ),
    versioningEnabled: pulumi.output(args.versioningEnabled ?? DEFAULTS.versioningEnabled),
    forceDestroy: args.forceDestroy ?? DEFAULTS.forceDestroy,
    kmsKeyArn: optional('kmsKeyArn', args.kmsKeyArn) as pulumi.Output<string> | undefined,
    appRoleName: (optional('appRoleName', args.appRoleName) as pulumi.Output<string> | undefined) ?? pulumi.output(given.appRoleName),
    appTrustedServices: check('appTrustedServices', given.appTrustedServices),
    appTrustedRoleArns: check('appTrustedRoleArns', given.appTrustedRoleArns),
    appIrsaOidcProviderArn: optional('appIrsaOidcProviderArn', args.appIrsaOidcProviderArn) as pulumi.Output<string> | undefined,
    appIrsaServiceAccounts: check('appIrsaServiceAccounts', given.appIrsaServiceAccounts),
    appRolePath: check('appRolePath', args.appRolePath ?? DEFAULTS.appRolePath),
    appRolePermissionsBoundaryArn: optional('appRolePermissionsBoundaryArn', args.appRolePermissionsBoundaryArn) as
      pulumi.Output<string> | undefined,
    cloudfrontAliases: check('cloudfrontAliases', given.cloudfrontAliases),
    cloudfrontAcmCertificateArn: optional('cloudfrontAcmCertificateArn', args.cloudfrontAcmCertificateArn) as
      pulumi.Output<string> | undefined,
    cloudfrontWebAclArn: optional('cloudfrontWebAclArn', args.cloudfrontWebAclArn) as pulumi.Output<string> | undefined,
    cloudfrontPriceClass: check('cloudfrontPriceClass', args.cloudfrontPriceClass ?? DEFAULTS.cloudfrontPriceClass),
    accessLogs: optional('accessLogs', args.accessLogs) as
      pulumi.Output<{ targetBucket: string; targetPrefix?: string | null }> | undefined,
    tags: check('tags', args.tags ?? DEFAULTS.tags),
  };

  // The preconditions, once every value is valid on its own: at once when all of them are plain (the constructor
  // throws), else when they resolve, after each one passed its own rules (the deployment fails with the same message).
  if (problems.length === 0 && Object.values(given).every(isKnown)) problems.push(...preconditionProblems(given as Combination));
  if (problems.length > 0) throw argsError(problems);
  const checkedValues: pulumi.Input<unknown>[] = [
    values.bucketName,
    values.publicReadPrefix,
    values.appObjectPrefixes,
    values.cloudfrontAliases,
    values.cloudfrontAcmCertificateArn,
    values.cloudfrontWebAclArn,
    values.appTrustedServices,
    values.appTrustedRoleArns,
    values.appIrsaOidcProviderArn,
    values.appIrsaServiceAccounts,
    values.appRoleName,
  ];
  const valid = pulumi
    .all(checkedValues)
    .apply(() => pulumi.output(given) as pulumi.Output<Combination>)
    .apply((c) => {
      const late = preconditionProblems(c);
      if (late.length > 0) throw argsError(late);
      return c;
    });
  return { ...shape, ...values, valid };
}
type Validated = ReturnType<typeof validated>;

/** main.tf (and cloudfront.tf, whose distribution the bucket policy names): the bucket and all its settings. */
function bucketResources(name: string, v: Validated, children: Children) {
  const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: v.valid.bucketName, forceDestroy: v.forceDestroy, tags: v.tags }, children);

  // ACLs off: the bucket owner owns every object and only policies decide access.
  new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
    children,
  );

  // Public ACLs always refused; a public *policy* only with image_delivery = "bucket_policy".
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: !v.bucketPolicyEnabled,
      restrictPublicBuckets: !v.bucketPolicyEnabled,
    },
    children,
  );

  const distribution = v.cloudfrontEnabled ? cloudfront(name, v, bucket, children) : undefined;
  const bucketPolicyJson = pulumi
    .all([bucket.arn, v.publicReadPrefix, distribution?.arn])
    .apply(([arn, prefix, distributionArn]) => JSON.stringify(bucketPolicy(arn, v.imageDelivery, prefix, distributionArn)));
  // AWS rejects a public policy while block_public_policy is still true: the access block goes first.
  new aws.s3.BucketPolicy(
    `${name}-policy`,
    { bucket: bucket.id, policy: bucketPolicyJson },
    { ...children, dependsOn: [publicAccessBlock] },
  );

  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: v.kmsEnabled
            ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: v.kmsKeyArn }
            : { sseAlgorithm: 'AES256' },
          // A bucket key makes S3 ask KMS for a data key per bucket rather than per object.
          bucketKeyEnabled: v.kmsEnabled,
        },
      ],
    },
    children,
  );

  const versioning = new aws.s3.BucketVersioning(
    `${name}-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: v.versioningEnabled.apply((on) => (on ? 'Enabled' : 'Suspended')) } },
    children,
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
          abortIncompleteMultipartUpload: { daysAfterInitiation: v.abortIncompleteMultipartUploadDays },
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays: v.noncurrentVersionExpirationDays },
        },
        // Once its noncurrent versions expired, a delete marker is all that is left of an object.
        { id: 'remove-expired-delete-markers', status: 'Enabled', filter: {}, expiration: { expiredObjectDeleteMarker: true } },
      ],
    },
    // Lifecycle rules about versions are rejected while versioning is being configured concurrently.
    { ...children, dependsOn: [versioning] },
  );

  if (v.corsEnabled) {
    new aws.s3.BucketCorsConfiguration(
      `${name}-cors`,
      {
        bucket: bucket.id,
        corsRules: [
          {
            allowedMethods: ['GET', 'HEAD'],
            allowedOrigins: v.corsAllowedOrigins,
            allowedHeaders: ['*'],
            exposeHeaders: ['ETag'],
            maxAgeSeconds: 3600,
          },
        ],
      },
      children,
    );
  }

  if (v.accessLogs) {
    new aws.s3.BucketLogging(
      `${name}-logging`,
      {
        bucket: bucket.id,
        targetBucket: v.accessLogs.targetBucket,
        targetPrefix: pulumi.all([v.accessLogs, v.bucketName]).apply(([logs, bucketName]) => logs.targetPrefix ?? `${bucketName}/`),
      },
      children,
    );
  }
  return { bucket, distribution, bucketPolicyJson };
}

/** cloudfront.tf: a distribution that reads the private bucket, signed by an Origin Access Control. */
function cloudfront(name: string, v: Validated, bucket: aws.s3.Bucket, children: Children) {
  const oac = new aws.cloudfront.OriginAccessControl(
    `${name}-oac`,
    {
      name: v.bucketName,
      description: pulumi.interpolate`Signs CloudFront's requests to the ${v.bucketName} bucket.`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    },
    children,
  );
  const certificate = v.cloudfrontAcmCertificateArn;
  return new aws.cloudfront.Distribution(
    `${name}-cdn`,
    {
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      comment: pulumi.interpolate`Images of the ${v.bucketName} bucket`,
      aliases: v.valid.cloudfrontAliases,
      priceClass: v.cloudfrontPriceClass,
      webAclId: v.cloudfrontWebAclArn,
      tags: v.tags,
      origins: [{ originId: ORIGIN_ID, domainName: bucket.bucketRegionalDomainName, originAccessControlId: oac.id }],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN_ID,
        viewerProtocolPolicy: 'https-only',
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: CACHING_OPTIMIZED_CACHE_POLICY_ID,
        responseHeadersPolicyId: SECURITY_HEADERS_POLICY_ID,
        compress: true,
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: certificate
        ? { acmCertificateArn: certificate, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' }
        : { cloudfrontDefaultCertificate: true, minimumProtocolVersion: 'TLSv1' },
    },
    children,
  );
}

/** iam.tf: the role the app runs as, who may assume it, and its least-privilege policy. */
function appIam(name: string, v: Validated, bucket: aws.s3.Bucket, children: Children) {
  const account = aws.getCallerIdentityOutput({}, children);
  const partition = aws.getPartitionOutput({}, children);
  const region = aws.getRegionOutput({}, children);
  const appTrustPolicyJson = pulumi
    .all([v.valid, account.accountId, partition.partition, region.region])
    .apply(([c, accountId, partitionName, regionName]) =>
      JSON.stringify(
        trustPolicy({
          services: c.appTrustedServices,
          roleArns: c.appTrustedRoleArns,
          irsaOidcProviderArn: c.appIrsaOidcProviderArn,
          irsaServiceAccounts: c.appIrsaServiceAccounts,
          eksPodIdentity: c.appEksPodIdentity,
          accountId,
          partition: partitionName,
          region: regionName,
        }),
      ),
    );
  const appPolicyJson = pulumi
    .all([bucket.arn, v.appObjectPrefixes, v.kmsKeyArn ?? null, region.region])
    .apply(([arn, prefixes, key, regionName]) => JSON.stringify(appPolicy(arn, prefixes, key, regionName)));

  const role = new aws.iam.Role(
    `${name}-app-role`,
    {
      name: v.valid.appRoleName,
      path: v.appRolePath,
      description: pulumi.interpolate`Runs the image app with access to ${v.bucketName} only.`,
      assumeRolePolicy: appTrustPolicyJson,
      permissionsBoundary: v.appRolePermissionsBoundaryArn,
      tags: v.tags,
    },
    children,
  );
  const policy = new aws.iam.Policy(
    `${name}-app-policy`,
    {
      name: pulumi.interpolate`${v.appRoleName}-s3`,
      path: v.appRolePath,
      description: pulumi.interpolate`Least-privilege S3 access for the image app on ${v.bucketName}.`,
      policy: appPolicyJson,
      tags: v.tags,
    },
    children,
  );
  new aws.iam.RolePolicyAttachment(`${name}-app-policy-attachment`, { role: role.name, policyArn: policy.arn }, children);
  const instanceProfile = v.createInstanceProfile
    ? new aws.iam.InstanceProfile(
        `${name}-app-instance-profile`,
        { name: v.appRoleName, path: v.appRolePath, role: role.name, tags: v.tags },
        children,
      )
    : undefined;
  return { role, policy, instanceProfile, appTrustPolicyJson, appPolicyJson };
}

/** outputs.tf, name for name. */
function outputsOf(v: Validated, storage: ReturnType<typeof bucketResources>, app: ReturnType<typeof appIam>) {
  const { bucket, distribution } = storage;
  const none = pulumi.output(undefined);
  return {
    bucketName: bucket.id,
    bucketArn: bucket.arn,
    bucketRegionalDomainName: bucket.bucketRegionalDomainName,
    publicBaseUrl: distribution
      ? pulumi.all([v.cloudfrontAliases, distribution.domainName]).apply(([aliases, domain]) => `https://${aliases[0] ?? domain}`)
      : v.bucketPolicyEnabled
        ? pulumi.interpolate`https://${bucket.bucketRegionalDomainName}`
        : none,
    cloudfrontDistributionId: distribution ? distribution.id : none,
    cloudfrontDistributionArn: distribution ? distribution.arn : none,
    cloudfrontDomainName: distribution ? distribution.domainName : none,
    cloudfrontKmsKeyPolicyStatement:
      distribution && v.kmsEnabled ? distribution.arn.apply((arn) => JSON.stringify(cloudfrontKmsPolicy(arn))) : none,
    appRoleArn: app.role.arn,
    appRoleName: app.role.name,
    appPolicyArn: app.policy.arn,
    appInstanceProfileName: app.instanceProfile ? app.instanceProfile.name : none,
    bucketPolicyJson: storage.bucketPolicyJson,
    appPolicyJson: app.appPolicyJson,
    appTrustPolicyJson: app.appTrustPolicyJson,
  } satisfies { [K in keyof ImageBucket]?: unknown };
}
