/**
 * Every byte of every upload stored, whatever the file's size and however the body is cut into pieces on the
 * way in: a sweep through real HTTP, against s3rver and against moto, of sizes at and around every boundary
 * the upload path and its libraries have, each sent in several chunkings, every stored object fetched back by
 * its public URL and compared by sha256. Refused sizes must leave the item's previous image in place.
 */
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { MULTIPART_OVERHEAD_BYTES } from '../../web/src/http/routes/upload';
import { SNIFF_BYTES } from '../../web/src/images/storage';
import type { RunningServer } from '../../web/src/server';
import { TEST_TUNING, startTestApp } from '../support/app';
import { jpegOfSize, sha256 } from '../support/images';
import { MOTO_CREDENTIALS, requireMoto, startMoto, type Moto } from '../support/moto';
import { multipart, post, type PostOptions } from '../support/multipart';
import { startTestS3, type TestS3 } from '../support/s3';

const KiB = 1024;
const MiB = 1024 * KiB;
const MAX_UPLOAD_BYTES = 12 * MiB;
/** What the test client adds around the file: the part's headers before it, the closing boundary after. */
const envelope = multipart([{ field: 'image_file', filename: 'f.jpg', contentType: 'image/jpeg', data: Buffer.alloc(0) }]).body.length;
const { partSize, singleRequestMaxBytes } = TEST_TUNING;
const around = (n: number) => [n - 1, n, n + 1];

/** Sizes at and around each boundary, with what the app must answer. */
const SIZES: number[] = [
  1, // not an image: too short to be one
  2,
  3, // the shortest JPEG signature file-type knows
  ...around(SNIFF_BYTES), // the type sniffer's window
  ...around(16 * KiB), // Node 20's default stream buffer (busboy's file stream, the request)
  ...around(64 * KiB), // a socket read, and Node 22's default stream buffer
  ...around(singleRequestMaxBytes - envelope), // the largest request still sent to S3 in one PutObject
  ...around(partSize), // one part, when the body's length is not declared
  ...around(2 * partSize),
  MAX_UPLOAD_BYTES,
  MAX_UPLOAD_BYTES + 1,
];
const expectedStatus = (size: number) => (size < 3 ? 415 : size > MAX_UPLOAD_BYTES ? 413 : 200);

/** Seeded, so a failure names a chunking that can be replayed. */
function randomSplits(seed: number, length: number): number[] {
  let state = seed >>> 0 || 1;
  const next = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const splits: number[] = [];
  for (let at = 0; at < length;) splits.push((at += 1 + Math.floor(next() ** 3 * 96 * KiB)));
  return splits;
}

interface Chunking {
  name: string;
  options: (body: Buffer, fileStart: number) => PostOptions;
}

const CHUNKINGS: Chunking[] = [
  { name: 'the whole request in one write', options: () => ({ splits: [] }) },
  {
    name: 'the head split at many points inside the sniff window',
    options: (_body, fileStart) => ({
      splits: [1, 2, 3, 4, 7, 64, 512, 1000, 2048, 4095, 4096, SNIFF_BYTES - 1, SNIFF_BYTES, SNIFF_BYTES + 1].map((at) => fileStart + at),
    }),
  },
  {
    name: 'one byte a write for the first 5 KB',
    options: () => ({ splits: Array.from({ length: 5000 }, (_, i) => i + 1) }),
  },
  {
    name: 'seeded random splits, chunked transfer (length not declared)',
    options: (body) => ({ chunked: true, splits: randomSplits(body.length, body.length) }),
  },
];

const SERVERS: { name: string; start(this: Mocha.Context): Promise<{ endpoint: string; bucket: string; stop(): Promise<void> }> }[] = [
  {
    name: 's3rver',
    async start() {
      const s3: TestS3 = await startTestS3();
      return { endpoint: s3.endpoint, bucket: await s3.createBucket('sweep'), stop: () => s3.stop() };
    },
  },
  {
    name: 'moto',
    async start() {
      requireMoto(this);
      const moto: Moto = await startMoto();
      process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
      const bucket = 'sweep-moto';
      await moto.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      // Public reads of images, as the module's bucket policy grants them (moto refuses anonymous reads otherwise).
      const publicRead = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/images/*` };
      await moto.s3.send(
        new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [publicRead] }) }),
      );
      return { endpoint: moto.endpoint, bucket, stop: () => moto.stop() };
    },
  },
];

for (const server of SERVERS) {
  describe(`upload sweep through real HTTP against ${server.name}: every size x every chunking stored byte for byte`, function () {
    this.timeout(300_000);
    let stop: () => Promise<void>;
    let app: RunningServer;
    const results: string[] = [];

    before(async function () {
      const s3 = await server.start.call(this);
      stop = s3.stop;
      app = await startTestApp(s3, s3.bucket, { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) });
      // The requests of this spec are below the declared-size refusal's slack: every refusal here is the parser's.
      expect(MULTIPART_OVERHEAD_BYTES).to.be.greaterThan(envelope);
    });
    after(async () => {
      await app?.close(1000);
      await stop?.();
      if (results.length)
        console.log(
          `      ${server.name}: ${results.length} uploads, ${results.filter((r) => r === 'equal').length} stored equal by sha256`,
        );
    });

    it('creates the item the uploads go to', async () => {
      const res = await fetch(`${app.url}/inventory`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 900, name: 'Sweep', description: 'boundary sizes', quantity: 1 }),
      });
      expect(res.status).to.be.oneOf([200, 201]);
    });

    for (const size of SIZES) {
      for (const chunking of CHUNKINGS) {
        const status = expectedStatus(size);
        it(`${size} bytes, ${chunking.name}: ${status === 200 ? 'stored whole' : `${status}, previous image kept`}`, async () => {
          const data = jpegOfSize(size, size);
          const { body, contentType } = multipart([{ field: 'image_file', filename: 'f.jpg', contentType: 'image/jpeg', data }]);
          const fileStart = body.indexOf('\r\n\r\n') + 4;
          const before = await (await fetch(`${app.url}/inventory/900`)).json();

          const res = await post(`${app.url}/inventory/900/image`, body, contentType, chunking.options(body, fileStart));
          expect(res.status, JSON.stringify(res.json)).to.equal(status);
          const item = (await (await fetch(`${app.url}/inventory/900`)).json()) as { image_url: string | null };
          if (status !== 200) {
            expect(item.image_url).to.equal(before.image_url);
            results.push('refused');
            return;
          }
          expect(res.json.image_url).to.equal(item.image_url);
          const served = await fetch(item.image_url!);
          const stored = Buffer.from(await served.arrayBuffer());
          expect({ status: served.status, bytes: stored.length, sha256: sha256(stored) }).to.deep.equal({
            status: 200,
            bytes: size,
            sha256: sha256(data),
          });
          results.push('equal');
        });
      }
    }
  });
}
