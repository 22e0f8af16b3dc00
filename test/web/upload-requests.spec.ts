/**
 * What an image upload sends to S3, seen by a proxy between the app and s3rver: a file the request's length
 * (or the upload limit) shows to be small goes in one PutObject, a larger or unannounced one in parts, large
 * enough to stay within S3's 10,000; every body that carries the image carries the CRC32 of exactly the bytes
 * it sent and is sent unsigned, while every other request keeps its SHA-256 payload signature.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { RunningServer } from '../../web/src/server';
import { TEST_TUNING, startTestApp } from '../support/app';
import { startCountingProxy, type CountingProxy, type RecordedRequest } from '../support/counting-proxy';
import { expectServedExactly, makePng } from '../support/images';
import { uploadImage, type PostOptions } from '../support/multipart';
import { startTestS3, type TestS3 } from '../support/s3';

const SIGNED_PAYLOAD = /^[0-9a-f]{64}$/;

describe('the requests an image upload sends to S3', function () {
  this.timeout(60_000);
  let s3: TestS3;
  let proxy: CountingProxy;
  let app: RunningServer;
  // Noise does not compress: the file sizes are what they claim to be.
  const between = makePng(1500, 1500, { noise: true }); // over one part, under the single-request limit
  const larger = makePng(1800, 1800, { noise: true }); // over the single-request limit: two parts

  before(async () => {
    expect(between.length).to.be.within(TEST_TUNING.partSize + 1, TEST_TUNING.singleRequestMaxBytes - 64 * 1024);
    expect(larger.length).to.be.within(TEST_TUNING.singleRequestMaxBytes + 1, 2 * TEST_TUNING.partSize);
    s3 = await startTestS3();
    proxy = await startCountingProxy(s3.endpoint);
    app = await startTestApp({ endpoint: proxy.endpoint }, await s3.createBucket('requests'));
  });
  after(async () => {
    await app?.close(1000);
    await proxy?.close();
    await s3?.stop();
  });

  /** Uploads `file` to item 1 and returns the requests that wrote image bytes, and the others (not to the image). */
  async function upload(file: Buffer, options: PostOptions & { to?: RunningServer } = {}) {
    proxy.reset();
    const res = await uploadImage((options.to ?? app).url, 1, { filename: 'photo.png', contentType: 'image/png', data: file }, options);
    expect(res.status, JSON.stringify(res.json)).to.equal(200);
    const sent = [...proxy.requests]; // before the read-back below, which goes through the proxy too
    const key = new URL(res.json.image_url as string).pathname.split('/').slice(2).join('/');
    const toKey = sent.filter((r) => new URL(r.url, 'http://s3').pathname.endsWith(`/${key}`));
    // After the commit, the app asks S3 for the stored size once (the upload invariant), and reads nothing else.
    expect(toKey.filter((r) => r.method === 'HEAD')).to.have.length(1);
    const toImage = toKey.filter((r) => r.method !== 'HEAD');
    await expectServedExactly(res.json.image_url as string, file, 'image/png');
    return { toImage, others: sent.filter((r) => !toKey.includes(r)) };
  }

  const query = (r: RecordedRequest) => new URL(r.url, 'http://s3').searchParams;
  const isPart = (r: RecordedRequest) => r.method === 'PUT' && query(r).has('partNumber');
  /** The UploadPart requests, in part order (the proxy records them as their bodies end). */
  const partsOf = (requests: RecordedRequest[]) =>
    requests.filter(isPart).sort((a, b) => Number(query(a).get('partNumber')) - Number(query(b).get('partNumber')));
  const expectChecksummedAndUnsigned = (r: RecordedRequest) => {
    expect(r.headers['x-amz-checksum-crc32'], `${r.method} ${r.url}`).to.equal(r.bodyCrc32);
    expect(r.headers['x-amz-content-sha256']).to.equal('UNSIGNED-PAYLOAD');
    expect(r.headers['authorization']).to.match(/SignedHeaders=[^,]*x-amz-checksum-crc32/);
  };

  it('a file announced under the single-request limit goes in one PutObject, with its CRC32', async () => {
    const { toImage } = await upload(between);
    expect(toImage.map((r) => `${r.method} ${isPart(r) || query(r).has('uploads') ? 'in parts' : 'whole'}`)).to.deep.equal(['PUT whole']);
    expect(toImage[0]!.bodyBytes).to.equal(between.length);
    expectChecksummedAndUnsigned(toImage[0]!);
  });

  it('a larger file goes in parts, each with the CRC32 of its own bytes', async () => {
    const { toImage } = await upload(larger);
    const create = toImage.find((r) => r.method === 'POST' && query(r).has('uploads'));
    expect(create?.headers['x-amz-checksum-algorithm']).to.equal('CRC32');
    const parts = partsOf(toImage);
    expect(parts.map((r) => r.bodyBytes)).to.deep.equal([TEST_TUNING.partSize, larger.length - TEST_TUNING.partSize]);
    parts.forEach(expectChecksummedAndUnsigned);
    expect(toImage.some((r) => r.method === 'POST' && query(r).has('uploadId'))).to.equal(true); // completed
  });

  it("a file of many parts is stored exactly when S3 stores each part while the next part's first bytes still sit in its buffer", async () => {
    const { partSize } = TEST_TUNING;
    const png = makePng(64, 48);
    const file = Buffer.concat([png, randomBytes(3 * partSize + 100 - png.length)]);
    // A slow client: each pause, a few KB into the next part, lets S3 store a part while the first bytes of the
    // next one are still held in its buffer; the last part is only such bytes.
    const pauses = { at: [1, 2].map((k) => k * partSize + 4096), ms: 500 };
    const { toImage } = await upload(file, { pauses });
    expect(partsOf(toImage).map((r) => r.bodyBytes)).to.deep.equal([partSize, partSize, partSize, 100]);
  });

  it('a file of unknown length (a chunked request) goes in parts, however small it turns out', async () => {
    const { toImage } = await upload(between, { chunked: true });
    expect(partsOf(toImage).map((r) => r.bodyBytes)).to.deep.equal([TEST_TUNING.partSize, between.length - TEST_TUNING.partSize]);
  });

  describe('the upload limit bounds the file too', () => {
    const withLimit = async (maxUploadBytes: number, run: (limited: RunningServer) => Promise<void>) => {
      const limited = await startTestApp({ endpoint: proxy.endpoint }, await s3.createBucket('limit'), {
        MAX_UPLOAD_BYTES: String(maxUploadBytes),
      });
      try {
        await run(limited);
      } finally {
        await limited.close(1000);
      }
    };

    it('under the single-request limit, a chunked request goes in one PutObject', () =>
      withLimit(TEST_TUNING.singleRequestMaxBytes, async (limited) => {
        const { toImage } = await upload(between, { chunked: true, to: limited });
        expect(toImage.map((r) => `${r.method} ${isPart(r) ? 'part' : 'whole'}`)).to.deep.equal(['PUT whole']);
      }));

    it('over 10,000 parts of the usual size (60 GiB), parts grow so that 10,000 hold the largest file', () =>
      withLimit(60 * 1024 ** 3, async (limited) => {
        const { toImage } = await upload(larger, { chunked: true, to: limited });
        const partSize = Math.ceil((60 * 1024 ** 3) / 10_000);
        expect(partSize).to.be.greaterThan(TEST_TUNING.partSize);
        expect(partsOf(toImage).map((r) => r.bodyBytes)).to.deep.equal([partSize, larger.length - partSize]);
      }));
  });

  it('the other requests: a checksummed one (DeleteObjects) goes unsigned, the rest keep their SHA-256 payload signature', async () => {
    await upload(between);
    const { others } = await upload(larger); // replaces the image: the old one is deleted
    const itemWrite = others.find((r) => r.method === 'PUT' && r.url.includes('inventory/1.json'));
    expect(itemWrite?.headers['x-amz-content-sha256'], others.map((r) => `${r.method} ${r.url}`).join('\n')).to.match(SIGNED_PAYLOAD);
    for (const r of others) {
      if (r.headers['x-amz-checksum-crc32'] !== undefined) expectChecksummedAndUnsigned(r);
      else expect(r.headers['x-amz-content-sha256'], `${r.method} ${r.url}`).to.match(SIGNED_PAYLOAD);
    }
  });
});
