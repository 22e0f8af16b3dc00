/**
 * The Terraform module's variable validations, rule for rule and message for message, so both tools
 * refuse the same inputs (the parity test feeds them the same bad values).
 */
import type { ImageBucketArgs } from './image-bucket';

const PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;
const wholeDays = (n: number) => n >= 1 && Number.isInteger(n);

type Rule = [field: keyof ImageBucketArgs, ok: (args: ImageBucketArgs) => boolean, message: string];

const RULES: Rule[] = [
  [
    'bucketName',
    (a) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(a.bucketName) && !a.bucketName.includes('..'),
    'bucket_name must be 3-63 characters of lowercase letters, digits, dots and hyphens, start and end with a letter or digit, and contain no "..".',
  ],
  [
    'bucketName',
    (a) => !/^\d+\.\d+\.\d+\.\d+$/.test(a.bucketName) && !a.bucketName.startsWith('xn--') && !a.bucketName.endsWith('-s3alias'),
    'bucket_name must not look like an IP address, start with "xn--" or end with "-s3alias".',
  ],
  [
    'publicReadPrefix',
    (a) => a.publicReadPrefix === undefined || a.publicReadPrefix === null || PREFIX.test(a.publicReadPrefix),
    'public_read_prefix must be null or a non-empty key prefix ending in "/" (for example "images/"); an empty prefix would make the whole bucket public.',
  ],
  [
    'appObjectPrefixes',
    (a) => a.appObjectPrefixes === undefined || (a.appObjectPrefixes.length > 0 && a.appObjectPrefixes.every((p) => PREFIX.test(p))),
    'app_object_prefixes must list at least one prefix, each non-empty and ending in "/".',
  ],
  [
    'corsAllowedOrigins',
    (a) => (a.corsAllowedOrigins ?? []).every((o) => o === '*' || /^https?:\/\/[^/]+$/.test(o)),
    'cors_allowed_origins entries must be "*" or an origin such as "https://app.example.com" (scheme and host, no path or trailing slash).',
  ],
  [
    'noncurrentVersionExpirationDays',
    (a) => a.noncurrentVersionExpirationDays === undefined || wholeDays(a.noncurrentVersionExpirationDays),
    'noncurrent_version_expiration_days must be a whole number of days, at least 1.',
  ],
  [
    'abortIncompleteMultipartUploadDays',
    (a) => a.abortIncompleteMultipartUploadDays === undefined || wholeDays(a.abortIncompleteMultipartUploadDays),
    'abort_incomplete_multipart_upload_days must be a whole number of days, at least 1.',
  ],
  [
    'kmsKeyArn',
    (a) => a.kmsKeyArn === undefined || a.kmsKeyArn === null || /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/.test(a.kmsKeyArn),
    'kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).',
  ],
  [
    'appRoleName',
    (a) => a.appRoleName === undefined || a.appRoleName === null || /^[\w+=,.@-]{1,64}$/.test(a.appRoleName),
    'app_role_name must be 1-64 characters of letters, digits and +=,.@_-.',
  ],
  [
    'appTrustedServices',
    (a) => (a.appTrustedServices ?? []).every((s) => /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(s)),
    'app_trusted_services entries must be service principals such as "ecs-tasks.amazonaws.com".',
  ],
  [
    'appTrustedRoleArns',
    (a) => (a.appTrustedRoleArns ?? []).every((r) => /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(r)),
    'app_trusted_role_arns entries must be IAM role ARNs (arn:aws:iam::<account>:role/<name>).',
  ],
];

/** The module's lifecycle preconditions: combinations that are each valid alone but not together. */
const PRECONDITIONS: [ok: (a: ImageBucketArgs) => boolean, message: string][] = [
  [
    (a) => !(a.kmsKeyArn && (a.publicReadPrefix === undefined || a.publicReadPrefix !== null)),
    'SSE-KMS objects cannot be read anonymously, so public read would serve errors: set public_read_prefix = null when kms_key_arn is set.',
  ],
  [
    (a) => (a.appTrustedServices ?? ['ecs-tasks.amazonaws.com']).length + (a.appTrustedRoleArns ?? []).length > 0,
    'The app role needs someone to assume it: set app_trusted_services or app_trusted_role_arns.',
  ],
];

export class ImageBucketArgsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid ImageBucket arguments:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ImageBucketArgsError';
  }
}

/** Returns `field: message` for every rule the arguments break (empty when they are valid). */
export function imageBucketArgProblems(args: ImageBucketArgs): string[] {
  const broken = RULES.filter(([, ok]) => !ok(args)).map(([field, , message]) => `${field}: ${message}`);
  if (broken.length > 0) return broken;
  return PRECONDITIONS.filter(([ok]) => !ok(args)).map(([, message]) => message);
}
