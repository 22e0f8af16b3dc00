/**
 * Slow, hanging or hostile peers: every request gets an HTTP answer in a bounded time, and a hung S3 does
 * not break the app for good.
 */
import { expect } from 'chai';
import net from 'node:net';
import type { RunningServer } from '../../web/src/server';
import { startTestApp } from '../support/app';
import { startHangingProxy, type HangingProxy } from '../support/hanging-proxy';
import { makePng } from '../support/images';
import { multipart, uploadImage } from '../support/multipart';
import { startTestS3, type TestS3 } from '../support/s3';

/** Sends raw bytes and collects the raw answer until the server closes the connection (or `waitMs` passes). */
function rawExchange(url: string, send: (socket: net.Socket) => void, waitMs = 8000): Promise<{ text: string; closedAfterMs: number }> {
  const { port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = net.connect(Number(port), '127.0.0.1', () => send(socket));
    socket.on('data', (chunk: Buffer) => (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text, closedAfterMs: Date.now() - started }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${waitMs} ms; got: ${text}`));
    }, waitMs);
  });
}
const bodyOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { error: string; message: string };

describe('slow, hanging and hostile peers', function () {
  this.timeout(60_000);
  let s3: TestS3;
  let bucket: string;
  let app: RunningServer;

  before(async () => {
    s3 = await startTestS3();
    bucket = await s3.createBucket('peers');
    app = await startTestApp(s3, bucket, { REQUEST_BODY_TIMEOUT_MS: '1000', MAX_UPLOAD_BYTES: String(1024 * 1024) });
  });
  after(async () => {
    await app?.close(1000);
    await s3?.stop();
  });

  describe('an S3 that refuses connections (nothing listens on its port)', () => {
    let refusedApp: RunningServer;
    before(async () => {
      const closedPort = await new Promise<number>((resolve) => {
        const server = net.createServer().listen(0, '127.0.0.1', () => {
          const { port } = server.address() as net.AddressInfo;
          server.close(() => resolve(port));
        });
      });
      refusedApp = await startTestApp({ endpoint: `http://127.0.0.1:${closedPort}` }, 'refused-bucket', {
        MAX_UPLOAD_BYTES: String(12 * 1024 * 1024),
      });
    });
    after(async () => refusedApp?.close(1000));

    it('answers every request that needs S3 with 503 "unreachable" JSON (not 504: nothing is slow), uploads of both sizes too', async () => {
      const unreachable = { error: 'Service Unavailable', message: 'Image storage is unreachable; try again shortly' };
      const json = async (res: Response | Promise<Response>) => ({ status: (await res).status, body: await (await res).json() });
      const answers = [
        await json(fetch(`${refusedApp.url}/inventory`)),
        await json(fetch(`${refusedApp.url}/inventory/1`)),
        await json(
          fetch(`${refusedApp.url}/inventory`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ id: 9, name: 'Cup' }),
          }),
        ),
        await json(fetch(`${refusedApp.url}/inventory/1`, { method: 'DELETE' })),
      ];
      for (const data of [makePng(8, 8), makePng(1500, 1500, { noise: true })]) {
        const res = await uploadImage(refusedApp.url, 1, { filename: 'x.png', data });
        answers.push({ status: res.status, body: res.json });
      }
      expect(answers).to.deep.equal(Array.from({ length: 6 }, () => ({ status: 503, body: unreachable })));
      const ready = await json(fetch(`${refusedApp.url}/readyz`));
      expect(ready.status).to.equal(503);
    });
  });

  describe('an S3 that accepts connections and never answers', () => {
    const S3_TIMEOUT_MS = 800;
    let proxy: HangingProxy;
    let hungApp: RunningServer;
    before(async () => {
      proxy = await startHangingProxy(s3.endpoint);
      const hungBucket = await s3.createBucket('hung');
      hungApp = await startTestApp({ endpoint: proxy.endpoint }, hungBucket, {
        S3_TIMEOUT_MS: String(S3_TIMEOUT_MS),
        PUBLIC_BASE_URL: `${s3.endpoint}/${hungBucket}`,
      });
    });
    after(async () => {
      await hungApp?.close(1000);
      await proxy?.close();
    });

    it('answers 504 JSON within the S3 deadline, however many calls hang, and serves again by itself once S3 answers', async () => {
      expect((await fetch(`${hungApp.url}/inventory`)).status).to.equal(200);
      proxy.hang();

      // More calls than the client's 64 sockets to S3, all at once.
      const timed = async (path: string, init?: RequestInit) => {
        const started = Date.now();
        const res = await fetch(`${hungApp.url}${path}`, init);
        return {
          status: res.status,
          body: (await res.json()) as { error?: string; message?: string; reason?: string },
          ms: Date.now() - started,
        };
      };
      const calls = await Promise.all([
        ...Array.from({ length: 80 }, (_, i) => timed(i % 2 ? '/inventory' : '/inventory/1')),
        timed('/inventory', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ id: 9, name: 'Cup' }),
        }),
      ]);
      expect([...new Set(calls.map((c) => c.status))]).to.deep.equal([504]);
      expect(calls[0]!.body).to.deep.equal({
        error: 'Gateway Timeout',
        message: `Image storage did not answer in time (S3 did not answer within ${S3_TIMEOUT_MS} ms); try again shortly`,
      });
      const slowest = Math.max(...calls.map((c) => c.ms));
      // Bounded by the deadline, not by the hang (which never ends); the slack is for a machine busy with the whole suite.
      expect(slowest, 'the slowest answer').to.be.below(S3_TIMEOUT_MS + 4000);

      const ready = await timed('/readyz');
      expect(ready.status).to.equal(503);
      expect(ready.ms).to.be.below(2500);
      expect((await fetch(`${hungApp.url}/healthcheck`)).status).to.equal(200);
      const upload = await uploadImage(hungApp.url, 2, { filename: 'x.png', data: makePng(8, 8) });
      expect(upload.status).to.equal(504);
      expect(proxy.hungConnections).to.be.greaterThan(0);

      proxy.recover();
      const recovered = Date.now();
      let status = 0;
      while (status !== 200 && Date.now() - recovered < 5000) status = (await fetch(`${hungApp.url}/inventory`)).status;
      expect(status, 'the app serves again once S3 answers').to.equal(200);
      console.log(`      (slowest 504 with S3 hanging: ${slowest} ms; serving again ${Date.now() - recovered} ms after S3 recovered)`);
      expect((await fetch(`${hungApp.url}/readyz`)).status).to.equal(200);
      expect((await uploadImage(hungApp.url, 2, { filename: 'x.png', data: makePng(8, 8) })).status).to.equal(200);
    });
  });

  describe('every request gets an answer', () => {
    it('a JSON body dripped one byte at a time is cut off with 408 after REQUEST_BODY_TIMEOUT_MS, and the connection closed', async () => {
      const body = JSON.stringify({ id: 7, name: 'Slow' });
      let sent = 0;
      let timer: NodeJS.Timeout | undefined;
      const { text, closedAfterMs } = await rawExchange(app.url, (socket) => {
        socket.write(
          `POST /inventory HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        timer = setInterval(() => sent < body.length && !socket.destroyed && socket.write(body[sent++]!), 400);
      });
      clearInterval(timer);
      expect(text).to.match(/^HTTP\/1\.1 408 /);
      expect(bodyOf(text)).to.deep.equal({ error: 'Request Timeout', message: 'The request body did not arrive within 1000 ms' });
      expect(closedAfterMs).to.be.within(900, 2500);
      expect((await fetch(`${app.url}/inventory/7`)).status).to.equal(404);
    });

    it('Expect: 100-continue with a declared size over the limit gets 413 and no 100 Continue', async () => {
      const { text } = await rawExchange(app.url, (socket) => {
        socket.write(
          `POST /inventory/1/image HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${50 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`,
        );
      });
      expect(text).to.not.include('100 Continue');
      expect(text).to.match(/^HTTP\/1\.1 413 /);
      expect(bodyOf(text).message).to.equal('The file is larger than 1 MB');
    });

    it('Expect: 100-continue within the limit gets 100 Continue, then the answer', async () => {
      const body = JSON.stringify({ id: 8, name: 'Continued' });
      const { text } = await rawExchange(app.url, (socket) => {
        socket.write(
          `POST /inventory HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
        );
        socket.once('data', () => socket.write(body));
      });
      expect(text).to.match(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 Created\r\n/);
    });

    for (const [method, path, allow] of [
      ['PUT', '/inventory', 'GET, POST, HEAD'],
      ['PATCH', '/inventory/1', 'GET, DELETE, HEAD'],
      ['GET', '/inventory/1/image', 'POST'],
    ] as const) {
      it(`${method} ${path} -> 405 with Allow: ${allow}`, async () => {
        const res = await fetch(`${app.url}${path}`, { method });
        expect(res.status).to.equal(405);
        expect(res.headers.get('allow')).to.equal(allow);
        expect(((await res.json()) as { error: string }).error).to.equal('Method Not Allowed');
      });
    }
  });

  describe('cross-site writes', () => {
    const post = (headers: Record<string, string>, body: unknown = { id: 20, name: 'Forged' }) =>
      fetch(`${app.url}/inventory`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    it('a POST from another site (Sec-Fetch-Site: cross-site) is refused with 403 and changes nothing', async () => {
      const res = await post({ 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' });
      expect(res.status).to.equal(403);
      expect(((await res.json()) as { message: string }).message).to.match(/^Cross-site POST refused \(Sec-Fetch-Site: cross-site\)/);
      expect((await fetch(`${app.url}/inventory/20`)).status).to.equal(404);
    });

    it('a multipart image upload from another page (Origin only, older browsers) is refused and stores nothing', async () => {
      const { body, contentType } = multipart([{ field: 'image_file', filename: 'x.png', data: makePng(8, 8) }]);
      const res = await fetch(`${app.url}/inventory/1/image`, {
        method: 'POST',
        headers: { 'Content-Type': contentType, Origin: 'http://evil.example' },
        body: new Uint8Array(body),
      });
      expect(res.status).to.equal(403);
      expect(await s3.keys(bucket, 'images/')).to.deep.equal([]);
    });

    it('a DELETE from a sibling site is refused', async () => {
      const res = await fetch(`${app.url}/inventory/1`, { method: 'DELETE', headers: { 'Sec-Fetch-Site': 'same-site' } });
      expect(res.status).to.equal(403);
      expect((await fetch(`${app.url}/inventory/1`)).status).to.equal(200);
    });

    it("the app's own page (same-origin), a typed URL (none), the same Origin, and curl (no header) still work", async () => {
      const host = new URL(app.url).host;
      expect((await post({ 'Sec-Fetch-Site': 'same-origin' }, { id: 21, name: 'A' })).status).to.equal(201);
      expect((await post({ 'Sec-Fetch-Site': 'none' }, { id: 22, name: 'B' })).status).to.equal(201);
      expect((await post({ Origin: `http://${host}` }, { id: 23, name: 'C' })).status).to.equal(201);
      expect((await post({}, { id: 24, name: 'D' })).status).to.equal(201);
    });
  });

  it('over plain HTTP the Content-Security-Policy does not upgrade requests to https', async () => {
    const csp = (await fetch(`${app.url}/`)).headers.get('content-security-policy')!;
    expect(csp).to.include(`img-src 'self' data: blob: ${new URL(s3.endpoint).origin}`);
    expect(csp).to.not.include('upgrade-insecure-requests');
  });
});
