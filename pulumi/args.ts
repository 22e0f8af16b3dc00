/**
 * The ImageBucket component's arguments: the Terraform module's variables, name for name in camelCase, with
 * the module's defaults. Values are `pulumi.Input`s, so they can come from other resources (`kmsKeyArn:
 * key.arn`). Only what decides the shape of the resource graph is plain: whether public read is on
 * (`publicReadPrefix: null` switches it off), whether SSE-KMS is on, whether CORS origins are given, and
 * whether an instance profile is created.
 */
import type * as pulumi from '@pulumi/pulumi';

export interface ImageBucketArgs {
  /** Name of the bucket. Globally unique; 3-63 characters of lowercase letters, digits, dots and hyphens. */
  readonly bucketName: pulumi.Input<string>;
  /** Key prefix that anyone may read by URL (s3:GetObject only). null disables public read entirely. */
  readonly publicReadPrefix?: pulumi.Input<string> | null;
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
  /** AWS service principals allowed to assume the app role. */
  readonly appTrustedServices?: pulumi.Input<pulumi.Input<string>[]>;
  /** IAM role ARNs allowed to assume the app role. */
  readonly appTrustedRoleArns?: pulumi.Input<pulumi.Input<string>[]>;
  /** Also create an EC2 instance profile for the app role. */
  readonly createInstanceProfile?: boolean;
  /** Tags applied to every resource that supports them. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The module's defaults (variables.tf). */
export const IMAGE_BUCKET_DEFAULTS = {
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
  tags: {} as Record<string, string>,
};
