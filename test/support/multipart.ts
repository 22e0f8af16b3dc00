import { randomBytes } from 'node:crypto';
import http from 'node:http';

export interface FilePart {
  field: string;
  filename: string;
  contentType?: string;
  data: Buffer;
}

/** Builds a multipart/form-data body by hand, so tests control every byte (and can send it badly). */
export function multipart(parts: FilePart[]): { body: Buffer; contentType: string } {
  const boundary = `----test${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"; filename="${part.filename}"\r\n` +
          `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      part.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: any;
}

export interface PostOptions {
  chunked?: boolean;
  /** Stops sending for `ms` after each of these offsets of the body, as a slow client's network would. */
  pauses?: { at: number[]; ms: number };
  /**
   * Ends a write at each of these offsets of the body, and lets the server read before the next write (a turn
   * of the event loop: the app under test runs in this process), so the body arrives in exactly these pieces.
   * The rest goes in 256 KiB writes; `[]` sends the whole body in one write.
   */
  splits?: number[];
}

/** POSTs a body with http.request (fetch hides chunked/streaming details the tests care about). */
export function post(url: string, body: Buffer, contentType: string, options: PostOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': contentType };
    if (!options.chunked) headers['Content-Length'] = body.length;
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode!, headers: res.headers, json });
      });
    });
    req.on('error', reject);
    if (options.splits) {
      void (async () => {
        let from = 0;
        for (const to of [...new Set(options.splits!)].filter((at) => at > 0 && at < body.length).sort((a, b) => a - b)) {
          req.write(body.subarray(from, to));
          from = to;
          await new Promise((resolve) => setImmediate(resolve));
        }
        req.end(body.subarray(from));
      })();
      return;
    }
    // Write in slices so large bodies stream rather than arriving in one piece.
    const slice = 256 * 1024;
    const stops = [...(options.pauses?.at ?? []).filter((at) => at < body.length), body.length].sort((a, b) => a - b);
    void (async () => {
      let from = 0;
      for (const stop of stops) {
        for (let i = from; i < stop; i += slice) req.write(body.subarray(i, Math.min(i + slice, stop)));
        from = stop;
        if (stop < body.length) await new Promise((resolve) => setTimeout(resolve, options.pauses!.ms));
      }
      req.end();
    })();
  });
}

export function uploadImage(
  baseUrl: string,
  id: number | string,
  part: Omit<FilePart, 'field'> & { field?: string },
  options: PostOptions = {},
) {
  const { body, contentType } = multipart([{ field: 'image_file', ...part }]);
  return post(`${baseUrl}/inventory/${id}/image`, body, contentType, options);
}
