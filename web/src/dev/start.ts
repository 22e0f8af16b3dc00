/**
 * `npm start`: the app on a fresh clone with no AWS and no Docker. Unless S3_ENDPOINT points at a real
 * S3 (LocalStack, AWS), an embedded s3rver starts in its own process with its data in a git-ignored folder.
 */
import { createS3Client } from '../s3/client';
import { main } from '../server';
import { EMBEDDED_S3_CREDENTIALS, ensureBucket, startEmbeddedS3 } from './embedded-s3';

const DEFAULT_BUCKET = 'inventory-images';

async function start() {
  if (process.env.S3_ENDPOINT) {
    await main();
    return;
  }
  const port = Number(process.env.EMBEDDED_S3_PORT ?? 4566);
  const directory = process.env.EMBEDDED_S3_DIR ?? '.data/s3';
  const embedded = await startEmbeddedS3({ port, directory }).catch((err: unknown) => {
    console.error(`${(err as Error).message}\nIs port ${port} taken (LocalStack?). Set EMBEDDED_S3_PORT to use another.`);
    process.exit(1);
  });

  const bucket = (process.env.S3_BUCKET ||= DEFAULT_BUCKET);
  process.env.S3_ENDPOINT = embedded.endpoint;
  process.env.PUBLIC_BASE_URL ||= `http://localhost:${embedded.port}/${bucket}`;
  process.env.AWS_ACCESS_KEY_ID = EMBEDDED_S3_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = EMBEDDED_S3_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION ||= 'us-east-1';

  const s3 = createS3Client({ region: process.env.AWS_REGION, endpoint: embedded.endpoint, forcePathStyle: true });
  await ensureBucket(s3, bucket);
  s3.destroy();

  const running = await main(() => embedded.stop());
  stopWhenOrphaned();
  console.log(
    `\n  Inventory app: ${running.url}\n  Embedded S3:   ${embedded.endpoint} (bucket ${bucket}, data in ${directory})\n  Ctrl-C stops both.\n`,
  );
}

/**
 * `npm start` runs this under a shell that, stopped with SIGTERM, dies without passing the signal on: the
 * app would run on, orphaned, holding its ports. A changed parent means the launcher is gone: stop as for SIGTERM.
 */
function stopWhenOrphaned() {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 500).unref();
}

void start();
