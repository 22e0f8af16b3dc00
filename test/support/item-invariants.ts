import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export interface ItemState {
  /** The item as the API shows it, or undefined after a 404. */
  item: { id: number; image_url: string | null; thumbnail_url: string | null; thumbnail_2x_url: string | null } | undefined;
  /** Objects under the item's image prefix. */
  objects: string[];
  /** The item references an object (its image or a thumbnail) that does not exist. */
  dangling: boolean;
  /** Objects under the prefix that the item does not reference. */
  orphans: string[];
}

/** What one item looks like from outside once the requests on it have finished: the API and the bucket. */
export async function itemState(appUrl: string, s3: S3Client, bucket: string, publicBase: string, id: number): Promise<ItemState> {
  const res = await fetch(`${appUrl}/inventory/${id}`);
  const item = res.status === 200 ? ((await res.json()) as ItemState['item']) : undefined;
  if (res.status !== 200 && res.status !== 404) throw new Error(`GET /inventory/${id} answered ${res.status}`);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `images/${id}/` }));
  const objects = (listed.Contents ?? []).map((o) => o.Key!).sort();
  const referenced = item ? referencedKeys(item, publicBase) : [];
  return {
    item,
    objects,
    dangling: referenced.some((key) => !objects.includes(key)),
    orphans: objects.filter((key) => !referenced.includes(key)),
  };
}

/** The object keys an item (as the API shows it) references: its image and the image's thumbnails, in key order. */
export function referencedKeys(
  item: Pick<NonNullable<ItemState['item']>, 'image_url' | 'thumbnail_url' | 'thumbnail_2x_url'>,
  publicBase: string,
) {
  return [item.image_url, item.thumbnail_url, item.thumbnail_2x_url]
    .filter((url): url is string => typeof url === 'string')
    .map((url) => url.slice(publicBase.length + 1))
    .sort();
}
