/** The index of listed items the app keeps in the bucket (web/src/inventory/store.ts), as tests and the bench wait for it. */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { INDEX_KEY } from '../../web/src/inventory/store';

export type IndexedItem = [key: string, etag: string, item: { name: string }];

/** Waits until the index in the bucket lists `count` items, `check` holding on them (it is written in the background). */
export async function indexWritten(
  s3: S3Client,
  bucket: string,
  count: number,
  check: (items: IndexedItem[]) => boolean = () => true,
): Promise<void> {
  for (;;) {
    const index = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: INDEX_KEY })).then(
      async (o) => JSON.parse(await o.Body!.transformToString()) as { items: IndexedItem[] },
      () => undefined,
    );
    if (index?.items.length === count && check(index.items)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
