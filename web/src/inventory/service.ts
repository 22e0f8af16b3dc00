/**
 * The inventory's rules over its store and the images in the bucket: create or update, delete, and attach an
 * image, so that whatever the interleaving of requests on one item (here or on another replica):
 * - no write is lost: every read-modify-write replaces only the version it read, and retries when it lost;
 * - a live item references an image that exists, and a deleted item stays deleted;
 * - no image stays under an item's prefix unless the item references it: the loser of a race removes its own
 *   object, a replaced image is removed once its successor is committed, and objects a crash left behind are
 *   swept the next time the item's image changes (never one that an upload in flight is about to commit).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ConflictError, NotFoundError } from '../errors';
import { keyStemOf, keysOf, type StoredImage } from '../images/storage';
import type { Bucket } from '../s3/bucket';
import { s3FailureKind } from '../s3/errors';
import type { ItemInput, StoredItem } from './item';
import { KeyedLock } from './keyed-lock';
import { itemImagePrefix, type InventoryStore, type VersionedItem } from './store';

/**
 * Attempts of one read-modify-write before giving up with a conflict (409). Within a process writes to an item
 * take turns, so a writer competes with one writer per other replica at a time; but it can lose to each of the
 * writes queued there, one after another: 5 attempts lost that way between two busy replicas.
 */
const MAX_ATTEMPTS = 12;

export interface InventoryServiceOptions {
  /**
   * An unreferenced image younger than this is left alone by the sweep: another replica may have completed
   * the upload and be about to reference it. Only this process's own uploads in flight are known exactly.
   */
  orphanGraceMs?: number;
  logger?: Logger;
}

export class InventoryService {
  private readonly locks = new KeyedLock<number>();
  /** Key stems (`images/<id>/<uuid>`) of uploads in this process that are not committed yet. */
  private readonly inFlight = new Set<string>();
  private readonly orphanGraceMs: number;

  constructor(
    private readonly store: InventoryStore,
    /** Where the images are: the service removes those no item references. */
    private readonly bucket: Bucket,
    private readonly options: InventoryServiceOptions = {},
  ) {
    this.orphanGraceMs = options.orphanGraceMs ?? 5 * 60_000;
  }

  list(): Promise<StoredItem[]> {
    return this.store.list();
  }

  async get(id: number): Promise<StoredItem> {
    const found = await this.store.get(id);
    if (!found) throw notFound(id);
    return found.item;
  }

  /**
   * Creates the item, or updates it keeping its image. Of concurrent creates of one id exactly one creates
   * (created: true); the others find it there and apply as updates.
   */
  upsert(input: ItemInput): Promise<{ item: StoredItem; created: boolean }> {
    return this.locks.run(input.id, () =>
      retryLostWrites(`item ${input.id}`, async () => {
        const current = await this.store.get(input.id);
        const item: StoredItem = { ...input, image_key: null, thumbnails: null, ...imageOf(current?.item) };
        if (!current) return { item: (await this.store.create(item)).item, created: true };
        return { item: (await this.store.replace(item, current.etag)).item, created: false };
      }),
    );
  }

  /**
   * Deletes the item, then the objects under its image prefix: its image and any leftover. Uploads in flight
   * keep theirs; they find the item gone and remove it themselves.
   */
  delete(id: number): Promise<void> {
    return this.locks.run(id, async () => {
      // Conditional, so the image read is the image deleted: an upload committed meanwhile makes this retry.
      const image = await retryLostWrites(`item ${id}`, async () => {
        const current = await this.store.get(id);
        if (!current) throw notFound(id);
        await this.store.delete(id, current.etag);
        return imageKeysOf(current.item);
      });
      const removed = await this.removeUnreferenced(id, null, image);
      this.options.logger?.info({ itemId: id, imagesRemoved: removed }, 'item deleted');
    });
  }

