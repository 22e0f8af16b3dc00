/**
 * GET /inventory costs one S3 request when nothing changed (the change stamp), and after a change the stamp,
 * one listing request per 1000 items and a read of each item that changed: never one read per item. A new
 * process reads the index of listed items instead of every item. It never serves stale data: a write
 * acknowledged by one app process shows in the next list of another (new or not), and a change made behind the
 * app's back shows once the listing is older than the relist period, or at once in a new process.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import type { RunningServer } from '../../web/src/server';
import { startTestApp } from '../support/app';
import { indexWritten } from '../support/inventory-index';
import { startCountingProxy, type CountingProxy, type RecordedRequest } from '../support/counting-proxy';
import { INDEX_KEY } from '../../web/src/inventory/store';
import { startTestS3, type TestS3 } from '../support/s3';

describe('the inventory list across app processes', function () {
  this.timeout(60_000);
  let s3: TestS3;
  let proxy: CountingProxy;
  let bucket: string;
  let writer: RunningServer;
  let reader: RunningServer;
  const ITEMS = 2000; // two full listing pages: the change stamp, listed beside the items, must not add a third

  before(async () => {
    s3 = await startTestS3();
    bucket = await s3.createBucket('list');
    // Items written straight into the bucket, as other replicas would have.
    for (let i = 0; i < ITEMS; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => {
          const id = 1000 + i + j;
          const item = { id, name: `Item ${id}`, description: '', quantity: id % 7, image_key: null };
          return s3.s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: `inventory/${id}.json`,
              Body: JSON.stringify(item),
              ContentType: 'application/json',
            }),
          );
        }),
      );
    }
    proxy = await startCountingProxy(s3.endpoint);
    writer = await startTestApp(s3, bucket);
    reader = await startTestApp({ endpoint: proxy.endpoint }, bucket);
  });
  after(async () => {
    await reader?.close(1000);
    await writer?.close(1000);
    await proxy?.close();
    await s3?.stop();
  });

  const list = async (app: RunningServer) =>
    (await (await fetch(`${app.url}/inventory`)).json()) as { id: number; name: string; quantity: number }[];
  /** The S3 requests a load costs, without the index rewrite a listing may schedule (it runs after the answer). */
  const costOfList = async (app = reader) => {
    proxy.reset();
    const items = await list(app);
    return { items, requests: proxy.requests.filter((r) => !isIndexWrite(r)).length };
  };
  const isIndexWrite = (r: RecordedRequest) => r.method === 'PUT' && r.url.split('?')[0]!.endsWith(`/${INDEX_KEY}`);
  it('the first load without an index reads every item and writes the index; an unchanged load costs only the stamp read', async () => {
    const first = await costOfList();
    expect(first.items).to.have.length(ITEMS);
    expect(first.requests).to.equal(1 + 1 + 2 + ITEMS); // the stamp, the index (missing), two listing pages, every item
    const again = await costOfList();
    expect(again.items).to.deep.equal(first.items);
    expect(again.requests).to.equal(1);
    await indexWritten(s3.s3, bucket, ITEMS);
  });

  it("a new process's first load reads the index instead of the items: 4 S3 requests at 2,000 items", async () => {
    const expected = await list(reader);
    await indexWritten(s3.s3, bucket, ITEMS);
    const fresh = await startTestApp({ endpoint: proxy.endpoint }, bucket);
    try {
      const first = await costOfList(fresh);
      expect(first.items).to.deep.equal(expected);
      expect(first.requests).to.equal(1 + 1 + 2); // the stamp, the index, two listing pages
    } finally {
      await fresh.close(1000);
    }
  });

  it('a new process never serves what the index has not caught up with: changes by the app or behind its back, and deletes', async () => {
    await list(reader);
    await indexWritten(s3.s3, bucket, ITEMS);
    const update = await fetch(`${writer.url}/inventory`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 1001, name: 'Renamed after the index' }),
    });
    expect(update.status).to.equal(200);
    expect((await fetch(`${writer.url}/inventory/1002`, { method: 'DELETE' })).status).to.equal(200);
    const behindItsBack = { id: 1003, name: 'Edited with other tools', description: '', quantity: 1, image_key: null };
    await s3.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'inventory/1003.json', Body: JSON.stringify(behindItsBack) }));

    const fresh = await startTestApp({ endpoint: proxy.endpoint }, bucket);
    try {
      const { items, requests } = await costOfList(fresh);
      expect(items.find((i) => i.id === 1001)).to.include({ name: 'Renamed after the index' });
      expect(items.find((i) => i.id === 1002)).to.equal(undefined);
      expect(items.find((i) => i.id === 1003)).to.include({ name: behindItsBack.name });
      expect(items).to.have.length(ITEMS - 1);
      expect(requests).to.equal(1 + 1 + 2 + 2); // the stamp, the index, the listing, the two changed items
    } finally {
      await fresh.close(1000);
    }
    // ...and the index catches up, so the next new process reads nothing but it.
    await list(reader);
    await indexWritten(s3.s3, bucket, ITEMS - 1, (indexed) => indexed.some(([, , item]) => item.name === behindItsBack.name));
  });

  it("another process's update, create and delete show in the very next list, for 3 + the changed items' reads", async () => {
    await costOfList();
    const update = await fetch(`${writer.url}/inventory`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 1005, name: 'Renamed', quantity: 99 }),
    });
    expect(update.status).to.equal(200);
    const create = await fetch(`${writer.url}/inventory`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 5000, name: 'New' }),
    });
    expect(create.status).to.equal(201);
    expect((await fetch(`${writer.url}/inventory/1006`, { method: 'DELETE' })).status).to.equal(200);

    const { items, requests } = await costOfList();
    expect(items.find((i) => i.id === 1005)).to.include({ name: 'Renamed', quantity: 99 });
    expect(items.find((i) => i.id === 5000)).to.include({ name: 'New' });
    expect(items.find((i) => i.id === 1006)).to.equal(undefined);
    expect(requests).to.equal(1 + 2 + 2); // the stamp, the listing, then the updated and the created item
  });

  it('a change written straight into the bucket (no stamp) shows once the listing is older than the relist period', async () => {
    const relistAfterMs = 1000;
    const app = await startTestApp({ endpoint: proxy.endpoint }, bucket, {}, { relistAfterMs });
    try {
      await list(app);
      const item = { id: 1007, name: 'Edited with other tools', description: '', quantity: 1, image_key: null };
      await s3.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'inventory/1007.json', Body: JSON.stringify(item) }));
      const listed = Date.now();
      const seen = async () => (await list(app)).find((i) => i.id === 1007)?.name === item.name;
      while (!(await seen())) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(Date.now() - listed).to.be.below(relistAfterMs + 1000);
    } finally {
      await app.close(1000);
    }
  });

  it('twenty loads at once after a change share one listing, never one that started before their request', async () => {
    await costOfList();
    const update = await fetch(`${writer.url}/inventory`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 1008, name: 'Renamed again' }),
    });
    expect(update.status).to.equal(200);
    proxy.reset();
    const loads = await Promise.all(Array.from({ length: 20 }, () => list(reader)));
    for (const items of loads) expect(items.find((i) => i.id === 1008)).to.include({ name: 'Renamed again' });
    const listingPages = proxy.requests.filter((r) => r.method === 'GET' && r.url.includes('list-type=2'));
    expect(listingPages).to.have.length(2); // one listing of two pages
    expect(proxy.requests.filter((r) => r.method === 'HEAD').length).to.be.within(2, 20); // stamp reads, shared
  });
});
