import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export interface ItemState {
  /** The item as the API shows it, or undefined after a 404. */
  item: { id: number; image_url: string | null } | undefined;
  /** Objects under the item's image prefix. */
  objects: string[];
  /** The item references an object that does not exist. */
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
  const referenced = item?.image_url ? item.image_url.slice(publicBase.length + 1) : undefined;
  return {
    item,
    objects,
    dangling: referenced !== undefined && !objects.includes(referenced),
    orphans: objects.filter((key) => key !== referenced),
  };
}
