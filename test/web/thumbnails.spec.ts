/**
 * Every uploaded image gets a 1x and a 2x WebP thumbnail beside it, made with sharp from the very bytes stored:
 * oriented, scaled to fit the list row's box, never enlarged. An image over the pixel limit is refused with a
 * clear 422 and nothing stored; an image whose thumbnails cannot be made (content the decoder rejects, a disk
 * that cannot take the local copy) is stored whole all the same, without thumbnails.
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { MAX_IMAGE_PIXELS, THUMBNAIL_BOX } from '../../web/src/images/thumbnails';
import type { PublicItem } from '../../web/src/inventory/item';
import { appPerTest } from '../support/app';
import { expectServedExactly, fixture, makePng } from '../support/images';
import { referencedKeys } from '../support/item-invariants';
import { uploadImage } from '../support/multipart';

/** A PNG that claims `width` x `height` pixels in its header, with almost no data behind it. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (data: Buffer) => {
    let c = 0xffffffff;
    for (const byte of data) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(3 * width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('thumbnails', function () {
  this.timeout(60_000);
  const ctx = appPerTest('thumbs');
  const publicBase = () => `${ctx.s3.endpoint}/${ctx.bucket}`;

  const upload = async (data: Buffer, filename = 'photo') => {
    const res = await uploadImage(ctx.app.url, 1, { filename, data });
    return res as typeof res & { json: PublicItem & { message?: string } };
  };
  const fetchImage = async (url: string) => {
    const res = await fetch(url);
    expect(res.status, url).to.equal(200);
    return { body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') };
  };
  /** Width and height of both thumbnails of an uploaded item, checked to be WebP served from the bucket. */
  const thumbnailSizes = async (item: PublicItem) => {
    const sizes = [];
    for (const url of [item.thumbnail_url, item.thumbnail_2x_url]) {
      expect(url, 'thumbnail URL').to.be.a('string');
      const { body, contentType } = await fetchImage(url!);
      expect(contentType).to.equal('image/webp');
      const meta = await sharp(body).metadata();
      expect(meta.format).to.equal('webp');
      sizes.push({ width: meta.width, height: meta.height });
    }
    return sizes;
  };

  const formats: [string, (image: sharp.Sharp) => sharp.Sharp][] = [
    ['JPEG', (i) => i.jpeg()],
    ['PNG', (i) => i.png()],
    ['GIF', (i) => i.gif()],
    ['WebP', (i) => i.webp()],
    ['AVIF', (i) => i.avif({ effort: 0 })],
  ];
  for (const [format, encode] of formats) {
    it(`${format === 'AVIF' ? 'an' : 'a'} ${format} of 1200 x 900 gets a 160 x 120 and a 320 x 240 WebP next to the original, which is kept byte for byte`, async () => {
      const data = await encode(sharp({ create: { width: 1200, height: 900, channels: 3, background: '#2a6f97' } })).toBuffer();
      const res = await upload(data);
      expect(res.status, JSON.stringify(res.json)).to.equal(200);
      await expectServedExactly(res.json.image_url!, data);
      expect(await thumbnailSizes(res.json)).to.deep.equal([
        { width: 160, height: 120 },
        { width: 320, height: 240 },
      ]);
      const stem = res.json.image_url!.replace(/\.[a-z]+$/, '');
      expect(res.json.thumbnail_url).to.equal(`${stem}.thumb-1x.webp`);
      expect(res.json.thumbnail_2x_url).to.equal(`${stem}.thumb-2x.webp`);
      const head = await ctx.s3.s3.send(
        new HeadObjectCommand({ Bucket: ctx.bucket, Key: `${stem.slice(publicBase().length + 1)}.thumb-1x.webp` }),
      );
      expect(head.CacheControl).to.equal('public, max-age=31536000, immutable');
    });
  }

  it('keeps the aspect ratio inside the box, follows the EXIF orientation, and never enlarges a small image', async () => {
    const wide = await upload(
      await sharp({ create: { width: 3000, height: 500, channels: 3, background: '#000' } })
        .png()
        .toBuffer(),
    );
    expect(await thumbnailSizes(wide.json)).to.deep.equal([
      { width: 160, height: 27 },
      { width: 320, height: 53 },
    ]);
    // Stored 400 x 200 with orientation 6 (rotate 90° to display): shown 200 x 400, so the box's height decides.
    const rotated = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#fff' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect(await thumbnailSizes((await upload(rotated)).json)).to.deep.equal([
      { width: 60, height: 120 },
      { width: 120, height: 240 },
    ]);
    expect(await thumbnailSizes((await upload(makePng(10, 8))).json)).to.deep.equal([
      { width: 10, height: 8 },
      { width: 10, height: 8 },
    ]);
    expect(THUMBNAIL_BOX).to.deep.equal({ width: 160, height: 120 });
  });

  it('a real photo: the thumbnail is a small fraction of the original', async () => {
    const photo = fixture('photo-60k.jpg');
    const res = await upload(photo, 'photo.jpg');
    const [x1, x2] = await Promise.all([fetchImage(res.json.thumbnail_url!), fetchImage(res.json.thumbnail_2x_url!)]);
    expect(x1.body.length).to.be.below(photo.length / 4);
    expect(x2.body.length).to.be.below(photo.length / 2);
  });

  it('refuses an image over the pixel limit (a 100,000 x 100,000 PNG header) with 422, storing nothing and keeping the current image', async () => {
    const current = await upload(makePng(20, 20));
    const bomb = pngHeaderOnly(100_000, 100_000);
    const res = await upload(bomb, 'bomb.png');
    expect(res.status).to.equal(422);
    expect(res.json.message).to.equal('The image is 100000 x 100000 pixels; images of up to 268 megapixels are accepted');
    expect(await ctx.s3.keys(ctx.bucket, 'images/')).to.deep.equal(referencedKeys(current.json, publicBase()));
    const item = (await (await fetch(`${ctx.app.url}/inventory/1`)).json()) as PublicItem;
    expect(item).to.deep.include({ image_url: current.json.image_url, thumbnail_url: current.json.thumbnail_url });
  });

  it('the pixel limit is exact: one row over is refused, an image of exactly the limit gets its thumbnails', async () => {
    const side = Math.sqrt(MAX_IMAGE_PIXELS);
    expect(Number.isInteger(side)).to.equal(true);
    const over = await upload(pngHeaderOnly(side + 1, side), 'over.png');
    expect(over.status).to.equal(422);
    const atLimit = await sharp({ create: { width: side, height: side, channels: 3, background: '#404040' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const res = await upload(atLimit, 'limit.png');
    expect(res.status, JSON.stringify(res.json)).to.equal(200);
    expect(await thumbnailSizes(res.json)).to.deep.equal([
      { width: 120, height: 120 },
      { width: 240, height: 240 },
    ]);
  });

  describe('with an idle timeout shorter than the thumbnails take', () => {
    const quick = appPerTest('thumbs-idle', { UPLOAD_IDLE_TIMEOUT_MS: '100' });
    it('the upload is not cut off once the client has sent everything (the idle timeout is for the client)', async () => {
      const side = Math.sqrt(MAX_IMAGE_PIXELS);
      const slowToThumbnail = await sharp({ create: { width: side, height: side, channels: 3, background: '#404040' } })
        .png({ compressionLevel: 9 })
        .toBuffer();
      const started = Date.now();
      const res = await uploadImage(quick.app.url, 1, { filename: 'limit.png', data: slowToThumbnail });
      expect(Date.now() - started, 'the thumbnails take longer than the idle timeout').to.be.above(300);
      expect(res.status, JSON.stringify(res.json)).to.equal(200);
      expect(res.json.thumbnail_url).to.be.a('string');
    });
  });

  it('an image whose thumbnails cannot be made (its data is cut short) is stored whole, without thumbnails', async () => {
    const full = await sharp({
      create: { width: 800, height: 600, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
    })
      .png()
      .toBuffer();
    const truncated = full.subarray(0, Math.floor(full.length / 2));
    const res = await upload(truncated, 'cut.png');
    expect(res.status).to.equal(200);
    expect(res.json).to.include({ thumbnail_url: null, thumbnail_2x_url: null });
    await expectServedExactly(res.json.image_url!, truncated, 'image/png');
    expect(await ctx.s3.keys(ctx.bucket, 'images/')).to.deep.equal(referencedKeys(res.json, publicBase()));
  });

  it('a disk that cannot take the local copy: the original is stored whole, without thumbnails', async () => {
    const data = makePng(300, 200, { noise: true });
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/inventory-test';
    try {
      const res = await upload(data);
      expect(res.status).to.equal(200);
      expect(res.json).to.include({ thumbnail_url: null, thumbnail_2x_url: null });
      await expectServedExactly(res.json.image_url!, data, 'image/png');
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
  });

  it('an item stored before thumbnails existed (no thumbnails field) shows its image and no thumbnail', async () => {
    const item = { id: 1, name: 'Spoon', description: '', quantity: 1, image_key: 'images/1/old.png' };
    await ctx.s3.s3.send(new PutObjectCommand({ Bucket: ctx.bucket, Key: 'inventory/1.json', Body: JSON.stringify(item) }));
    const shown = (await (await fetch(`${ctx.app.url}/inventory/1`)).json()) as PublicItem;
    expect(shown).to.deep.include({ image_url: `${publicBase()}/images/1/old.png`, thumbnail_url: null, thumbnail_2x_url: null });
  });
});
