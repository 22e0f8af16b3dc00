/**
 * The one place the app reads its environment. Everything is validated at start so a typo in a
 * deployment fails loudly before the first request instead of on the first upload.
 * Credentials are deliberately absent: the AWS SDK's default chain (env, profile, ECS/EC2 role) finds them.
 */

export interface AppConfig {
  port: number;
  bucket: string;
  /** Custom S3 endpoint (LocalStack, s3rver, MinIO); undefined means real AWS. */
  endpoint: string | undefined;
  forcePathStyle: boolean;
  region: string;
  /** Prefix of every image_url: `${publicBaseUrl}/${key}`. No trailing slash. */
  publicBaseUrl: string;
  maxUploadBytes: number;
  /** Idle time after which a stalled upload is answered 408 and aborted. */
  uploadIdleTimeoutMs: number;
  /** Whole-request limit for every body but uploads (JSON): a slow-drip client is answered 408. */
  requestBodyTimeoutMs: number;
  /** Deadline of one S3 call, retries included; also how long an S3 connection may stay silent. */
  s3TimeoutMs: number;
  /** How long SIGTERM waits for in-flight requests before forcing exit. */
  shutdownTimeoutMs: number;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Every variable the app reads: the deployment files (compose) are checked against this list. */
export const ENVIRONMENT_VARIABLES = [
  'PORT',
  'S3_BUCKET',
  'S3_ENDPOINT',
  'S3_FORCE_PATH_STYLE',
  'AWS_REGION',
  'PUBLIC_BASE_URL',
  'MAX_UPLOAD_BYTES',
  'UPLOAD_IDLE_TIMEOUT_MS',
  'REQUEST_BODY_TIMEOUT_MS',
  'S3_TIMEOUT_MS',
  'SHUTDOWN_TIMEOUT_MS',
  'LOG_LEVEL',
] as const;
type VariableName = (typeof ENVIRONMENT_VARIABLES)[number];
/** Typed by name, so reading a variable not in the list above does not compile. */
type Env = { readonly [name in VariableName]?: string };

const MiB = 1024 * 1024;
/** The smallest part S3 accepts is 5 MiB, so smaller limits only make sense in tests; 5 TiB is S3's object limit. */
const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * MiB;
const BUCKET_NAME = /^(?!xn--)(?!.*-s3alias$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];

  const int = (name: VariableName, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const url = (name: VariableName, raw: string | undefined): string | undefined => {
    if (raw === undefined || raw === '') return undefined;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
      return raw.replace(/\/+$/, '');
    } catch {
      problems.push(`${name} must be an http(s) URL, got "${raw}"`);
      return undefined;
    }
  };

  const bool = (name: VariableName, fallback: boolean): boolean => {
    const raw = env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw)) return true;
    if (['0', 'false', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${env[name]}"`);
    return fallback;
  };

  const bucket = env.S3_BUCKET ?? '';
  if (!bucket) problems.push('S3_BUCKET is required (the bucket that holds images and inventory)');
  else if (!BUCKET_NAME.test(bucket)) problems.push(`S3_BUCKET "${bucket}" is not a valid S3 bucket name`);

  const endpoint = url('S3_ENDPOINT', env.S3_ENDPOINT);
  const region = env.AWS_REGION || 'us-east-1';
  // A custom endpoint almost always means LocalStack/s3rver/MinIO, which want path-style URLs.
  const forcePathStyle = bool('S3_FORCE_PATH_STYLE', endpoint !== undefined);

  const defaultPublicBase = endpoint ? `${endpoint}/${bucket}` : `https://${bucket}.s3.${region}.amazonaws.com`;
  const publicBaseUrl = url('PUBLIC_BASE_URL', env.PUBLIC_BASE_URL) ?? defaultPublicBase;

  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const config: AppConfig = {
    port: int('PORT', 8080, 0, 65535),
    bucket,
    endpoint,
    forcePathStyle,
    region,
    publicBaseUrl,
    maxUploadBytes: int('MAX_UPLOAD_BYTES', 100 * MiB, 1, MAX_OBJECT_BYTES),
    uploadIdleTimeoutMs: int('UPLOAD_IDLE_TIMEOUT_MS', 30_000, 100, 3_600_000),
    requestBodyTimeoutMs: int('REQUEST_BODY_TIMEOUT_MS', 10_000, 100, 600_000),
    s3TimeoutMs: int('S3_TIMEOUT_MS', 10_000, 100, 600_000),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 25_000, 0, 3_600_000),
    logLevel,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
