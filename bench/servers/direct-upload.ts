/**
 * The SDK's own uploads from disk, in a process of their own so their peak RSS is measured like the servers':
 *   multipart   one lib-storage Upload with the library's defaults (5 MiB parts, 4 in flight), streamed
 *   put-object  the whole file read into memory, then one PutObject
 * Usage: direct-upload.ts <multipart|put-object> <warm-up file> <file> <key>  (S3_* settings from the env); it
 * prints `warm` after the warm-up upload and starts the timed one when a line comes on stdin.
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createS3Client } from '../../web/src/s3/client';
import { peakRssMB, resetPeakRss } from '../rss';

async function main() {
  const [mode, warmUpFile, file, key] = process.argv.slice(2);
  const s3 = createS3Client({ region: 'us-east-1', endpoint: process.env.S3_ENDPOINT, forcePathStyle: true });
  const params = { Bucket: process.env.S3_BUCKET!, ContentType: 'image/png' };
  const upload = async (from: string, Key: string) => {
    if (mode === 'put-object') await s3.send(new PutObjectCommand({ ...params, Key, Body: await readFile(from) }));
    else await new Upload({ client: s3, params: { ...params, Key, Body: createReadStream(from, { highWaterMark: 1024 * 1024 }) } }).done();
  };
  // Warm, as the servers are: the same kind of upload of a smaller file first, not counted in the peak.
  await upload(warmUpFile!, `${key}.warm-up`);
  await s3.send(new DeleteObjectCommand({ ...params, Key: `${key}.warm-up` }));
  resetPeakRss('self');
  // The benchmark starts counting s3rver's CPU now, then says go.
  console.log('warm');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  await upload(file!, key!);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ seconds, peakRssMB: peakRssMB('self'), cpuSeconds: (user + system) / 1e6 }));
  s3.destroy();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
