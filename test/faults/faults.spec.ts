import { expect } from 'chai';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EMBEDDED_S3_CREDENTIALS, ensureBucket, startEmbeddedS3, type EmbeddedS3 } from '../../web/src/dev/embedded-s3';
import { createS3Client } from '../../web/src/s3/client';
import type { RunningServer } from '../../web/src/server';
import { startTestApp } from '../support/app';
import { makePng, sha256 } from '../support/images';
import { referencedKeys } from '../support/item-invariants';
import { multipart, uploadImage } from '../support/multipart';
import { startTestS3, type TestS3 } from '../support/s3';

describe('fault tolerance', function () {
  this.timeout(120_000);

  describe('the S3 server stops in the middle of an upload', () => {
    let directory: string;
    let s3: EmbeddedS3;
    let app: RunningServer;

    before(async () => {
      process.env.AWS_ACCESS_KEY_ID = EMBEDDED_S3_CREDENTIALS.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = EMBEDDED_S3_CREDENTIALS.secretAccessKey;
      directory = await mkdtemp(path.join(tmpdir(), 'fault-s3-'));
      s3 = await startEmbeddedS3({ port: 0, directory });
      const client = createS3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true });
      await ensureBucket(client, 'faults');
      client.destroy();
      app = await startTestApp({ endpoint: s3.endpoint } as TestS3, 'faults');
    });
    after(async () => {
      await app?.close(1000);
      await s3?.stop();
      await rm(directory, { recursive: true, force: true });
    });

    it('answers 502/503 JSON, stays up, and serves again once S3 is back', async () => {
      const { body, contentType } = multipart([{ field: 'image_file', filename: 'big.png', data: makePng(2000, 2000, { noise: true }) }]);
      const response = new Promise<{ status: number; json: any }>((resolve, reject) => {
        const req = http.request(
          `${app.url}/inventory/1/image`,
          { method: 'POST', headers: { 'Content-Type': contentType, 'Content-Length': body.length } },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        // Send the first 6 MiB (a part is under way), stop S3, then send the rest slowly.
        req.write(body.subarray(0, 6 * 1024 * 1024), () => {
          void s3.stop().then(() => {
            const rest = body.subarray(6 * 1024 * 1024);
            let offset = 0;
            const timer = setInterval(() => {
              if (offset >= rest.length) {
                clearInterval(timer);
                req.end();
                return;
              }
              req.write(rest.subarray(offset, offset + 512 * 1024));
              offset += 512 * 1024;
            }, 20);
          });
        });
      });
      const res = await response;
      expect(res.status).to.be.oneOf([502, 503]);
      expect(res.json.error).to.be.a('string');
      expect(res.json.message).to.match(/storage/i);

      expect((await fetch(`${app.url}/healthcheck`)).status).to.equal(200);
      expect((await fetch(`${app.url}/readyz`)).status).to.equal(503);

      s3 = await startEmbeddedS3({ port: s3.port, directory });
      expect((await fetch(`${app.url}/readyz`)).status).to.equal(200);
      const png = makePng(20, 20);
      const ok = await uploadImage(app.url, 1, { filename: 'after.png', data: png });
      expect(ok.status).to.equal(200);
      expect(sha256(Buffer.from(await (await fetch(ok.json.image_url)).arrayBuffer()))).to.equal(sha256(png));
    });
  });

  describe('with S3 up', () => {
    let s3: TestS3;
    let app: RunningServer;
    let bucket: string;
    before(async () => {
      s3 = await startTestS3();
      bucket = await s3.createBucket('faults');
      app = await startTestApp(s3, bucket, { UPLOAD_IDLE_TIMEOUT_MS: '5000' });
    });
    after(async () => {
      await app?.close(1000);
      await s3?.stop();
    });

    it('20 clients vanishing at random offsets beside 20 good uploads: good ones intact, nothing else stored, memory back to baseline', async () => {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const heapAfterGc = () => {
        gc();
        gc();
        return process.memoryUsage().heapUsed;
      };
      // Warm up once so lazily loaded code does not count as growth.
      await uploadImage(app.url, 2, { filename: 'warm.png', data: makePng(1200, 1200, { noise: true }) });
      await fetch(`${app.url}/inventory/2`, { method: 'DELETE' });
      const baseline = heapAfterGc();

      const { port } = new URL(app.url);
      const good = Array.from({ length: 20 }, (_, i) => makePng(700 + i * 10, 700, { noise: true }));
      const goodUploads = good.map(async (png, i) => {
        await fetch(`${app.url}/inventory`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ id: 100 + i, name: `good ${i}`, quantity: 1 }),
        });
        return uploadImage(app.url, 100 + i, { filename: `g${i}.png`, data: png });
      });
      const doomed = Array.from({ length: 20 }, (_, i) => {
        const { body, contentType } = multipart([{ field: 'image_file', filename: 'x.png', data: makePng(1500, 1500, { noise: true }) }]);
        const cut = Math.floor(Math.random() * (body.length - 2000)) + 1000;
        return new Promise<void>((resolve) => {
          const socket = net.connect(Number(port), '127.0.0.1', () => {
            socket.write(
              `POST /inventory/${(i % 3) + 1}/image HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`,
            );
            socket.write(body.subarray(0, cut), () => setTimeout(() => (socket.destroy(), resolve()), Math.random() * 100));
          });
          socket.on('error', () => resolve());
        });
      });
      const results = await Promise.all(goodUploads);
      await Promise.all(doomed);
      await new Promise((r) => setTimeout(r, 1000));

      results.forEach((res, i) => expect(res.status, `good upload ${i}: ${JSON.stringify(res.json)}`).to.equal(200));
      const stored = await s3.keys(bucket, 'images/');
      expect(stored.sort()).to.deep.equal(results.flatMap((r) => referencedKeys(r.json, `${s3.endpoint}/${bucket}`)).sort());
      for (const [i, res] of results.entries()) {
        expect(sha256(Buffer.from(await (await fetch(res.json.image_url)).arrayBuffer())), `bytes of upload ${i}`).to.equal(
          sha256(good[i]!),
        );
      }
      expect((await fetch(`${app.url}/healthcheck`)).status).to.equal(200);
      const growth = heapAfterGc() - baseline;
      expect(growth, `heap grew by ${(growth / 1048576).toFixed(1)} MiB`).to.be.lessThan(16 * 1024 * 1024);
    });
  });
});
