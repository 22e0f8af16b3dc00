/**
 * moto_server: an AWS emulator (S3, IAM, STS, KMS in one HTTP server) that the real AWS provider can apply
 * against. It stands in for AWS's control plane: does AWS accept this configuration, and does it keep it.
 *
 * What moto gets wrong, found here (moto 5.2.1), so no test relies on it:
 * - Its bucket-policy check treats a conditional Deny as a plain Deny: with the module's DenyInsecureTransport
 *   statement every object request to that bucket is refused, over HTTP and HTTPS alike. Object reads and
 *   writes are therefore only made on buckets without such a policy.
 * - It returns DENIED for an Allow whose condition does not match.
 * - Its conditional writes (If-Match, If-None-Match) check, then write, with no lock, and moto_server serves
 *   requests on many threads: two writes racing on one key can both pass the check. S3's are atomic. Tests that
 *   rely on that atomicity start moto serving one request at a time (`{ atomicWrites: true }`).
 * It is no authorization oracle; the IAM simulator (test/terraform/authorization.spec.ts) is.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { SAMPLE_ACCOUNT_ID, SAMPLE_REGION } from './constants';
import { requireTool, runs } from './tools';

/** moto accepts any credentials; these are dummies. */
export const MOTO_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * What moto 5.2.1 stores of a CloudFront distribution otherwise than it was sent (AWS keeps what it is sent):
 * it reads the certificate block back as the default certificate with SNI whatever was asked, does not keep an
 * origin's origin_access_control_id, and answers legacy forwarded_values next to a cache policy. Terraform
 * attribute paths (block.attribute).
 */
export const MOTO_DISTRIBUTION_READBACK = {
  certificate: ['viewer_certificate.ssl_support_method', 'viewer_certificate.cloudfront_default_certificate'],
  notStored: ['origin.origin_access_control_id', 'default_cache_behavior.forwarded_values'],
};

export interface Moto {
  endpoint: string;
  s3: S3Client;
  iam: IAMClient;
  /** Stops the process and starts a new, empty one on the same port (as LocalStack community does on restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** moto_server on PATH, and its Python package importable (for the one-thread server). */
export const motoInstalled = (): boolean => runs('moto_server', ['--help']) && runs('python3', ['-c', 'import moto.server']);

export function requireMoto(context: Mocha.Context): void {
  requireTool(context, motoInstalled(), 'moto_server (the AWS emulator)', 'Install it with: pip install "moto[server]"');
}

/**
 * Starts moto_server on a free loopback port. Resources it creates belong to the project's sample account.
 * With `atomicWrites`, moto's own server application runs on one thread instead, so each conditional write is
 * checked and stored before the next request is read (see above).
 */
export async function startMoto(options: { atomicWrites?: boolean } = {}): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const launch = () => start(port, options.atomicWrites ?? false);
  let child = await launch();
  const clientConfig = { region: SAMPLE_REGION, endpoint, credentials: MOTO_CREDENTIALS };
  const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
  const iam = new IAMClient(clientConfig);
  return {
    endpoint,
    s3,
    iam,
    async restart() {
      await kill(child);
      child = await launch();
    },
    async stop() {
      s3.destroy();
      iam.destroy();
      await kill(child);
    },
  };
}

/** moto's server application, as moto_server runs it, but on a single thread. */
const ONE_THREAD = [
  'from werkzeug.serving import run_simple',
  'from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app',
  'import sys',
  "run_simple('127.0.0.1', int(sys.argv[1]), DomainDispatcherApplication(create_backend_app), threaded=False)",
].join('\n');

async function start(port: number, oneThread: boolean): Promise<ChildProcess> {
  const [command, args] = oneThread
    ? ['python3', ['-c', ONE_THREAD, String(port)]]
    : ['moto_server', ['-H', '127.0.0.1', '-p', String(port)]];
  const child = spawn(command, args, {
    env: { ...process.env, MOTO_ACCOUNT_ID: SAMPLE_ACCOUNT_ID },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk).slice(-4000)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${log}`);
    const up = await fetch(`http://127.0.0.1:${port}/moto-api/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    if (Date.now() > deadline) throw new Error(`moto_server did not answer on port ${port} within 30 s: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