  /**
   * Receives an image (`receive` streams it into S3 under the key stem it is given) and makes it the item's
   * image. The item must exist: it is looked up while the upload starts, and the upload is abandoned (404)
   * as soon as it turns out missing. It must still exist when the image is committed.
   */
  async attachImage(id: number, receive: (keyStem: string, abandon: AbortSignal) => Promise<StoredImage>): Promise<StoredItem> {
    const keyStem = `${itemImagePrefix(id)}${randomUUID()}`;
    const abandon = new AbortController();
    // In parallel with the upload, so a small image does not wait a round trip for it.
    const lookup = this.store.get(id).then((found) => {
      if (!found) abandon.abort(notFound(id));
      return found;
    });
    lookup.catch((err: unknown) => abandon.abort(err));
    this.inFlight.add(keyStem);
    try {
      const image = await receive(keyStem, abandon.signal).catch(async (err: unknown) => {
        await lookup; // its failure, if it failed, is the one to report
        throw err;
      });
      await lookup;
      return await this.locks.run(id, async () => {
        // Listed while the commit runs: what to sweep is decided once the commit says what was replaced.
        const listing = this.bucket.list(itemImagePrefix(id));
        listing.catch(() => undefined);
        const committed = await this.commitImage(id, image).catch(async (err: unknown) => {
          // Lost for good (item deleted, or endless conflicts): the object is ours to remove.
          await this.bucket
            .deleteMany(keysOf(image))
            .catch((cleanup: unknown) => this.warn(cleanup, image.key, 'could not remove an uncommitted image'));
          throw err;
        });
        await this.removeUnreferenced(id, image.key, committed.replaced, listing).catch((err: unknown) =>
          this.warn(err, itemImagePrefix(id), 'image sweep failed; it runs again on the next change'),
        );
        return committed.item;
      });
    } finally {
      this.inFlight.delete(keyStem);
    }
  }

  /**
   * Points the item at the image. The first attempt replaces the version this process last saw (what the
   * lookup read, or a write of this process since; nothing if this process deleted it): if anyone else changed
   * the item meanwhile, the conditional write fails and the next attempt reads it afresh.
   */
  private commitImage(id: number, image: StoredImage): Promise<{ item: StoredItem; replaced: string[] }> {
    let first = true;
    return retryLostWrites(`item ${id}`, async () => {
      const current = (first && this.store.cached(id)) || (await this.store.get(id));
      first = false;
      if (!current) throw new NotFoundError(`Item ${id} was deleted during the upload`);
      const updated: VersionedItem = await this.store.replace(
        { ...current.item, image_key: image.key, thumbnails: image.thumbnails },
        current.etag,
      );
      return { item: updated.item, replaced: imageKeysOf(current.item) };
    });
  }

  /**
   * Removes from the item's prefix every object except those of the image `keep` (the original and its
   * thumbnails share its key stem) and of uploads in flight: `previous` (the objects of the image the item just
   * stopped referencing) at once, others once they are older than the grace period. A young unreferenced object
   * may be another replica's upload about to be committed: it removes its own if it loses.
   */
  private async removeUnreferenced(
    id: number,
    keep: string | null,
    previous: string[],
    listing = this.bucket.list(itemImagePrefix(id)),
  ): Promise<number> {
    const oldEnough = Date.now() - this.orphanGraceMs;
    const keptStem = keep ? keyStemOf(keep) : undefined;
    const kept = [...this.inFlight, ...(keptStem ? [keptStem] : [])];
    const leftovers = (await listing)
      .filter((o) => o.lastModified.getTime() <= oldEnough)
      .filter((o) => !kept.some((stem) => o.key.startsWith(stem)))
      .map((o) => o.key);
    // The previous image by name, not from the listing: another replica may have committed it after the listing.
    const stale = [...new Set([...leftovers, ...previous.filter((key) => !keptStem || !key.startsWith(keptStem))])];
    if (stale.length > 0) await this.bucket.deleteMany(stale);
    return stale.length;
  }

  private warn(err: unknown, key: string, message: string) {
    this.options.logger?.warn({ err, key }, message);
  }
}

const notFound = (id: number) => new NotFoundError(`Item ${id} not found`);

/** The image fields of a stored item (none for an item that does not exist yet). */
const imageOf = (item: StoredItem | undefined) => (item ? { image_key: item.image_key, thumbnails: item.thumbnails ?? null } : {});

/** Every object key the item references: its image and the image's thumbnails. */
const imageKeysOf = (item: StoredItem): string[] =>
  item.image_key ? keysOf({ key: item.image_key, thumbnails: item.thumbnails ?? null }) : [];

/** Runs a read-modify-write again when its conditional write lost to another writer, a bounded number of times. */
async function retryLostWrites<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (s3FailureKind(err) !== 'precondition-failed') throw err;
      if (i >= MAX_ATTEMPTS) throw new ConflictError(`${what} kept changing during the request; try again`);
      // Growing, jittered back-off, so writers that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * 2 ** i)));
    }
  }
}
