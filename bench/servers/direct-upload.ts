/**
 * The SDK's own uploads from disk, in a process of their own so their peak RSS is measured like the servers':
 *   multipart   one lib-storage Upload with the library's defaults (5 MiB parts, 4 in flight), streamed
 *   put-object  the whole file read into memory, then one PutObject
 * Usage: direct-upload.ts <multipart|put-object> <file> <key>  (S3_* settings from the env).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createS3Client } from '../../web/src/s3/client';

async function main() {
  const [mode, file, key] = process.argv.slice(2);
  const s3 = createS3Client({ region: 'us-east-1', endpoint: process.env.S3_ENDPOINT, forcePathStyle: true });
  const params = { Bucket: process.env.S3_BUCKET!, Key: key!, ContentType: 'image/png' };
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  if (mode === 'put-object') {
    await s3.send(new PutObjectCommand({ ...params, Body: await readFile(file!) }));
  } else {
    await new Upload({ client: s3, params: { ...params, Body: createReadStream(file!, { highWaterMark: 1024 * 1024 }) } }).done();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpuBefore);
  const peakRssMB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
  console.log(JSON.stringify({ seconds, peakRssMB, cpuSeconds: (user + system) / 1e6 }));
  s3.destroy();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
