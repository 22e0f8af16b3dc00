import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import net from 'node:net';
import { expectServedExactly, fixture, makePng } from '../support/images';
import { appPerTest } from '../support/app';
import { referencedKeys } from '../support/item-invariants';
import { multipart, post, uploadImage } from '../support/multipart';
import type { PublicItem } from '../../web/src/inventory/item';

const KEY_PATTERN = /^images\/1\/[0-9a-f-]{36}\.(png|jpg)$/;

describe('image uploads (streamed to s3rver)', () => {
  const ctx = appPerTest('up', { MAX_UPLOAD_BYTES: String(12 * 1024 * 1024), UPLOAD_IDLE_TIMEOUT_MS: '1500' });

  const keyOf = (imageUrl: string) => new URL(imageUrl).pathname.replace(`/${ctx.bucket}/`, '');
  /** The objects an uploaded image is: the original and its two thumbnails. */
  const objectsOf = (item: PublicItem) => referencedKeys(item, `${ctx.s3.endpoint}/${ctx.bucket}`);
  const itemImage = async (id: number) =>
    ((await (await fetch(`${ctx.app.url}/inventory/${id}`)).json()) as { image_url: string | null }).image_url;

  it('stores a PNG under a server-made key and serves the exact bytes by public URL', async () => {
    const png = makePng(64, 48);
    const res = await uploadImage(ctx.app.url, 1, { filename: '../../etc/passwd.png', contentType: 'image/png', data: png });
    expect(res.status).to.equal(200);
    expect(res.json).to.include({ id: 1, name: 'Spoon' });
    const key = keyOf(res.json.image_url);
    expect(key).to.match(KEY_PATTERN);
    expect(res.json.image_url).to.equal(`${ctx.s3.endpoint}/${ctx.bucket}/${key}`);
    await expectServedExactly(res.json.image_url, png, 'image/png');
    const head = await ctx.s3.s3.send(new HeadObjectCommand({ Bucket: ctx.bucket, Key: key }));
    expect(head.CacheControl).to.equal('public, max-age=31536000, immutable');
  });

  it('stores a JPEG sent as photo.png (image/png) as a JPEG: the content decides the type, not the name or the header', async () => {
    const jpeg = fixture('photo.jpg');
    const res = await uploadImage(ctx.app.url, 1, { filename: 'photo.png', contentType: 'image/png', data: jpeg });
    expect(res.status).to.equal(200);
    expect(keyOf(res.json.image_url)).to.match(/\.jpg$/);
    await expectServedExactly(res.json.image_url, jpeg, 'image/jpeg');
  });

  it('streams a multi-part upload (larger than one S3 part) intact', async () => {
    const big = makePng(1800, 1800, { noise: true }); // ~9.7 MB: two 5 MiB parts
    expect(big.length).to.be.greaterThan(5 * 1024 * 1024);
    const res = await uploadImage(ctx.app.url, 1, { filename: 'big.png', data: big });
    expect(res.status).to.equal(200);
    await expectServedExactly(res.json.image_url, big, 'image/png');
  });

  describe('rejections leave nothing under images/', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const cases: [string, () => ReturnType<typeof post>, number, RegExp][] = [
      [
        'a text file named .png',
        () =>
          uploadImage(ctx.app.url, 1, {
            filename: 'a.png',
            contentType: 'image/png',
            data: Buffer.from('not an image, honest\n'.repeat(20)),
          }),
        415,
        /must be a PNG, JPEG, GIF, WebP or AVIF image/,
      ],
      ['an SVG', () => uploadImage(ctx.app.url, 1, { filename: 'x.svg', contentType: 'image/svg+xml', data: svg }), 415, /must be a PNG/],
      [
        'a PDF',
        () => uploadImage(ctx.app.url, 1, { filename: 'x.png', data: Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n') }),
        415,
        /detected application\/pdf/,
      ],
      ['zero bytes', () => uploadImage(ctx.app.url, 1, { filename: 'empty.png', data: Buffer.alloc(0) }), 400, /^The file is empty$/],
      [
        'a missing image_file field',
        () => uploadImage(ctx.app.url, 1, { field: 'other', filename: 'a.png', data: makePng(2, 2) }),
        400,
        /Unexpected file field "other"/,
      ],
      [
        'no file at all',
        () =>
          post(
            `${ctx.app.url}/inventory/1/image`,
            Buffer.from(`--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--b--\r\n`),
            'multipart/form-data; boundary=b',
          ),
        400,
        /Missing file field image_file/,
      ],
      ['an unknown item', () => uploadImage(ctx.app.url, 42, { filename: 'a.png', data: makePng(2, 2) }), 404, /Item 42 not found/],
      [
        'a bad item id',
        () => uploadImage(ctx.app.url, 'x', { filename: 'a.png', data: makePng(2, 2) }),
        400,
        /id must be a positive integer/,
      ],
      ['a JSON body', () => post(`${ctx.app.url}/inventory/1/image`, Buffer.from('{}'), 'application/json'), 415, /multipart\/form-data/],
      [
        'a multipart body without boundary',
        () => post(`${ctx.app.url}/inventory/1/image`, Buffer.from('x'), 'multipart/form-data'),
        400,
        /Malformed multipart/,
      ],
      [
        'a truncated multipart body',
        () => {
          const { body, contentType } = multipart([{ field: 'image_file', filename: 'a.png', data: makePng(200, 200, { noise: true }) }]);
          return post(`${ctx.app.url}/inventory/1/image`, body.subarray(0, body.length - 200), contentType, { chunked: true });
        },
        400,
        /Malformed multipart|Unexpected end/,
      ],
      [
        'two files',
        () => {
          const png = makePng(4, 4);
          const { body, contentType } = multipart([
            { field: 'image_file', filename: 'a.png', data: png },
            { field: 'image_file', filename: 'b.png', data: png },
          ]);
          return post(`${ctx.app.url}/inventory/1/image`, body, contentType);
        },
        400,
        /exactly one file/,
      ],
      [
        'oversized part headers',
        () => {
          const junk = `X-Junk: ${'j'.repeat(40_000)}\r\n`;
          const body = Buffer.concat([
            Buffer.from(
              `--b\r\nContent-Disposition: form-data; name="image_file"; filename="a.png"\r\n${junk}Content-Type: image/png\r\n\r\n`,
            ),
            makePng(4, 4),
            Buffer.from('\r\n--b--\r\n'),
          ]);
          return post(`${ctx.app.url}/inventory/1/image`, body, 'multipart/form-data; boundary=b');
        },
        400,
        /Malformed multipart|Missing file field/,
      ],
      [
        'a boundary that never appears',
        () => post(`${ctx.app.url}/inventory/1/image`, makePng(50, 50), 'multipart/form-data; boundary=nothere'),
        400,
        /Malformed multipart|Missing file field/,
      ],
      [
        'a file over MAX_UPLOAD_BYTES (declared length)',
        () => uploadImage(ctx.app.url, 1, { filename: 'big.png', data: makePng(2100, 2100, { noise: true }) }),
        413,
        /^The file is larger than 12 MB$/,
      ],
      [
        'a file over MAX_UPLOAD_BYTES (chunked, found while streaming)',
        () => {
          const { body, contentType } = multipart([
            { field: 'image_file', filename: 'big.png', data: makePng(2100, 2100, { noise: true }) },
          ]);
          return post(`${ctx.app.url}/inventory/1/image`, body, contentType, { chunked: true });
        },
        413,
        /^The file is larger than 12 MB$/,
      ],
    ];
    for (const [label, send, status, message] of cases) {
      it(`${label} -> ${status}`, async () => {
        const res = await send();
        expect(res.status, JSON.stringify(res.json)).to.equal(status);
        expect(res.json.error).to.be.a('string');
        expect(res.json.message).to.match(message);
        expect(await ctx.s3.keys(ctx.bucket, 'images/')).to.deep.equal([]);
        expect(await itemImage(1)).to.equal(null);
        expect((await fetch(`${ctx.app.url}/healthcheck`)).status, 'the app is still up').to.equal(200);
      });
    }
  });

  it('aborts the upload when the client disconnects mid-upload; nothing committed, server healthy', async () => {
    const { body, contentType } = multipart([{ field: 'image_file', filename: 'big.png', data: makePng(1800, 1800, { noise: true }) }]);
    const { port } = new URL(ctx.app.url);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /inventory/1/image HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        // More than one S3 part, so a multipart upload is under way when the client vanishes.
        socket.write(body.subarray(0, 7 * 1024 * 1024), () => setTimeout(() => (socket.destroy(), resolve()), 300));
      });
      socket.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(await ctx.s3.keys(ctx.bucket, 'images/')).to.deep.equal([]);
    expect((await fetch(`${ctx.app.url}/healthcheck`)).status).to.equal(200);
    const ok = await uploadImage(ctx.app.url, 1, { filename: 'a.png', data: makePng(8, 8) });
    expect(ok.status).to.equal(200);
  });

  it('answers a client that stalls mid-upload with 408 JSON after the idle timeout, closes, and aborts its upload', async () => {
    const { body, contentType } = multipart([{ field: 'image_file', filename: 'big.png', data: makePng(1000, 1000, { noise: true }) }]);
    const { port } = new URL(ctx.app.url);
    const started = Date.now();
    let answer = '';
    let answeredAfter = 0;
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /inventory/1/image HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        socket.write(body.subarray(0, 100_000)); // then nothing: a stalled client
      });
      socket.on('data', (chunk: Buffer) => {
        answeredAfter ||= Date.now() - started;
        answer += chunk;
      });
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', () => undefined);
      setTimeout(() => reject(new Error('server never cut off the stalled client')), 10_000);
    });
    expect(answer).to.match(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer).to.match(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).to.deep.equal({
      error: 'Request Timeout',
      message: 'Upload stalled for more than 1500 ms',
    });
    expect(answeredAfter).to.be.within(1400, 3000);
    expect(closedAfter - answeredAfter).to.be.below(500);
    expect(await ctx.s3.keys(ctx.bucket, 'images/')).to.deep.equal([]);
    expect(await itemImage(1)).to.equal(null);
  });

  it('replaces an image: the old object is deleted only after the new one is committed', async () => {
    const first = await uploadImage(ctx.app.url, 1, { filename: 'a.png', data: makePng(10, 10, { rgb: [1, 2, 3] }) });
    const second = await uploadImage(ctx.app.url, 1, { filename: 'b.png', data: makePng(10, 10, { rgb: [4, 5, 6] }) });
    expect(second.status).to.equal(200);
    expect(second.json.image_url).not.to.equal(first.json.image_url);
    expect(await ctx.s3.keys(ctx.bucket, 'images/')).to.deep.equal(objectsOf(second.json));
    expect((await fetch(first.json.image_url)).status).to.equal(404);
  });

  it('keeps the current image when a replacement is rejected', async () => {
    const first = await uploadImage(ctx.app.url, 1, { filename: 'a.png', data: makePng(10, 10) });
    const rejected = await uploadImage(ctx.app.url, 1, { filename: 'b.png', data: Buffer.from('plain text') });
    expect(rejected.status).to.equal(415);
    expect(await itemImage(1)).to.equal(first.json.image_url);
    expect(await ctx.s3.keys(ctx.bucket, 'images/')).to.deep.equal(objectsOf(first.json));
  });

  it('deleting an item deletes its image objects', async () => {
    const deleted = await uploadImage(ctx.app.url, 2, { filename: 'a.png', data: makePng(10, 10) });
    const kept = await uploadImage(ctx.app.url, 1, { filename: 'keep.png', data: makePng(10, 10) });
    expect(await ctx.s3.keys(ctx.bucket, 'images/2/')).to.deep.equal(objectsOf(deleted.json));
    const res = await fetch(`${ctx.app.url}/inventory/2`, { method: 'DELETE' });
    expect(res.status).to.equal(200);
    expect(await ctx.s3.keys(ctx.bucket, 'images/2/')).to.deep.equal([]);
    expect(await ctx.s3.keys(ctx.bucket, 'images/1/')).to.deep.equal(objectsOf(kept.json));
  });

  it('updating an item keeps its image', async () => {
    const uploaded = await uploadImage(ctx.app.url, 3, { filename: 'a.png', data: makePng(10, 10) });
    const res = await fetch(`${ctx.app.url}/inventory`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 3, name: 'Sharp knife', quantity: 1 }),
    });
    expect(((await res.json()) as { image_url: string }).image_url).to.equal(uploaded.json.image_url);
  });
});
