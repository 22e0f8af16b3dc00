import { CreateBucketCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface EmbeddedS3 {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** s3rver accepts only this key pair; it is a fixed local dummy, not a secret. */
export const EMBEDDED_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Starts s3rver in a child process and resolves once it listens. Port 0 picks a free port; the address
 * defaults to loopback only.
 */
export function startEmbeddedS3(options: { port: number; directory: string; address?: string }): Promise<EmbeddedS3> {
  const child = fork(path.join(__dirname, 'embedded-s3-process.ts'), [], {
    execArgv: ['--openssl-legacy-provider', '--import', 'tsx'],
    env: {
      ...process.env,
      EMBEDDED_S3_PORT: String(options.port),
      EMBEDDED_S3_DIR: options.directory,
      EMBEDDED_S3_ADDRESS: options.address ?? '127.0.0.1',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`embedded S3 exited with code ${code} before it was ready`)));
    child.once('message', (message: { port: number }) => {
      child.removeAllListeners('exit');
      const endpoint = `http://127.0.0.1:${message.port}`;
      const stop = () =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        });
      resolve({ endpoint, port: message.port, process: child, stop });
    });
  });
}

/** Creates the bucket if needed and lets browsers read images cross-origin, as the Terraform module does. */
export async function ensureBucket(s3: S3Client, bucket: string, allowedOrigins: string[] = ['*']): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    const name = (err as Error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
  }
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [{ AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: allowedOrigins, AllowedHeaders: ['*'], MaxAgeSeconds: 3600 }],
      },
    }),
  );
}
