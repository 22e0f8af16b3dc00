/**
 * Uploads, upserts and deletes racing on one item. Against s3rver (which ignores conditional writes) one app
 * process must stay correct on its own; against moto (which honours If-None-Match and If-Match) two app
 * processes share one bucket, as replicas do, and only S3's conditional writes stand between them.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import type { RunningServer } from '../../web/src/server';
import { startTestApp } from '../support/app';
import { itemState } from '../support/item-invariants';
import { makePng } from '../support/images';
import { MOTO_CREDENTIALS, requireMoto, startMoto, type Moto } from '../support/moto';
import { uploadImage } from '../support/multipart';
import { startTestS3, type TestS3 } from '../support/s3';

const upsert = (url: string, body: Record<string, unknown>) =>
  fetch(`${url}/inventory`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const remove = (url: string, id: number) => fetch(`${url}/inventory/${id}`, { method: 'DELETE' });
const png = (seed: number) => makePng(24, 24, { rgb: [seed % 256, (seed * 7) % 256, (seed * 13) % 256] });

/** The same races, against whichever S3 and app instances a suite provides. */
function races(setup: () => { apps: () => RunningServer[]; s3: () => TestS3['s3']; bucket: () => string; publicBase: () => string }) {
  const state = (id: number) => itemState(setup().apps()[0]!.url, setup().s3(), setup().bucket(), setup().publicBase(), id);
  const app = (i: number) => setup().apps()[i % setup().apps().length]!.url;

  it('10 concurrent uploads and racing upserts: no lost update, nothing dangling, no orphan, no 500', async () => {
    const statuses: number[] = [];
    for (let round = 0; round < 3; round++) {
      const id = 100 + round;
      expect((await upsert(app(0), { id, name: 'Ladle', quantity: 1 })).status).to.equal(201);
      const uploads = Array.from({ length: 10 }, (_, i) => uploadImage(app(i), id, { filename: `${i}.png`, data: png(i + round * 10) }));
      const upserts = Array.from({ length: 10 }, (_, i) => upsert(app(i + 1), { id, name: `Ladle ${i}`, quantity: i }));
      statuses.push(...(await Promise.all(uploads)).map((r) => r.status), ...(await Promise.all(upserts)).map((r) => r.status));
      const after = await state(id);
      expect(after.item, `round ${round}`).to.not.equal(undefined);
      expect(after.dangling, `round ${round}: image_url points at a missing object`).to.equal(false);
      expect(after.orphans, `round ${round}: objects no item references`).to.deep.equal([]);
      expect(after.item!.image_url, `round ${round}: an upsert wrote back an old image`).to.not.equal(null);
    }
    expect(statuses.filter((s) => s !== 200)).to.deep.equal([]);
  });

  it('20 concurrent creates of one new id: exactly one 201, the others update (200)', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => upsert(app(i), { id: 500, name: `Tray ${i}`, quantity: i })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).to.have.length(1);
    expect(statuses.filter((s) => s === 200)).to.have.length(19);
  });

  it('a delete landing as an upload finishes: the item stays deleted, nothing is left under its prefix', async () => {
    for (let trial = 0; trial < 12; trial++) {
      const id = 200 + trial;
      await upsert(app(0), { id, name: 'Sieve' });
      const upload = uploadImage(app(trial), id, { filename: 's.png', data: makePng(300, 300, { noise: true }) });
      await new Promise((r) => setTimeout(r, trial * 4));
      const deleted = await remove(app(trial + 1), id);
      const uploaded = await upload;
      expect(
        [uploaded.status, deleted.status].every((s) => s < 500),
        `trial ${trial}`,
      ).to.equal(true);
      const after = await state(id);
      if (deleted.status === 200) {
        expect(after.item, `trial ${trial}: the item came back after its delete`).to.equal(undefined);
        expect(after.objects, `trial ${trial}`).to.deep.equal([]);
      } else {
        expect(after.dangling, `trial ${trial}`).to.equal(false);
        expect(after.orphans, `trial ${trial}`).to.deep.equal([]);
      }
    }
  });

  it('uploads, upserts and deletes interleaved at random: every request answered below 500, invariants hold', async () => {
    const id = 300;
    const statuses: number[] = [];
    for (let round = 0; round < 4; round++) {
      const requests = Array.from({ length: 12 }, (_, i) => {
        const kind = (i + round) % 4;
        if (kind === 0) return remove(app(i), id).then((r) => r.status);
        if (kind === 1) return upsert(app(i), { id, name: `Pot ${round}.${i}` }).then((r) => r.status);
        return uploadImage(app(i), id, { filename: 'p.png', data: png(round * 12 + i) }).then((r) => r.status);
      });
      statuses.push(...(await Promise.all(requests)));
      const after = await state(id);
      expect(after.dangling, `round ${round}`).to.equal(false);
      expect(after.orphans, `round ${round}`).to.deep.equal([]);
      if (!after.item) expect(after.objects, `round ${round}`).to.deep.equal([]);
    }
    expect(statuses.filter((s) => s >= 500)).to.deep.equal([]);
  });
}

describe('one item under concurrent requests', function () {
  this.timeout(120_000);

  describe('one app process on s3rver (conditions ignored: the per-item lock keeps it correct)', () => {
    let s3: TestS3;
    let app: RunningServer;
    let bucket: string;
    before(async () => {
      s3 = await startTestS3();
      bucket = await s3.createBucket('race');
      app = await startTestApp(s3, bucket, {}, { orphanGraceMs: 0 });
    });
    after(async () => {
      await app?.close(1000);
      await s3?.stop();
    });
    races(() => ({ apps: () => [app], s3: () => s3.s3, bucket: () => bucket, publicBase: () => `${s3.endpoint}/${bucket}` }));

    it('a crash leftover under the prefix is swept the next time the image changes, an upload in flight is not', async () => {
      await upsert(app.url, { id: 400, name: 'Colander' });
      const { PutObjectCommand } = await import('@aws-sdk/client-s3');
      await s3.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'images/400/left-by-a-crash.png', Body: png(1) }));
      const slow = uploadImage(app.url, 400, { filename: 'slow.png', data: makePng(900, 900, { noise: true }) });
      const quick = await uploadImage(app.url, 400, { filename: 'quick.png', data: png(2) });
      expect(quick.status).to.equal(200);
      expect((await slow).status).to.equal(200);
      const after = await itemState(app.url, s3.s3, bucket, `${s3.endpoint}/${bucket}`, 400);
      expect(after.objects).to.have.length(3); // the quick image and its two thumbnails
      expect(after.orphans).to.deep.equal([]);
    });
  });

  describe('two app processes (replicas) on one moto bucket (conditional writes honoured)', () => {
    let moto: Moto;
    let apps: RunningServer[];
    const bucket = 'race-replicas';
    before(async function () {
      requireMoto(this);
      // S3's conditional writes are atomic; moto's are only when it serves one request at a time.
      moto = await startMoto({ atomicWrites: true });
      // A plain bucket: moto mis-evaluates the module's TLS-only bucket policy (see test/support/moto.ts).
      await moto.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey };
      Object.assign(process.env, env);
      // The default grace period: a young unreferenced object may be the other replica's upload in flight.
      apps = [await startTestApp(moto, bucket), await startTestApp(moto, bucket)];
    });
    after(async () => {
      for (const app of apps ?? []) await app.close(1000);
      await moto?.stop();
    });
    races(() => ({ apps: () => apps, s3: () => moto.s3, bucket: () => bucket, publicBase: () => `${moto.endpoint}/${bucket}` }));
  });
});
