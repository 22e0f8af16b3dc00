/**
 * The ImageBucket component's arguments: the Terraform module's variables, name for name in camelCase, with
 * the module's defaults. Values are `pulumi.Input`s, so they can come from other resources (`kmsKeyArn:
 * key.arn`). Only what decides the shape of the resource graph is plain: how images are delivered
 * (`imageDelivery`), whether SSE-KMS is on, whether CORS origins or access logs are given, and
 * whether an instance profile is created.
 */
import type * as pulumi from '@pulumi/pulumi';

export type ImageDelivery = 'cloudfront' | 'bucket_policy' | 'none';

export interface AccessLogs {
  readonly targetBucket: pulumi.Input<string>;
  readonly targetPrefix?: pulumi.Input<string> | null;
}

export interface ImageBucketArgs {
  /** Name of the bucket. Globally unique; 3-63 characters of lowercase letters, digits, dots and hyphens. */
  readonly bucketName: pulumi.Input<string>;
  /** How browsers get the images: through CloudFront (an Origin Access Control), by the bucket policy, or not at all. */
  readonly imageDelivery?: ImageDelivery;
  /** Key prefix whose objects browsers may read, inside one of appObjectPrefixes. */
  readonly publicReadPrefix?: pulumi.Input<string>;
  /** Key prefixes the app may read, write and delete. */
  readonly appObjectPrefixes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Origins allowed to GET and HEAD objects cross-origin. Empty means no CORS rule. */
  readonly corsAllowedOrigins?: pulumi.Input<string>[];
  /** Allow destroy to delete a bucket that still holds objects. Keep false in production. */
  readonly forceDestroy?: pulumi.Input<boolean>;
  /** Keep previous versions of overwritten or deleted objects. Suspends versioning when false. */
  readonly versioningEnabled?: pulumi.Input<boolean>;
  /** Days after which a noncurrent object version is removed. */
  readonly noncurrentVersionExpirationDays?: pulumi.Input<number>;
  /** Days after which parts of an unfinished multipart upload are deleted. */
  readonly abortIncompleteMultipartUploadDays?: pulumi.Input<number>;
  /** ARN of a KMS key for SSE-KMS (with a bucket key). null uses SSE-S3. */
  readonly kmsKeyArn?: pulumi.Input<string> | null;
  /** Name of the IAM role the app runs as. Defaults to "<bucketName>-app". */
  readonly appRoleName?: pulumi.Input<string> | null;
  /** AWS service principals allowed to assume the app role (ECS tasks only for this account). */
  readonly appTrustedServices?: pulumi.Input<pulumi.Input<string>[]>;
  /** IAM role ARNs allowed to assume the app role. */
  readonly appTrustedRoleArns?: pulumi.Input<pulumi.Input<string>[]>;
  /** Also create an EC2 instance profile for the app role. */
  readonly createInstanceProfile?: boolean;
  /** EKS IRSA: ARN of the cluster's IAM OIDC provider (with appIrsaServiceAccounts). */
  readonly appIrsaOidcProviderArn?: pulumi.Input<string> | null;
  /** EKS IRSA: service accounts as "<namespace>:<name>". */
  readonly appIrsaServiceAccounts?: pulumi.Input<pulumi.Input<string>[]>;
  /** Let EKS Pod Identity (for clusters of this account) assume the app role. */
  readonly appEksPodIdentity?: pulumi.Input<boolean>;
  /** Path of the app role and its policy. */
  readonly appRolePath?: pulumi.Input<string>;
  /** ARN of a managed policy set as the app role's permissions boundary. */
  readonly appRolePermissionsBoundaryArn?: pulumi.Input<string> | null;
  /** Custom domain names of the CloudFront distribution (with cloudfrontAcmCertificateArn). */
  readonly cloudfrontAliases?: pulumi.Input<pulumi.Input<string>[]>;
  /** ACM certificate (us-east-1) covering cloudfrontAliases. */
  readonly cloudfrontAcmCertificateArn?: pulumi.Input<string> | null;
  /** WAFv2 web ACL (scope CLOUDFRONT) in front of the distribution. */
  readonly cloudfrontWebAclArn?: pulumi.Input<string> | null;
  /** CloudFront price class. */
  readonly cloudfrontPriceClass?: pulumi.Input<string>;
  /** S3 server access logs: an existing bucket that lets logging.s3.amazonaws.com write, and a prefix ("<bucketName>/"). */
  readonly accessLogs?: AccessLogs | null;
  /** Tags applied to every resource that supports them. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The module's defaults (variables.tf). */
export const IMAGE_BUCKET_DEFAULTS = {
  imageDelivery: 'cloudfront' as ImageDelivery,
  publicReadPrefix: 'images/',
  appObjectPrefixes: ['images/', 'inventory/'],
  corsAllowedOrigins: [] as string[],
  forceDestroy: false,
  versioningEnabled: true,
  noncurrentVersionExpirationDays: 30,
  abortIncompleteMultipartUploadDays: 1,
  appTrustedServices: ['ecs-tasks.amazonaws.com'],
  appTrustedRoleArns: [] as string[],
  createInstanceProfile: false,
  appIrsaServiceAccounts: [] as string[],
  appEksPodIdentity: false,
  appRolePath: '/',
  cloudfrontAliases: [] as string[],
  cloudfrontPriceClass: 'PriceClass_100',
  tags: {} as Record<string, string>,
};
