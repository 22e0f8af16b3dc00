/**
 * A 413 reaches every client, including one that keeps sending the rest of an oversize body before it reads
 * the answer (Node's fetch, a browser): the app answers with `Connection: close`, then reads and discards what
 * follows, within bounds, before closing (lingering close), so the client's kernel never resets the connection
 * under an answer it has not read yet. The browser's side is in browser.spec.ts.
 */
import { expect } from 'chai';
import net from 'node:net';
import { DEFAULT_LINGER } from '../../web/src/http/lingering-close';
import { appPerTest } from '../support/app';
import { makePng } from '../support/images';

const LIMIT = 1024 * 1024;
const BOUNDARY = 'oversizeboundary';
const partHead = Buffer.from(
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="image_file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
);

/**
 * Sends a request whose body is `bodyBytes` long (a PNG head, then zeros) as fast as the server takes it, and
 * reads nothing until it has sent it all, or until the server stops taking it: what it then reads is the answer.
 */
function sendAllThenRead(url: string, bodyBytes: number, chunked: boolean): Promise<{ answer: string; sent: number; error?: string }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.pause(); // the answer waits in the kernel until the body is sent
    let answer = '';
    let sent = 0;
    const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${bodyBytes}`;
    socket.write(
      `POST /inventory/1/image HTTP/1.1\r\nHost: app\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n${framing}\r\n\r\n`,
    );
    const frame = (data: Buffer) =>
      chunked ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]) : data;
    const zeros = Buffer.alloc(64 * 1024);
    const pump = () => {
      while (sent < bodyBytes) {
        const data = sent === 0 ? Buffer.concat([partHead, makePng(4, 4)]) : zeros.subarray(0, Math.min(zeros.length, bodyBytes - sent));
        sent += data.length;
        if (!socket.write(frame(data))) return void socket.once('drain', pump);
      }
      socket.resume();
    };
    pump();
    // A server that stops reading (lingering ended) leaves the client's writes pending: read what came back.
    const stalled = setInterval(() => socket.writableNeedDrain && socket.resume(), 500);
    socket.on('data', (chunk: Buffer) => (answer += chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearInterval(stalled);
      resolve({ answer, sent, error: err.code });
    });
    socket.on('close', () => {
      clearInterval(stalled);
      resolve({ answer, sent });
    });
  });
}

describe('an oversize upload gets its 413, however the client sends it', function () {
  this.timeout(60_000);
  const ctx = appPerTest('oversize', { MAX_UPLOAD_BYTES: String(LIMIT) });
  const refusal = { error: 'Payload Too Large', message: `The file is larger than ${LIMIT / 1024 / 1024} MB` };

  for (const chunked of [false, true]) {
    const how = chunked ? 'a chunked body (refused by the parser mid-body)' : 'a declared Content-Length (refused before reading)';
    it(`${how}, from a client that reads only after sending 8 MB: the 413 with Connection: close, then the end of the stream`, async () => {
      const { answer, error } = await sendAllThenRead(ctx.app.url, 8 * 1024 * 1024, chunked);
      expect(error, `the client saw ${error} and the answer ${JSON.stringify(answer.slice(0, 80))}`).to.equal(undefined);
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).to.match(/^HTTP\/1\.1 413 /);
      expect(head).to.match(/\r\nConnection: close\r\n/i);
      expect(JSON.parse(body!)).to.deep.equal(refusal);
    });
  }

  it(`the discarded rest is bounded: a client sending without end is cut off after ${DEFAULT_LINGER.bytes / 1024 / 1024} MiB more, or ${DEFAULT_LINGER.ms / 1000} s`, async () => {
    const endless = 1024 * 1024 * 1024;
    const started = Date.now();
    const { sent } = await sendAllThenRead(ctx.app.url, endless, false);
    const seconds = (Date.now() - started) / 1000;
    // The app reads until either bound, then closes; it checks every 50 ms, which on loopback can be 100 MB more.
    expect(sent).to.be.at.most(4 * DEFAULT_LINGER.bytes);
    // The byte bound, unless the time bound came first (a machine too busy to send 64 MiB in 10 s: 60.6 MB seen).
    expect(sent >= DEFAULT_LINGER.bytes || seconds >= DEFAULT_LINGER.ms / 1000, `cut off after ${sent} bytes and ${seconds} s`).to.equal(
      true,
    );
  });

  describe("Node's fetch (undici), sending the whole body before it reads", () => {
    const file = Buffer.concat([makePng(4, 4), Buffer.alloc(20 * LIMIT)]);

    it('a FormData body (declared length) gets the 413 JSON', async () => {
      const form = new FormData();
      form.append('image_file', new Blob([file], { type: 'image/png' }), 'big.png');
      const res = await fetch(`${ctx.app.url}/inventory/1/image`, { method: 'POST', body: form });
      expect({ status: res.status, body: await res.json() }).to.deep.equal({ status: 413, body: refusal });
    });

    it('a streamed body (chunked) gets the 413 JSON', async () => {
      const body = Buffer.concat([partHead, file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < body.length; i += 64 * 1024) controller.enqueue(body.subarray(i, i + 64 * 1024));
          controller.close();
        },
      });
      const res = await fetch(`${ctx.app.url}/inventory/1/image`, {
        method: 'POST',
        body: stream,
        duplex: 'half',
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      } as RequestInit);
      expect({ status: res.status, body: await res.json() }).to.deep.equal({ status: 413, body: refusal });
    });
  });
});
