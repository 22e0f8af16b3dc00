/**
 * The inventory as one JSON object per item under the bucket's private `inventory/` prefix. Nothing but a
 * read cache lives in memory, so replicas and restarts all see the same data.
 *
 * Writes are conditional (create only if absent, replace only the version read), so two writers can never
 * silently overwrite each other, even across replicas; the service retries the loser.
 *
 * Listing costs one S3 request when nothing changed, whatever the size of the inventory: every write, by any
 * replica, rewrites a change stamp before it is acknowledged, and a load whose stamp read matches the one of
 * its last listing serves that listing again. Otherwise it lists (one request per 1000 items, strongly
 * consistent, each item with its ETag) and reads only the items whose ETag changed. Writes that bypass the app
 * do not touch the stamp: they show once the listing is older than `relistAfterMs`.
 *
 * A new process knows no ETag yet, and would read every item. So the items a process listed, each with its
 * ETag, are kept in the bucket too (the index, rewritten a few seconds after a listing found changes): a new
 * process reads it beside the stamp and then, like any other, lists and reads only the items whose ETag differs
 * from the index's. The index only saves reads; the listing decides what exists and which version is current,
 * so an old or missing index is never served stale.
 */
import { randomUUID } from 'node:crypto';
import type { Bucket } from '../s3/bucket';
import { s3FailureKind } from '../s3/errors';
import { SEED_ITEMS, type StoredItem } from './item';

export const INVENTORY_PREFIX = 'inventory/';
export const IMAGES_PREFIX = 'images/';

/** Every image of an item lives under this prefix, so deleting the item can sweep them all. */
export const itemImagePrefix = (id: number) => `${IMAGES_PREFIX}${id}/`;
const itemKey = (id: number) => `${INVENTORY_PREFIX}${id}.json`;
const ITEM_KEY = /^inventory\/[1-9][0-9]*\.json$/;
/**
 * Sorts before every item key (they start with a digit), so listings of the items start after it: at 1000
 * items the stamp never costs a second page.
 */
export const CHANGE_STAMP_KEY = `${INVENTORY_PREFIX}.last-change`;
const ITEMS_ONLY = { startAfter: CHANGE_STAMP_KEY };
/** The index of listed items (see above). Sorts before the stamp, so item listings never include it either. */
export const INDEX_KEY = `${INVENTORY_PREFIX}.index`;

/** What the index holds: each item's key, its ETag and its content as of that ETag. */
interface StoredIndex {
  version: 1;
  items: [key: string, etag: string, item: StoredItem][];
}

export interface VersionedItem {
  item: StoredItem;
  /** The version read; a replace succeeds only while it is still the current one. */
  etag: string;
}

/** Item reads per list() run in parallel, up to this many at once. */
const READ_CONCURRENCY = 16;

export interface InventoryStoreOptions {
  /**
   * A listing is served again while the change stamp is unchanged, for at most this long: the bound on how
   * late a change the stamp never heard of shows (an object written with other tools than the app, or a write
   * whose process died between the item and the stamp, never acknowledged).
   */
  relistAfterMs?: number;
  /** A listing that found changes rewrites the index at most this often (a burst of writes costs one rewrite). */
  indexIntervalMs?: number;
}

interface Listing {
  /** The change stamp's ETag read just before listing (undefined: no stamp written yet). */
  stamp: string | undefined;
  listedAt: number;
  items: StoredItem[];
}

export class InventoryStore {
  private readonly cache = new Map<string, VersionedItem>();
  /** The last listing, served again while the stamp is unchanged. */
  private last: Listing | undefined;
  /** The listing under way, and the one queued behind it (see list()). */
  private listing: Promise<StoredItem[]> | undefined;
  private queued: Promise<StoredItem[]> | undefined;
  private readonly relistAfterMs: number;
  private readonly index: IndexWriter;
  /** Whether this process has read the index yet: it does once, on its first listing. */
  private indexRead = false;

