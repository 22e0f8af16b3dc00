/**
 * What went wrong with S3, in the app's terms. The AWS SDK reports failures in several shapes (service
 * exceptions with a name and $metadata, Node network errors with a code, aborts, timeouts); code above this
 * module asks s3FailureKind (or isNotFound) rather than reading those shapes itself.
 */
export type S3FailureKind =
  /** S3 did not answer within the deadline (a hung endpoint, or one too slow). */
  | 'timeout'
  /** S3 could not be reached at all. */
  | 'unreachable'
  /** The bucket does not exist: not provisioned yet, or LocalStack restarted and lost it. */
  | 'missing-bucket'
  /** A conditional write lost: someone else changed (or removed) the object first. */
  | 'precondition-failed'
  /** S3 answered with an error of its own (access denied, throttling, ...). */
  | 'refused';

export class S3Failure extends Error {
  constructor(
    readonly kind: S3FailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'S3Failure';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/** The kind of an error thrown by an S3 call, or undefined when it did not come from S3. */
export function s3FailureKind(err: unknown): S3FailureKind | undefined {
  if (err instanceof S3Failure) return err.kind;
  const e = err as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number }; Code?: unknown } | undefined;
  if (!e || typeof e !== 'object') return undefined;
  const name = typeof e.name === 'string' ? e.name : '';
  if (name === 'TimeoutError' || name === 'AbortError' || e.code === 'ETIMEDOUT') return 'timeout';
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return 'unreachable';
  if (name === 'NoSuchBucket') return 'missing-bucket';
  const status = e.$metadata?.httpStatusCode;
  // If-Match on an object that is gone answers 404 NoSuchKey on S3; either way the write lost.
  if (name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 412) return 'precondition-failed';
  if (e.$metadata) return 'refused';
  return undefined;
}

export const isNotFound = (err: unknown): boolean => {
  const name = (err as { name?: unknown } | undefined)?.name;
  return name === 'NoSuchKey' || name === 'NotFound';
};

/**
 * What a storage failure means for the person running the app: for the client (5xx answers), the readiness
 * probe and the start-up log alike. A missing bucket is named, with how to provision it: the usual cause is a
 * LocalStack that restarted empty.
 */
export function describeS3Failure(err: unknown, bucket: string): string {
  switch (s3FailureKind(err)) {
    case 'timeout':
      return `Image storage did not answer in time${err instanceof S3Failure ? ` (${err.message})` : ''}; try again shortly`;
    case 'unreachable':
      return 'Image storage is unreachable; try again shortly';
    case 'missing-bucket':
      return (
        `Bucket "${bucket}" does not exist. Provision it: \`docker compose up\` runs Terraform (or Pulumi) again; ` +
        'outside compose, `terraform -chdir=terraform/environments/localstack apply` or `pulumi up --stack localstack`.'
      );
    case 'refused':
      return `Image storage refused the request (${String((err as { name?: unknown }).name ?? 'error')})`;
    default:
      return 'Internal server error';
  }
}
