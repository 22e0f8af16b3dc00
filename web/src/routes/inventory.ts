import type { S3Client } from '@aws-sdk/client-s3';
import { Router, json } from 'express';
import { HttpError } from '../http/errors';
import { assertDeclaredSizeFits, receiveImage, type UploadTuning } from '../images/upload';
import { parseItemId, parseItemInput, toPublicItem } from '../inventory/item';
import { itemImagePrefix, type InventoryStore } from '../inventory/store';

export interface InventoryRouterOptions {
  store: InventoryStore;
  s3: S3Client;
  bucket: string;
  publicBaseUrl: string;
  maxUploadBytes: number;
  uploadIdleTimeoutMs: number;
  uploadTuning?: UploadTuning;
}

/** The original Flask app's API: /inventory, /inventory/:id and /inventory/:id/image. */
export function inventoryRouter(options: InventoryRouterOptions): Router {
  const { store, publicBaseUrl } = options;
  const router = Router({ strict: false });
  const present = (item: Parameters<typeof toPublicItem>[0]) => toPublicItem(item, publicBaseUrl);

  router.get('/', async (_req, res) => {
    res.json((await store.list()).map(present));
  });

  router.post('/', json({ limit: '16kb', strict: true }), async (req, res) => {
    if (!req.is('application/json')) throw new HttpError(415, 'Send the item as application/json');
    const input = parseItemInput(req.body);
    const existing = await store.get(input.id);
    const item = { ...input, image_key: existing?.image_key ?? null };
    await store.put(item);
    res.status(existing ? 200 : 201).json(present(item));
  });

  router.get('/:id', async (req, res) => {
    const item = await store.get(parseItemId(req.params.id));
    if (!item) throw notFound(req.params.id);
    res.json(present(item));
  });

  router.delete('/:id', async (req, res) => {
    const id = parseItemId(req.params.id);
    const item = await store.get(id);
    if (!item) throw notFound(id);
    await store.delete(id);
    const removed = await store.deletePrefix(itemImagePrefix(id));
    req.log.info({ itemId: id, imagesRemoved: removed }, 'item deleted');
    res.json({ message: `Item ${id} deleted` });
  });

  router.post('/:id/image', async (req, res) => {
    const id = parseItemId(req.params.id);
    assertDeclaredSizeFits(req, options.maxUploadBytes);
    if (!(await store.get(id))) throw notFound(id);

    const image = await receiveImage(req, {
      s3: options.s3,
      bucket: options.bucket,
      keyPrefix: itemImagePrefix(id),
      maxBytes: options.maxUploadBytes,
      idleTimeoutMs: options.uploadIdleTimeoutMs,
      tuning: options.uploadTuning,
      discard: (key) => store.deleteObject(key),
    });

    // Re-read: the item may have changed or gone while the upload streamed.
    const current = await store.get(id);
    if (!current) {
      await store.deleteObject(image.key);
      throw new HttpError(404, `Item ${id} was deleted during the upload`);
    }
    const updated = { ...current, image_key: image.key };
    await store.put(updated);
    // Only now, with the new image committed and referenced, is the old one safe to remove.
    if (current.image_key && current.image_key !== image.key) {
      await store.deleteObject(current.image_key).catch((err: unknown) => {
        req.log.warn({ err, key: current.image_key }, 'could not delete replaced image; it is orphaned');
      });
    }
    req.log.info({ itemId: id, key: image.key, bytes: image.bytes, type: image.contentType }, 'image stored');
    res.json(present(updated));
  });

  return router;
}

const notFound = (id: unknown) => new HttpError(404, `Item ${String(id)} not found`);
