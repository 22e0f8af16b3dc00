import { fileTypeFromBuffer } from 'file-type';
import { Readable } from 'node:stream';

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

export interface SniffedFile {
  /** The file's size when it ended within the sniffed head (0: empty), undefined when more is coming. */
  sizeIfEnded: number | undefined;
  /** The type its content says, whether or not it is one the app accepts. */
  detectedMime: string | undefined;
  /** Set when the content is an accepted image: its type and the extension its key gets. */
  image: { mime: string; ext: string } | undefined;
  /** The whole file from its first byte: the sniffed head, then the rest as it arrives. Read it once. */
  body: Readable;
  /** Bytes read from the source so far; final once `body` has ended. */
  bytesRead(): number;
}

/**
 * Identifies a file from its first bytes (its content, not the client's file name or Content-Type) and gives
 * the whole file back as one stream. The head and the rest come from one iterator over the source, so no
 * chunking of the source (one chunk for the whole file, one byte at a time) can drop, repeat or reorder a byte:
 * nothing is pushed back into a stream that may already have ended.
 */
export async function sniffImage(source: AsyncIterable<Uint8Array>): Promise<SniffedFile> {
  const chunks = source[Symbol.asyncIterator]();
  let bytesRead = 0;
  let ended = false;
  const next = async (): Promise<Uint8Array | undefined> => {
    const chunk = await chunks.next();
    if (chunk.done) {
      ended = true;
      return undefined;
    }
    bytesRead += chunk.value.length;
    return chunk.value;
  };

  const headChunks: Uint8Array[] = [];
  while (bytesRead < SNIFF_BYTES) {
    const chunk = await next();
    if (!chunk) break;
    headChunks.push(chunk);
  }
  const head = Buffer.concat(headChunks);
  const detected = head.length > 0 ? await fileTypeFromBuffer(head) : undefined;
  const ext = detected && ALLOWED_IMAGE_TYPES.get(detected.mime);

  async function* whole() {
    if (head.length > 0) yield head;
    for (let chunk = ended ? undefined : await next(); chunk; chunk = await next()) yield chunk;
  }
  return {
    sizeIfEnded: ended ? head.length : undefined,
    detectedMime: detected?.mime,
    image: ext ? { mime: detected!.mime, ext } : undefined,
    body: Readable.from(whole(), { objectMode: false }),
    bytesRead: () => bytesRead,
  };
}