  constructor(
    private readonly bucket: Bucket,
    options: InventoryStoreOptions = {},
  ) {
    this.relistAfterMs = options.relistAfterMs ?? 30_000;
    this.index = new IndexWriter(bucket, options.indexIntervalMs ?? 5_000);
  }

  /**
   * All items. Concurrent callers share listings, but never one that started before they called: a listing
   * already under way may have missed a write acknowledged just before the call, so callers arriving during it
   * wait for the next one, which they all share. Twenty users loading at once cost two listings, not twenty.
   */
  list(): Promise<StoredItem[]> {
    if (!this.listing) {
      this.listing = this.listNow().finally(() => (this.listing = undefined));
      return this.listing;
    }
    this.queued ??= this.listing.then(ignore, ignore).then(() => {
      this.queued = undefined;
      return this.list();
    });
    return this.queued;
  }

  /**
   * The stamp is read before listing. A write acknowledged before this load rewrote the stamp before that
   * read: either after the last listing's stamp read (the stamp differs: list again) or before it (that
   * listing, made after its stamp read, already includes the write). Each stamp is unique, so an unchanged
   * ETag means no write in between.
   */
  private async listNow(): Promise<StoredItem[]> {
    const [stamp] = await Promise.all([this.bucket.etagOf(CHANGE_STAMP_KEY), this.indexRead || this.readIndex()]);
    const last = this.last;
    if (last && last.stamp === stamp && Date.now() - last.listedAt < this.relistAfterMs) return last.items;
    const listedAt = Date.now();
    const items = await this.listItems();
    this.last = { stamp, listedAt, items };
    return items;
  }

  private async listItems(): Promise<StoredItem[]> {
    const listed = (await this.bucket.list(INVENTORY_PREFIX, ITEMS_ONLY)).filter((o) => ITEM_KEY.test(o.key));
    const present = new Set(listed.map((o) => o.key));
    for (const key of this.cache.keys()) if (!present.has(key)) this.cache.delete(key);
    const changed = listed.filter((o) => this.cache.get(o.key)?.etag !== o.etag);
    await forEachLimited(changed, READ_CONCURRENCY, (o) => this.read(o.key));
    const current = listed.flatMap((o) => {
      const cached = this.cache.get(o.key);
      return cached ? [[o.key, cached.etag, cached.item] as StoredIndex['items'][number]] : [];
    });
    this.index.offer(current);
    return current.map(([, , item]) => item).sort((a, b) => a.id - b.id);
  }

  /** Fills the cache from the index, so the first listing reads only what changed since it was written. */
  private async readIndex(): Promise<void> {
    const found = await this.bucket.getJson<StoredIndex>(INDEX_KEY).catch(() => undefined); // only a saving
    this.indexRead = true;
    if (found?.value.version !== 1) return;
    for (const [key, etag, item] of found.value.items) if (!this.cache.has(key)) this.cache.set(key, { item, etag });
    this.index.knownStored(found.value.items);
  }

  get(id: number): Promise<VersionedItem | undefined> {
    return this.read(itemKey(id));
  }

  /** The version this process last read or wrote, if any: a guess to try a conditional write with, never an answer. */
  cached(id: number): VersionedItem | undefined {
    return this.cache.get(itemKey(id));
  }

  /** Creates the item; fails (precondition-failed) when it already exists. */
  async create(item: StoredItem): Promise<VersionedItem> {
    const etag = await this.bucket.putJson(itemKey(item.id), item, { ifAbsent: true });
    await this.stampChange();
    return this.remember(itemKey(item.id), { item, etag });
  }

  /** Replaces the version read; fails (precondition-failed) when it changed or vanished since. */
  async replace(item: StoredItem, etag: string): Promise<VersionedItem> {
    const newEtag = await this.bucket.putJson(itemKey(item.id), item, { ifMatch: etag });
    await this.stampChange();
    return this.remember(itemKey(item.id), { item, etag: newEtag });
  }

