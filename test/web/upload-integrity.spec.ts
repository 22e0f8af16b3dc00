/**
 * The storage pipeline keeps every byte, in order, for any size and any chunking (property-based, fast-check),
 * and the app enforces it: bytes received = bytes S3 acknowledged = size S3 reports, or nothing is kept.
 */
import { CreateBucketCommand, HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { IncompleteUploadError } from '../../web/src/errors';
import type { PublicItem } from '../../web/src/inventory/item';
import { SNIFF_BYTES, sniffImage } from '../../web/src/images/storage';
import { ImageStorage } from '../../web/src/images/storage';
import { Bucket } from '../../web/src/s3/bucket';
import { createS3Client } from '../../web/src/s3/client';
import { PartBudget } from '../../web/src/s3/upload-memory';
import type { RunningServer } from '../../web/src/server';
import { TEST_TUNING, startTestApp } from '../support/app';
import { expectServedExactly, jpegOfSize, makePng } from '../support/images';
import { MOTO_CREDENTIALS, requireMoto, startMoto, type Moto } from '../support/moto';
import { referencedKeys } from '../support/item-invariants';
import { uploadImage } from '../support/multipart';
import { startRewritingProxy, type RewritingProxy } from '../support/rewriting-proxy';
import { startTestS3, type TestS3 } from '../support/s3';

const KiB = 1024;
const BOUNDARIES = [
  0,
  1,
  2,
  3,
  SNIFF_BYTES - 1,
  SNIFF_BYTES,
  SNIFF_BYTES + 1,
  16 * KiB - 1,
  16 * KiB,
  16 * KiB + 1,
  64 * KiB - 1,
  64 * KiB,
  64 * KiB + 1,
];

/** A file of `size` bytes that sniffs as JPEG from 3 bytes on, cut into pieces of the given sizes (the rest in one). */
const fileAndChunks = fc
  .tuple(
    fc.oneof(fc.constantFrom(...BOUNDARIES), fc.integer({ min: 0, max: 300 * KiB })),
    fc.array(fc.integer({ min: 1, max: 70 * KiB }), { maxLength: 40 }),
    fc.integer(),
  )
  .map(([size, cuts, seed]) => {
    const file = jpegOfSize(size, seed);
    const chunks: Buffer[] = [];
    let at = 0;
    for (const cut of cuts) {
      if (at >= size) break;
      chunks.push(file.subarray(at, (at = Math.min(size, at + cut))));
    }
    if (at < size) chunks.push(file.subarray(at));
    return { file, chunks };
  });

describe('the storage pipeline keeps every byte, in order, for any size and chunking (fast-check)', function () {
  this.timeout(120_000);

  it('the sniffer gives back the whole file, whatever pieces it arrives in', async () => {
    await fc.assert(
      fc.asyncProperty(fileAndChunks, async ({ file, chunks }) => {
        const sniffed = await sniffImage(Readable.from(chunks));
        const body = Buffer.concat(await sniffed.body.toArray());
        expect(body.equals(file), `${file.length} bytes in ${chunks.length} chunks`).to.equal(true);
        expect(sniffed.bytesRead()).to.equal(file.length);
        // Known to have ended only when it did so within the sniffed head.
        expect(sniffed.sizeIfEnded).to.equal(file.length < SNIFF_BYTES ? file.length : undefined);
        expect(sniffed.image?.mime).to.equal(file.length >= 3 ? 'image/jpeg' : undefined);
      }),
      { numRuns: 500 },
    );
  });

  describe('through ImageStorage into s3rver', () => {
    let s3: TestS3;
    let bucketName: string;
    let images: ImageStorage;
    before(async () => {
      s3 = await startTestS3();
      bucketName = await s3.createBucket('property');
      images = new ImageStorage(new Bucket(s3.s3, bucketName, 10_000), TEST_TUNING);
    });
    after(async () => s3?.stop());

    it('stores exactly the file, in one PutObject or in parts, for any size and chunking', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fileAndChunks, fc.boolean(), async ({ file, chunks }, lengthKnown) => {
          fc.pre(file.length >= 3);
          // A declared length sends small files in one PutObject; an unknown one always in parts.
          const atMost = lengthKnown ? file.length : 12 * 1024 * 1024;
          const stored = await images.store(`images/1/${++run}`, { atMostBytes: atMost }, (save) => save(Readable.from(chunks)));
          const object = await s3.s3.send(new HeadObjectCommand({ Bucket: bucketName, Key: stored.key }));
          expect(object.ContentLength).to.equal(file.length);
          await expectServedExactly(`${s3.endpoint}/${bucketName}/${stored.key}`, file, 'image/jpeg');
        }),
        { numRuns: 40 },
      );
    });
  });
});

