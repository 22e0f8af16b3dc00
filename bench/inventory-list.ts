/**
 * GET /inventory with 100, 500, 2,000 and 10,000 items: latency (the first load of the first process, which
 * finds no index; the first load of a new process once the index exists; then loads with nothing changed), S3 requests per load (counted by a proxy between the app and S3), a load right after a second app
 * process changed an item, and 20 users loading at once right after another change. Both apps run compiled,
 * each in its own process, as in the upload cases; every load after a change is checked to show it.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { indexWritten } from '../test/support/inventory-index';
import { ensureBucket } from '../web/src/dev/embedded-s3';
import { startCountingProxy } from '../test/support/counting-proxy';

export interface ListMeasurement {
  items: number;
  /** The first process's first load: no index in the bucket yet, every item read. */
  firstLoadMs: number;
  firstLoadRequests: number;
  /** A new process's first load, the index written by the first one. */
  newProcessFirstLoadMs: number;
  newProcessFirstLoadRequests: number;
  /** Median of several loads with nothing changed. */
  unchangedMs: number;
  unchangedRequests: number;
  /** A load after another app process changed one item. */
  afterOneChangeMs: number;
  afterOneChangeRequests: number;
  /** The slowest of 20 loads started at once, right after another app process changed one item. */
  twentyAtOnceMaxMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchInventoryList(
  s3: S3Client,
  s3Endpoint: string,
  startApp: (env: NodeJS.ProcessEnv) => Promise<{ url: string; stop: () => Promise<void> }>,
  sizes = [100, 500, 2000, 10_000],
): Promise<ListMeasurement[]> {
  const results: ListMeasurement[] = [];
  for (const items of sizes) {
    const bucket = `list-${items}`;
    await ensureBucket(s3, bucket);
    const put = (id: number, name: string) =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `inventory/${id}.json`,
          Body: JSON.stringify({ id, name, description: '', quantity: 1, image_key: null }),
        }),
      );
    for (let i = 0; i < items; i += 100)
      await Promise.all(Array.from({ length: Math.min(100, items - i) }, (_, j) => put(i + j + 1, `Item ${i + j + 1}`)));

    const proxy = await startCountingProxy(s3Endpoint);
    const env = { S3_BUCKET: bucket, PUBLIC_BASE_URL: `${s3Endpoint}/${bucket}`, PORT: '0', LOG_LEVEL: 'info' };
    const app = await startApp({ ...env, S3_ENDPOINT: proxy.endpoint });
    const otherReplica = await startApp({ ...env, S3_ENDPOINT: s3Endpoint });
    try {
      const list = async (url = app.url) => {
        const res = await fetch(`${url}/inventory`);
        const body = (await res.json()) as { id: number; name: string }[];
        if (res.status !== 200 || body.length !== items) throw new Error(`GET /inventory: ${res.status}, ${body.length} items`);
        return body;
      };
      const load = async (url = app.url) => {
        proxy.reset();
        const started = process.hrtime.bigint();
        const body = await list(url);
        return { ms: Number(process.hrtime.bigint() - started) / 1e6, requests: proxy.count, body };
      };
      const changeOnOtherReplica = async (id: number) => {
        const name = `Changed by another replica ${Date.now()}`;
        const res = await fetch(`${otherReplica.url}/inventory`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ id, name }),
        });
        if (res.status !== 200) throw new Error(`POST /inventory on the other replica: ${res.status}`);
        return (body: { id: number; name: string }[]) => {
          if (body.find((i) => i.id === id)?.name !== name) throw new Error(`a load after item ${id} changed did not show the change`);
        };
      };
      const first = await load();
      const unchanged = [];
      for (let i = 0; i < 7; i++) unchanged.push(await load());
      await indexWritten(s3, bucket, items);
      const newProcess = await startApp({ ...env, S3_ENDPOINT: proxy.endpoint });
      const newProcessFirst = await load(newProcess.url).finally(() => newProcess.stop());
      const showsChange = await changeOnOtherReplica(1);
      const afterChange = await load();
      showsChange(afterChange.body);
      const showsSecondChange = await changeOnOtherReplica(2);
      const started = process.hrtime.bigint();
      const concurrent = await Promise.all(
        Array.from({ length: 20 }, async () => {
          showsSecondChange(await list());
          return Number(process.hrtime.bigint() - started) / 1e6;
        }),
      );
      results.push({
        items,
        firstLoadMs: first.ms,
        firstLoadRequests: first.requests,
        newProcessFirstLoadMs: newProcessFirst.ms,
        newProcessFirstLoadRequests: newProcessFirst.requests,
        unchangedMs: median(unchanged.map((u) => u.ms)),
        unchangedRequests: Math.max(...unchanged.map((u) => u.requests)),
        afterOneChangeMs: afterChange.ms,
        afterOneChangeRequests: afterChange.requests,
        twentyAtOnceMaxMs: Math.max(...concurrent),
      });
    } finally {
      await Promise.all([app.stop(), otherReplica.stop()]);
      await proxy.close();
    }
  }
  return results;
}