  /** Deletes the version read; fails (precondition-failed) when it changed since. */
  async delete(id: number, etag: string): Promise<void> {
    await this.bucket.delete(itemKey(id), { ifMatch: etag });
    this.cache.delete(itemKey(id));
    await this.stampChange();
  }

  /** Seeds the original three items, only into an empty inventory. Returns how many were written. */
  async seedIfEmpty(): Promise<number> {
    if ((await this.bucket.list(INVENTORY_PREFIX, { ...ITEMS_ONLY, limit: 1 })).length > 0) return 0;
    const results = await Promise.allSettled(SEED_ITEMS.map((item) => this.create({ ...item, image_key: null })));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    // Another replica seeding at the same moment is fine; anything else is not.
    if (failed && !results.every((r) => r.status === 'fulfilled' || isLostRace(r.reason))) throw failed.reason;
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  /**
   * Readiness: the bucket exists and our credentials may list the inventory. (HeadBucket would need
   * s3:ListBucket without a prefix condition, which the least-privilege policy does not grant.)
   */
  async checkBucket(timeoutMs?: number): Promise<void> {
    await this.bucket.list(INVENTORY_PREFIX, { limit: 1, timeoutMs });
  }

  /**
   * After a write, before it is acknowledged: a new stamp, so every replica's next load lists again. Content
   * unique to this write, so its ETag has never been seen. Should the stamp fail, the write is reported failed,
   * and this process at least lists again.
   */
  private async stampChange(): Promise<void> {
    this.last = undefined;
    await this.bucket.putJson(CHANGE_STAMP_KEY, { changedAt: new Date().toISOString(), write: randomUUID() });
  }

  private async read(key: string): Promise<VersionedItem | undefined> {
    const found = await this.bucket.getJson<StoredItem>(key);
    if (!found) {
      this.cache.delete(key);
      return undefined;
    }
    return this.remember(key, { item: found.value, etag: found.etag });
  }

  private remember(key: string, versioned: VersionedItem): VersionedItem {
    this.cache.set(key, versioned);
    return versioned;
  }
}

/**
 * Keeps the index in the bucket close to what listings find: a listing whose items or ETags differ from what
 * the index holds schedules a rewrite, at most one per interval, with the latest listing. A failed write only
 * costs a new process some reads; it is tried again after the next listing.
 */
class IndexWriter {
  /** ETag per key, as the stored index has them (as far as this process knows). */
  private stored = new Map<string, string>();
  private pending: StoredIndex['items'] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastWriteAt = 0;

  constructor(
    private readonly bucket: Bucket,
    private readonly intervalMs: number,
  ) {}

  knownStored(items: StoredIndex['items']) {
    this.stored = new Map(items.map(([key, etag]) => [key, etag]));
  }

  offer(items: StoredIndex['items']) {
    const same = items.length === this.stored.size && items.every(([key, etag]) => this.stored.get(key) === etag);
    if (same) {
      this.pending = undefined;
      return;
    }
    this.pending = items;
    if (this.timer) return;
    this.timer = setTimeout(() => void this.write(), Math.max(0, this.lastWriteAt + this.intervalMs - Date.now()));
    this.timer.unref(); // an index never keeps a stopping process alive
  }

  private async write() {
    const items = this.pending;
    this.pending = undefined;
    this.timer = undefined;
    if (!items) return;
    this.lastWriteAt = Date.now();
    try {
      await this.bucket.putJson(INDEX_KEY, { version: 1, items } satisfies StoredIndex);
      this.knownStored(items);
    } catch {
      // Nothing lost: the next listing that finds changes schedules it again.
    }
  }
}

const ignore = () => undefined;
const isLostRace = (err: unknown) => s3FailureKind(err) === 'precondition-failed';

async function forEachLimited<T>(inputs: T[], limit: number, fn: (input: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) await fn(inputs[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
}
