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

// No "*" or "?": in a policy's Resource they match across "/".
const PREFIX = /^[A-Za-z0-9!_.'()-]+(\/[A-Za-z0-9!_.'()-]+)*\/$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const oneOf = (values: string[]) => (v: string) => values.includes(v);
const wholeDays = (n: number) => n >= 1 && Number.isInteger(n);

/** One variable's rules: each a test of the resolved value (null and undefined pass: they mean "off" or "default"). */
type Rules<T> = [ok: (value: T) => boolean, message: string][];

export const RULES: { [K in keyof ImageBucketArgs]?: Rules<pulumi.Unwrap<NonNullable<ImageBucketArgs[K]>>> } = {
  bucketName: [
    [
      (v) => BUCKET_NAME.test(v) && !v.includes('..'),
      'bucket_name must be 3-63 characters of lowercase letters, digits, dots and hyphens, start and end with a letter or digit, and contain no "..".',
    ],
    [
      (v) => !/^\d+\.\d+\.\d+\.\d+$/.test(v) && !v.startsWith('xn--') && !v.endsWith('-s3alias'),
      'bucket_name must not look like an IP address, start with "xn--" or end with "-s3alias".',
    ],
    [
      (v) =>
        !['sthree-', 'amzn-s3-demo-'].some((p) => v.startsWith(p)) &&
        !['--ol-s3', '--x-s3', '--table-s3', '.mrap'].some((s) => v.endsWith(s)),
      'bucket_name uses a prefix or suffix AWS reserves ("sthree-", "amzn-s3-demo-", "--ol-s3", "--x-s3", "--table-s3", ".mrap"): choose another name.',
    ],
  ],
  imageDelivery: [[oneOf(['cloudfront', 'bucket_policy', 'none']), 'image_delivery must be "cloudfront", "bucket_policy" or "none".']],
  publicReadPrefix: [
    [
      (v) => PREFIX.test(v),
      'public_read_prefix must be a non-empty key prefix ending in "/" (for example "images/"), without "*" or "?": an empty prefix or a wildcard would make other keys public. Use image_delivery = "none" to publish nothing.',
    ],
  ],
  appObjectPrefixes: [
    [
      (v) => v.length > 0 && v.every((p) => PREFIX.test(p)),
      'app_object_prefixes must list at least one prefix, each non-empty, ending in "/", and without "*" or "?" (a wildcard would grant the app keys outside its prefixes).',
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
  appIrsaOidcProviderArn: [
    [
      (v) => /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+$/.test(v),
      'app_irsa_oidc_provider_arn must be null or an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<issuer host and path>).',
    ],
  ],
  appIrsaServiceAccounts: [
    [
      (v) => v.every((a) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(a)),
      'app_irsa_service_accounts entries must be "<namespace>:<service account name>", for example "inventory:web".',
    ],
  ],
  appRolePath: [
    [
      (v) => /^\/([A-Za-z0-9+=,.@_-]+\/)*$/.test(v) && v.length <= 512,
      'app_role_path must start and end with "/" (for example "/" or "/apps/"), with letters, digits and +=,.@_- between.',
    ],
  ],
  appRolePermissionsBoundaryArn: [
    [
      (v) => /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+$/.test(v),
      'app_role_permissions_boundary_arn must be null or a managed policy ARN (arn:aws:iam::<account>:policy/<name>).',
    ],
  ],
  cloudfrontAliases: [
    [
      (v) => v.every((a) => /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(a)),
      'cloudfront_aliases entries must be lowercase DNS names such as "images.example.com" (or "*.example.com").',
    ],
  ],
  cloudfrontAcmCertificateArn: [
    [
      (v) => /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/.+$/.test(v),
      'cloudfront_acm_certificate_arn must be null or an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>): CloudFront reads certificates only from us-east-1.',
    ],
  ],
  cloudfrontWebAclArn: [
    [
      (v) => /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/.test(v),
      'cloudfront_web_acl_arn must be null or a WAFv2 web ACL ARN of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>).',
    ],
  ],
  cloudfrontPriceClass: [
    [
      oneOf(['PriceClass_100', 'PriceClass_200', 'PriceClass_All']),
      'cloudfront_price_class must be "PriceClass_100", "PriceClass_200" or "PriceClass_All".',
    ],
  ],
  accessLogs: [
    [
      (v) => BUCKET_NAME.test(v.targetBucket),
      'access_logs.target_bucket must be a bucket name (3-63 lowercase letters, digits, dots and hyphens).',
    ],
    [
      (v) => v.targetPrefix === null || v.targetPrefix === undefined || /^[A-Za-z0-9!_.'()/-]*\/$/.test(v.targetPrefix),
      'access_logs.target_prefix must be null or a key prefix ending in "/".',
    ],
  ],
  tags: [
    [
      (v) => Object.keys(v).every((k) => !k.toLowerCase().startsWith('aws:')),
      'tags keys must not start with "aws:": AWS reserves that prefix and refuses such tags.',
    ],
  ],
};

/** The module's preconditions: combinations that are each valid alone but not together. */
export const PRECONDITIONS = {
  publicInsideAppPrefixes: (prefix: string) =>
    `public_read_prefix (${prefix}) must lie inside one of app_object_prefixes, or the app could never write the images it publishes.`,
  dottedNameFromTheBucket: (name: string) =>
    `A bucket_name with dots (${name}) cannot serve images over HTTPS from the bucket: S3's certificate does not cover it. Use image_delivery = "cloudfront" or a name without dots.`,
  cloudfrontSettingsOnlyWithCloudfront: (delivery: string) =>
    `cloudfront_aliases, cloudfront_acm_certificate_arn and cloudfront_web_acl_arn apply only with image_delivery = "cloudfront" (it is "${delivery}").`,
  kmsNotFromTheBucket:
    'SSE-KMS objects cannot be read anonymously, so image_delivery = "bucket_policy" would serve errors: use "cloudfront" (and add the output cloudfront_kms_key_policy_statement to the key\'s policy) or "none" when kms_key_arn is set.',
  aliasesWithCertificate:
    'cloudfront_aliases and cloudfront_acm_certificate_arn go together: CloudFront serves a custom domain only with a certificate that covers it, and a certificate without aliases is never used.',
  someoneMayAssume:
    'The app role needs someone to assume it: set app_trusted_services, app_trusted_role_arns, app_irsa_service_accounts or app_eks_pod_identity.',
  irsaTogether:
    'app_irsa_oidc_provider_arn and app_irsa_service_accounts go together: the provider says which cluster, the service accounts which pods.',
  roleNameLength: (name: string) =>
    `The app role's name "${name}" is longer than IAM's 64 characters: set app_role_name, or use a bucket_name of at most 60 characters.`,
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
