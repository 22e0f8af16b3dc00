import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

const chunk = (type: string, data: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])));
  return Buffer.concat([length, Buffer.from(type), data, crc]);
};

/**
 * A valid, decodable RGB PNG of any size. With `noise`, pixels are random so the file does not
 * compress: that is how tests get multi-megabyte images that still sniff and render as PNG.
 */
export function makePng(width: number, height: number, options: { noise?: boolean; rgb?: [number, number, number] } = {}): Buffer {
  const [r, g, b] = options.rgb ?? [220, 60, 40];
  const row = Buffer.alloc(1 + width * 3);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    if (options.noise) {
      const line = Buffer.alloc(1 + width * 3);
      for (let i = 1; i < line.length; i++) line[i] = (Math.random() * 256) | 0;
      rows.push(line);
    } else {
      for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
      rows.push(row);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: options.noise ? 0 : 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A file that sniffs as JPEG (FF D8 FF E0) followed by pseudo-random, incompressible bytes from `seed`: `size`
 * bytes in all, for any size (shorter than 3 bytes, it is no image at all).
 */
export function jpegOfSize(size: number, seed: number): Buffer {
  const data = Buffer.alloc(size);
  let state = seed >>> 0 || 7;
  for (let i = 0; i < size; i++) data[i] = (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(data, 0, 0, Math.min(4, size));
  return data;
}

export const fixture = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', name));
export const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Fetches an image anonymously by its public URL, as a browser would, and checks it is exactly `data`. */
export async function expectServedExactly(imageUrl: string, data: Buffer, contentType?: string): Promise<void> {
  const res = await fetch(imageUrl);
  expect(res.status, imageUrl).to.equal(200);
  if (contentType) expect(res.headers.get('content-type')).to.equal(contentType);
  expect(sha256(Buffer.from(await res.arrayBuffer()))).to.equal(sha256(data));
}