describe('the upload invariant, enforced by the app', function () {
  this.timeout(60_000);

  describe('a commit the app refuses is never made (moto, which lists pending multipart uploads)', () => {
    let moto: Moto;
    const bucketName = 'refused-commits';
    before(async function () {
      requireMoto(this);
      moto = await startMoto();
      await moto.s3.send(new CreateBucketCommand({ Bucket: bucketName }));
    });
    after(async () => moto?.stop());

    for (const [what, bytes, partSize] of [
      ['one PutObject', 100 * KiB, 5 * 1024 * 1024],
      ['a multipart upload', 6 * 1024 * 1024, 5 * 1024 * 1024],
    ] as const) {
      it(`${what}: the check sees the bytes S3 will hold, throws, and no object or pending upload is left`, async () => {
        const client = createS3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
        Object.assign(process.env, {
          AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
        });
        const bucket = new Bucket(client, bucketName, 10_000);
        const seen: number[] = [];
        const refusal = new Error('refused by the check');
        const upload = bucket.upload(
          'images/1/x.png',
          Readable.from([Buffer.alloc(bytes, 1)]),
          { contentType: 'image/png', cacheControl: 'no-store' },
          partSize,
          new PartBudget(4, 2, 4),
          (sent) => {
            seen.push(sent);
            throw refusal;
          },
        );
        const error = await upload.done.then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(error).to.equal(refusal);
        expect(seen).to.deep.equal([bytes]);
        expect(await bucket.sizeOf('images/1/x.png')).to.equal(undefined);
        const pending = await moto.s3.send(new ListMultipartUploadsCommand({ Bucket: bucketName }));
        expect(pending.Uploads ?? []).to.deep.equal([]);
        client.destroy();
      });
    }
  });

  describe('an S3 that stores fewer bytes than it acknowledged (a proxy truncates PutObject bodies)', () => {
    let s3: TestS3;
    let proxy: RewritingProxy;
    let app: RunningServer;
    let bucketName: string;
    let truncate = false;

    before(async () => {
      s3 = await startTestS3();
      bucketName = await s3.createBucket('truncated');
      proxy = await startRewritingProxy(s3.endpoint, (req, body) => {
        const isImageWrite = req.method === 'PUT' && req.url!.includes('/images/');
        return { forward: truncate && isImageWrite ? body.subarray(0, body.length >> 1) : body };
      });
      const { endpoint } = proxy;
      app = await startTestApp({ endpoint }, bucketName, { PUBLIC_BASE_URL: `${s3.endpoint}/${bucketName}` });
    });
    after(async () => {
      await app?.close(1000);
      await proxy?.close();
      await s3?.stop();
    });

    it('answers 500 saying nothing was saved, deletes the short object, and the item keeps its image', async () => {
      const original = makePng(40, 30);
      const first = await uploadImage(app.url, 1, { filename: 'a.png', data: original });
      expect(first.status).to.equal(200);

      truncate = true;
      const photo = makePng(200, 150, { noise: true });
      const res = await uploadImage(app.url, 1, { filename: 'b.png', data: photo });
      truncate = false;
      expect(res.status).to.equal(500);
      expect(res.json.message).to.equal(new IncompleteUploadError(photo.length, photo.length, photo.length >> 1).message);

      const item = (await (await fetch(`${app.url}/inventory/1`)).json()) as PublicItem & { image_url: string };
      expect(item.image_url).to.equal(first.json.image_url);
      await expectServedExactly(item.image_url, original, 'image/png');
      expect(await s3.keys(bucketName, 'images/')).to.deep.equal(referencedKeys(item, `${s3.endpoint}/${bucketName}`));
    });
  });
});
