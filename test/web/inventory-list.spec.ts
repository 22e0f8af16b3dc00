/**
 * GET /inventory costs one S3 listing per 1000 items plus a read of each item that changed, not one read per
 * item, and never serves stale data: a write acknowledged by one app process shows in the next list of another.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import type { RunningServer } from '../../web/src/server';
import { startTestApp } from '../support/app';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy';
import { startTestS3, type TestS3 } from '../support/s3';

describe('the inventory list across app processes', function () {
  this.timeout(60_000);
  let s3: TestS3;
  let proxy: CountingProxy;
  let bucket: string;
  let writer: RunningServer;
  let reader: RunningServer;
  const ITEMS = 1200; // more than one listing page

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
  const costOfList = async () => {
    proxy.reset();
    const items = await list(reader);
    return { items, requests: proxy.count };
  };

  it('the first load reads every item; an unchanged load costs only the listing (2 pages for 1200 items)', async () => {
    const first = await costOfList();
    expect(first.items).to.have.length(ITEMS);
    expect(first.requests).to.equal(2 + ITEMS);
    const again = await costOfList();
    expect(again.items).to.deep.equal(first.items);
    expect(again.requests).to.equal(2);
  });

  it("another process's update, create and delete show in the very next list, for 2 + the changed items' reads", async () => {
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
    expect(requests).to.equal(2 + 2); // the listing, then the updated and the created item
  });

  it('twenty loads at once share listings, each started after its load arrived: two listings, not twenty', async () => {
    await costOfList();
    proxy.reset();
    const loads = await Promise.all(Array.from({ length: 20 }, () => list(reader)));
    expect(loads.every((items) => items.length === loads[0]!.length)).to.equal(true);
    expect(proxy.count).to.equal(2 * 2); // two listings of two pages
  });
});
