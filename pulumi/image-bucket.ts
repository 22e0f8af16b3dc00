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

export class ImageBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly bucketRegionalDomainName: pulumi.Output<string>;
  /** An image's URL is this, "/", and its key; undefined when nothing is public. */
  public readonly publicBaseUrl: pulumi.Output<string | undefined>;
  public readonly cloudfrontDistributionId: pulumi.Output<string | undefined>;
  public readonly cloudfrontDistributionArn: pulumi.Output<string | undefined>;
  public readonly cloudfrontDomainName: pulumi.Output<string | undefined>;
  /** With CloudFront and KMS: the statement to add to the key's policy (as a policy document, JSON). */
  public readonly cloudfrontKmsKeyPolicyStatement: pulumi.Output<string | undefined>;
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
    const imageDelivery = args.imageDelivery ?? DEFAULTS.imageDelivery;
    const cloudfrontEnabled = imageDelivery === 'cloudfront';
    const kmsEnabled = args.kmsKeyArn !== null && args.kmsKeyArn !== undefined;
    const accessLogsEnabled = args.accessLogs !== null && args.accessLogs !== undefined;
    const corsOrigins = args.corsAllowedOrigins ?? DEFAULTS.corsAllowedOrigins;
    const createInstanceProfile = args.createInstanceProfile ?? DEFAULTS.createInstanceProfile;

    // Every value, checked against the module's rules (at once when plain, on resolution when an Output).
    const problems: string[] = [];
    const optional = <K extends keyof ImageBucketArgs>(field: K) =>
      args[field] === null || args[field] === undefined ? undefined : checked(field, args[field] as pulumi.Input<unknown>, problems);
    const bucketName = checked('bucketName', args.bucketName, problems);
    checked('imageDelivery', imageDelivery, problems);
    const publicReadPrefix = checked('publicReadPrefix', args.publicReadPrefix ?? DEFAULTS.publicReadPrefix, problems);
    const appObjectPrefixes = checked('appObjectPrefixes', args.appObjectPrefixes ?? DEFAULTS.appObjectPrefixes, problems);
    const corsAllowedOrigins = checked(
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
    const kmsKeyArn = optional('kmsKeyArn') as pulumi.Output<string> | undefined;
    const appRoleNameArg = optional('appRoleName') as pulumi.Output<string> | undefined;
    const appTrustedServices = checked('appTrustedServices', args.appTrustedServices ?? DEFAULTS.appTrustedServices, problems);
    const appTrustedRoleArns = checked('appTrustedRoleArns', args.appTrustedRoleArns ?? DEFAULTS.appTrustedRoleArns, problems);
    const appIrsaOidcProviderArn = optional('appIrsaOidcProviderArn') as pulumi.Output<string> | undefined;
    const appIrsaServiceAccounts = checked(
      'appIrsaServiceAccounts',
      args.appIrsaServiceAccounts ?? DEFAULTS.appIrsaServiceAccounts,
      problems,
    );
    const appRolePath = checked('appRolePath', args.appRolePath ?? DEFAULTS.appRolePath, problems);
    const appRolePermissionsBoundaryArn = optional('appRolePermissionsBoundaryArn') as pulumi.Output<string> | undefined;
    const cloudfrontAliases = checked('cloudfrontAliases', args.cloudfrontAliases ?? DEFAULTS.cloudfrontAliases, problems);
    const cloudfrontAcmCertificateArn = optional('cloudfrontAcmCertificateArn') as pulumi.Output<string> | undefined;
    const cloudfrontWebAclArn = optional('cloudfrontWebAclArn') as pulumi.Output<string> | undefined;
    const cloudfrontPriceClass = checked('cloudfrontPriceClass', args.cloudfrontPriceClass ?? DEFAULTS.cloudfrontPriceClass, problems);
    const accessLogs = optional('accessLogs') as pulumi.Output<{ targetBucket: string; targetPrefix?: string | null }> | undefined;
    const tags = checked('tags', args.tags ?? DEFAULTS.tags, problems);
    const appRoleName = appRoleNameArg ?? pulumi.interpolate`${bucketName}-app`;

    // The module's preconditions, once every value is valid on its own, over the values as given (defaults filled
    // in): at once when all of them are plain (the constructor throws), else when they resolve, after each one
    // passed its own rules (the deployment fails with the same message).
    const given = {
      bucketName: args.bucketName,
      imageDelivery,
      publicReadPrefix: args.publicReadPrefix ?? DEFAULTS.publicReadPrefix,
      appObjectPrefixes: args.appObjectPrefixes ?? DEFAULTS.appObjectPrefixes,
      kms: kmsEnabled,
      cloudfrontAliases: args.cloudfrontAliases ?? DEFAULTS.cloudfrontAliases,
      cloudfrontAcmCertificateArn: args.cloudfrontAcmCertificateArn ?? null,
      cloudfrontWebAclArn: args.cloudfrontWebAclArn ?? null,
      appTrustedServices: args.appTrustedServices ?? DEFAULTS.appTrustedServices,
      appTrustedRoleArns: args.appTrustedRoleArns ?? DEFAULTS.appTrustedRoleArns,
      appIrsaOidcProviderArn: args.appIrsaOidcProviderArn ?? null,
      appIrsaServiceAccounts: args.appIrsaServiceAccounts ?? DEFAULTS.appIrsaServiceAccounts,
      appEksPodIdentity: args.appEksPodIdentity ?? DEFAULTS.appEksPodIdentity,
      appRoleName: args.appRoleName ?? (isPlain(args.bucketName) ? `${args.bucketName}-app` : pulumi.interpolate`${args.bucketName}-app`),
    };
    if (problems.length === 0 && Object.values(given).every(isKnown)) problems.push(...preconditionProblems(given as Combination));
    if (problems.length > 0) throw argsError(problems);
    const checkedValues: pulumi.Input<unknown>[] = [
      bucketName,
      publicReadPrefix,
      appObjectPrefixes,
      cloudfrontAliases,
      cloudfrontAcmCertificateArn,
      cloudfrontWebAclArn,
      appTrustedServices,
      appTrustedRoleArns,
      appIrsaOidcProviderArn,
      appIrsaServiceAccounts,
      appRoleName,
    ];
    const valid = pulumi
      .all(checkedValues)
      .apply(() => pulumi.output(given) as pulumi.Output<Combination>)
      .apply((c) => {
        const late = preconditionProblems(c);
        if (late.length > 0) throw argsError(late);
        return c;
      });

    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);

    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucket: valid.bucketName, forceDestroy: args.forceDestroy ?? DEFAULTS.forceDestroy, tags },
      parent,
    );

    // ACLs off: the bucket owner owns every object and only policies decide access.
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      parent,
    );

    // Public ACLs always refused; a public *policy* only with image_delivery = "bucket_policy".
    const bucketPolicyEnabled = imageDelivery === 'bucket_policy';
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: !bucketPolicyEnabled,
        restrictPublicBuckets: !bucketPolicyEnabled,
      },
      parent,
    );

    // image_delivery = "cloudfront": a distribution reads the private bucket, signed by an Origin Access Control.
    let distribution: aws.cloudfront.Distribution | undefined;
    if (cloudfrontEnabled) {
      const oac = new aws.cloudfront.OriginAccessControl(
        `${name}-oac`,
        {
          name: bucketName,
          description: pulumi.interpolate`Signs CloudFront's requests to the ${bucketName} bucket.`,
          originAccessControlOriginType: 's3',
          signingBehavior: 'always',
          signingProtocol: 'sigv4',
        },
        parent,
      );
      const certificate = cloudfrontAcmCertificateArn;
      distribution = new aws.cloudfront.Distribution(
        `${name}-cdn`,
        {
          enabled: true,
          isIpv6Enabled: true,
          httpVersion: 'http2and3',
          comment: pulumi.interpolate`Images of the ${bucketName} bucket`,
          aliases: valid.cloudfrontAliases,
          priceClass: cloudfrontPriceClass,
          webAclId: cloudfrontWebAclArn,
          tags,
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
        parent,
      );
    }

    const bucketPolicyJson = pulumi
      .all([bucket.arn, publicReadPrefix, distribution?.arn])
      .apply(([arn, prefix, distributionArn]) => JSON.stringify(bucketPolicy(arn, imageDelivery, prefix, distributionArn)));
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
            applyServerSideEncryptionByDefault: kmsEnabled
              ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: kmsKeyArn }
              : { sseAlgorithm: 'AES256' },
            // A bucket key makes S3 ask KMS for a data key per bucket rather than per object.
            bucketKeyEnabled: kmsEnabled,
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
          // Once its noncurrent versions expired, a delete marker is all that is left of an object.
          { id: 'remove-expired-delete-markers', status: 'Enabled', filter: {}, expiration: { expiredObjectDeleteMarker: true } },
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
              allowedOrigins: corsAllowedOrigins,
              allowedHeaders: ['*'],
              exposeHeaders: ['ETag'],
              maxAgeSeconds: 3600,
            },
          ],
        },
        parent,
      );
    }

    if (accessLogsEnabled) {
      new aws.s3.BucketLogging(
        `${name}-logging`,
        {
          bucket: bucket.id,
          targetBucket: accessLogs!.targetBucket,
          targetPrefix: pulumi
            .all([accessLogs!, bucketName])
            .apply(([logs, bucketNameValue]) => logs.targetPrefix ?? `${bucketNameValue}/`),
        },
        parent,
      );
    }

    const appTrustPolicyJson = pulumi
      .all([valid, account.accountId, partition.partition, region.region])
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
      .all([bucket.arn, appObjectPrefixes, kmsKeyArn ?? null, region.region])
      .apply(([arn, prefixes, key, regionName]) => JSON.stringify(appPolicy(arn, prefixes, key, regionName)));

    const role = new aws.iam.Role(
      `${name}-app-role`,
      {
        name: valid.appRoleName,
        path: appRolePath,
        description: pulumi.interpolate`Runs the image app with access to ${bucketName} only.`,
        assumeRolePolicy: appTrustPolicyJson,
        permissionsBoundary: appRolePermissionsBoundaryArn,
        tags,
      },
      parent,
    );
    const policy = new aws.iam.Policy(
      `${name}-app-policy`,
      {
        name: pulumi.interpolate`${appRoleName}-s3`,
        path: appRolePath,
        description: pulumi.interpolate`Least-privilege S3 access for the image app on ${bucketName}.`,
        policy: appPolicyJson,
        tags,
      },
      parent,
    );
    new aws.iam.RolePolicyAttachment(`${name}-app-policy-attachment`, { role: role.name, policyArn: policy.arn }, parent);
    const instanceProfile = createInstanceProfile
      ? new aws.iam.InstanceProfile(`${name}-app-instance-profile`, { name: appRoleName, path: appRolePath, role: role.name, tags }, parent)
      : undefined;

    this.bucketName = bucket.id;
    this.bucketArn = bucket.arn;
    this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
    this.publicBaseUrl = distribution
      ? pulumi.all([cloudfrontAliases, distribution.domainName]).apply(([aliases, domain]) => `https://${aliases[0] ?? domain}`)
      : bucketPolicyEnabled
        ? pulumi.interpolate`https://${bucket.bucketRegionalDomainName}`
        : pulumi.output(undefined);
    this.cloudfrontDistributionId = distribution ? distribution.id : pulumi.output(undefined);
    this.cloudfrontDistributionArn = distribution ? distribution.arn : pulumi.output(undefined);
    this.cloudfrontDomainName = distribution ? distribution.domainName : pulumi.output(undefined);
    this.cloudfrontKmsKeyPolicyStatement =
      distribution && kmsEnabled ? distribution.arn.apply((arn) => JSON.stringify(cloudfrontKmsPolicy(arn))) : pulumi.output(undefined);
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
      cloudfrontDistributionId: this.cloudfrontDistributionId,
      cloudfrontDistributionArn: this.cloudfrontDistributionArn,
      cloudfrontDomainName: this.cloudfrontDomainName,
      cloudfrontKmsKeyPolicyStatement: this.cloudfrontKmsKeyPolicyStatement,
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
