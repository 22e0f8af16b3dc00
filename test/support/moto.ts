/**
 * moto_server: an AWS emulator (S3, IAM, STS, KMS in one HTTP server) that the real AWS provider can apply
 * against. It stands in for AWS's control plane: does AWS accept this configuration, and does it keep it.
 *
 * What moto gets wrong, found here (moto 5.2.1), so no test relies on it:
 * - Its bucket-policy check treats a conditional Deny as a plain Deny: with the module's DenyInsecureTransport
 *   statement every object request to that bucket is refused, over HTTP and HTTPS alike. Object reads and
 *   writes are therefore only made on buckets without such a policy.
 * - It returns DENIED for an Allow whose condition does not match.
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

export interface Moto {
  endpoint: string;
  s3: S3Client;
  iam: IAMClient;
  /** Stops the process and starts a new, empty one on the same port (as LocalStack community does on restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const motoInstalled = (): boolean => runs('moto_server', ['--help']);

export function requireMoto(context: Mocha.Context): void {
  requireTool(context, motoInstalled(), 'moto_server (the AWS emulator)', 'Install it with: pip install "moto[server]"');
}

/** Starts moto_server on a free loopback port. Resources it creates belong to the project's sample account. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let child = await launch(port);
  const clientConfig = { region: SAMPLE_REGION, endpoint, credentials: MOTO_CREDENTIALS };
  const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
  const iam = new IAMClient(clientConfig);
  return {
    endpoint,
    s3,
    iam,
    async restart() {
      await kill(child);
      child = await launch(port);
    },
    async stop() {
      s3.destroy();
      iam.destroy();
      await kill(child);
    },
  };
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
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
