import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
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

export const fixture = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', name));
export const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex');
