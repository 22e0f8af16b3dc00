import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { SEED_ITEMS, type StoredItem } from './item';

export const INVENTORY_PREFIX = 'inventory/';
export const IMAGES_PREFIX = 'images/';

/** Every image of an item lives under this prefix, so deleting the item can sweep them all. */
export const itemImagePrefix = (id: number) => `${IMAGES_PREFIX}${id}/`;
const itemKey = (id: number) => `${INVENTORY_PREFIX}${id}.json`;

/**
 * The inventory as one JSON object per item in the bucket's private `inventory/` prefix.
 * Nothing is kept in memory, so replicas and restarts all see the same data.
 */
export class InventoryStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async list(): Promise<StoredItem[]> {
    const keys = await this.listKeys(INVENTORY_PREFIX);
    const items = await mapLimited(keys.filter((k) => k.endsWith('.json')), 16, (key) => this.read(key));
    return items.filter((item): item is StoredItem => item !== undefined).sort((a, b) => a.id - b.id);
  }

  get(id: number): Promise<StoredItem | undefined> {
    return this.read(itemKey(id));
  }

  async put(item: StoredItem): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: itemKey(item.id),
        Body: JSON.stringify(item),
        ContentType: 'application/json',
        CacheControl: 'no-store',
      }),
    );
  }

  async delete(id: number): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: itemKey(id) }));
  }

  /** Seeds the original three items, only into an empty inventory. Returns how many were written. */
  async seedIfEmpty(): Promise<number> {
    const existing = await this.listKeys(INVENTORY_PREFIX, 1);
    if (existing.length > 0) return 0;
    await Promise.all(SEED_ITEMS.map((item) => this.put({ ...item, image_key: null })));
    return SEED_ITEMS.length;
  }

  async deleteObject(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Deletes every object under a prefix (an item's images, including orphans of crashed uploads). */
  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.listKeys(prefix);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
    }
    return keys.length;
  }

  /**
   * Readiness: the bucket exists and our credentials may list the inventory. (HeadBucket would need
   * s3:ListBucket without a prefix condition, which the least-privilege policy does not grant.)
   */
  async checkBucket(): Promise<void> {
    await this.listKeys(INVENTORY_PREFIX, 1);
  }

  async listKeys(prefix: string, limit = Infinity): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ContinuationToken: token,
          MaxKeys: Number.isFinite(limit) ? limit : undefined,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && keys.length < limit);
    return keys;
  }

  private async read(key: string): Promise<StoredItem | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return JSON.parse(await object.Body!.transformToString('utf-8')) as StoredItem;
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }
}

async function mapLimited<T, R>(inputs: T[], limit: number, fn: (input: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await fn(inputs[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
  return results;
}
