/**
 * The limit: one lib-storage Upload straight from disk to S3 with the library's defaults (5 MiB parts,
 * 4 in flight), in a process of its own so its peak RSS is measured like the servers'. Usage: direct-upload.ts <file> <key>  (S3_* settings from the env).
 */
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream, readFileSync } from 'node:fs';
import { createS3Client } from '../../web/src/s3/client';

async function main() {
  const [file, key] = process.argv.slice(2);
  const s3 = createS3Client({ region: 'us-east-1', endpoint: process.env.S3_ENDPOINT, forcePathStyle: true });
  const upload = new Upload({
    client: s3,
    params: { Bucket: process.env.S3_BUCKET!, Key: key!, Body: createReadStream(file!, { highWaterMark: 1024 * 1024 }), ContentType: 'image/png' },
  });
  const started = process.hrtime.bigint();
  await upload.done();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRssMB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
  console.log(JSON.stringify({ seconds, peakRssMB }));
  s3.destroy();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
