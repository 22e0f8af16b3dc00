import { fileTypeFromBuffer } from 'file-type';
import type { Readable } from 'node:stream';

/** Raster formats browsers display. SVG is refused on purpose: it can carry script, and the bucket is public. */
export const ALLOWED_IMAGE_TYPES: ReadonlyMap<string, string> = new Map([
  ['image/png', 'png'],
  ['image/jpeg', 'jpg'],
  ['image/gif', 'gif'],
  ['image/webp', 'webp'],
  ['image/avif', 'avif'],
]);

export const ALLOWED_MIME_TYPES = [...ALLOWED_IMAGE_TYPES.keys()];

/** Enough for file-type to recognise every format above (it reads at most 4100 bytes by default). */
export const SNIFF_BYTES = 4100;

export interface Sniffed {
  /** The first bytes, already consumed from the stream; they must be sent before the rest. */
  head: Buffer;
  /** True when the stream ended within the head: the head is the whole file. */
  ended: boolean;
  mime: string | undefined;
  ext: string | undefined;
}

/**
 * Reads the first bytes of a stream and identifies its real type from its content, not from the
 * client's file name or Content-Type. The stream is left paused right after the head.
 * (file-type's own fileTypeStream() never settles on an empty stream, hence this small peek.)
 */
export async function sniffImageType(stream: Readable): Promise<Sniffed> {
  const { head, ended } = await readHead(stream, SNIFF_BYTES);
  const detected = head.length > 0 ? await fileTypeFromBuffer(head) : undefined;
  const ext = detected && ALLOWED_IMAGE_TYPES.get(detected.mime);
  return { head, ended, mime: ext ? detected!.mime : detected?.mime, ext };
}

function readHead(stream: Readable, size: number): Promise<{ head: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (ended: boolean) => {
      stream.pause();
      stream.off('data', onData).off('end', onEnd).off('error', onError);
      resolve({ head: Buffer.concat(chunks), ended });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= size) finish(false);
    };
    const onEnd = () => finish(true);
    const onError = (err: Error) => {
      stream.off('data', onData).off('end', onEnd);
      reject(err);
    };
    stream.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
