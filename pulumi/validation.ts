/**
 * The Terraform module's variable validations and preconditions, rule for rule and message for message, so
 * both tools refuse the same inputs (the parity test feeds them the same bad values). A rule is checked as soon
 * as its value is known: at once for plain values (the constructor throws), when the Output resolves otherwise
 * (the deployment fails with the same message).
 */
import * as pulumi from '@pulumi/pulumi';
import type { ImageBucketArgs } from './args';
import { InvalidInputError } from './problems';

/** The component's arguments broke the module's rules. */
export const argsError = (problems: string[]) => new InvalidInputError('ImageBucket arguments', problems);

const PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;
const wholeDays = (n: number) => n >= 1 && Number.isInteger(n);

/** One variable's rules: each a test of the resolved value (null and undefined pass: they mean "off" or "default"). */
type Rules<T> = [ok: (value: T) => boolean, message: string][];

export const RULES: { [K in keyof ImageBucketArgs]?: Rules<pulumi.Unwrap<NonNullable<ImageBucketArgs[K]>>> } = {
  bucketName: [
    [
      (v) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes('..'),
      'bucket_name must be 3-63 characters of lowercase letters, digits, dots and hyphens, start and end with a letter or digit, and contain no "..".',
    ],
    [
      (v) => !/^\d+\.\d+\.\d+\.\d+$/.test(v) && !v.startsWith('xn--') && !v.endsWith('-s3alias'),
      'bucket_name must not look like an IP address, start with "xn--" or end with "-s3alias".',
    ],
  ],
  publicReadPrefix: [
    [
      (v) => PREFIX.test(v),
      'public_read_prefix must be null or a non-empty key prefix ending in "/" (for example "images/"); an empty prefix would make the whole bucket public.',
    ],
  ],
  appObjectPrefixes: [
    [
      (v) => v.length > 0 && v.every((p) => PREFIX.test(p)),
      'app_object_prefixes must list at least one prefix, each non-empty and ending in "/".',
    ],
  ],
  corsAllowedOrigins: [
    [
      (v) => v.every((o) => o === '*' || /^https?:\/\/[^/]+$/.test(o)),
      'cors_allowed_origins entries must be "*" or an origin such as "https://app.example.com" (scheme and host, no path or trailing slash).',
    ],
  ],
  noncurrentVersionExpirationDays: [[wholeDays, 'noncurrent_version_expiration_days must be a whole number of days, at least 1.']],
  abortIncompleteMultipartUploadDays: [[wholeDays, 'abort_incomplete_multipart_upload_days must be a whole number of days, at least 1.']],
  kmsKeyArn: [
    [
      (v) => /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/.test(v),
      'kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).',
    ],
  ],
  appRoleName: [[(v) => /^[\w+=,.@-]{1,64}$/.test(v), 'app_role_name must be 1-64 characters of letters, digits and +=,.@_-.']],
  appTrustedServices: [
    [
      (v) => v.every((s) => /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(s)),
      'app_trusted_services entries must be service principals such as "ecs-tasks.amazonaws.com".',
    ],
  ],
  appTrustedRoleArns: [
    [
      (v) => v.every((r) => /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(r)),
      'app_trusted_role_arns entries must be IAM role ARNs (arn:aws:iam::<account>:role/<name>).',
    ],
  ],
};

/** The module's preconditions: combinations that are each valid alone but not together. */
export const PRECONDITIONS = {
  kmsWithoutPublicRead:
    'SSE-KMS objects cannot be read anonymously, so public read would serve errors: set public_read_prefix = null when kms_key_arn is set.',
  someoneMayAssume: 'The app role needs someone to assume it: set app_trusted_services or app_trusted_role_arns.',
};

/** `field: message` for each rule the value breaks. */
export function problemsOf<K extends keyof ImageBucketArgs>(field: K, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const rules = (RULES[field] ?? []) as Rules<unknown>;
  return rules.filter(([ok]) => !ok(value)).map(([, message]) => `${field}: ${message}`);
}

/**
 * The value, checked: plain values at once (throws), Outputs when they resolve (the Output fails). Either way
 * the problems of every argument given plainly are reported together.
 */
export function checked<T>(field: keyof ImageBucketArgs, value: pulumi.Input<T>, collect: string[]): pulumi.Output<pulumi.Unwrap<T>> {
  if (!pulumi.Output.isInstance(value) && !((value as unknown) instanceof Promise)) {
    collect.push(...problemsOf(field, value));
    return pulumi.output(value);
  }
  return pulumi.output(value).apply((resolved) => {
    const problems = problemsOf(field, resolved);
    if (problems.length > 0) throw argsError(problems);
    return resolved;
  });
}
