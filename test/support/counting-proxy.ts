/**
 * An HTTP proxy in front of an S3 server that counts the requests going through it (to measure S3 cost) and
 * records what each one was: method, path, headers, and the length and CRC32 of the body it carried.
 */
import http from 'node:http';
import { crc32 } from 'node:zlib';

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
  /** The body's CRC32 as S3 writes it in x-amz-checksum-crc32: base64 of the big-endian 32-bit value. */
  bodyCrc32: string;
}

export interface CountingProxy {
  endpoint: string;
  /** Requests forwarded since the last reset. */
  readonly count: number;
  /** The requests forwarded since the last reset, each recorded once its body has gone through. */
  readonly requests: RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let count = 0;
  let requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    count++;
    let bodyBytes = 0;
    let crc = 0;
    req.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
      crc = crc32(chunk, crc);
    });
    req.on('end', () => {
      const digest = Buffer.alloc(4);
      digest.writeUInt32BE(crc >>> 0);
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, bodyBytes, bodyCrc32: digest.toString('base64') });
    });
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    get count() {
      return count;
    },
    get requests() {
      return requests;
    },
    reset: () => {
      count = 0;
      requests = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
