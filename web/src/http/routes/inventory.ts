/**
 * The original Flask app's API: /inventory, /inventory/:id and /inventory/:id/image; GET /inventory also pages
 * and searches when asked to (inventory/page.ts).
 */
import { Router, json } from 'express';
import { keysOf, type ImageStorage } from '../../images/storage';
import { parseItemId, parseItemInput, toPublicItem, type StoredItem } from '../../inventory/item';
import type { InventoryService } from '../../inventory/service';
import { pageOf, parsePageQuery, wantsPage } from '../../inventory/page';
import { methodNotAllowed } from '../errors';
import { HttpError } from '../http-error';
import { declaredBodyBytes, declaredSizeError, receiveSingleFile } from '../multipart';
import { IMAGE_FIELD, JSON_BODY_LIMIT_BYTES } from '../upload-route';

export interface InventoryRouterOptions {
  inventory: InventoryService;
  images: ImageStorage;
  publicBaseUrl: string;
  maxUploadBytes: number;
  uploadIdleTimeoutMs: number;
}

export function inventoryRouter(options: InventoryRouterOptions): Router {
  const { inventory, images, publicBaseUrl } = options;
  const router = Router({ strict: false });
  const present = (item: StoredItem) => toPublicItem(item, publicBaseUrl);

  router
    .route('/')
    .get(async (req, res) => {
      const query = req.query as Record<string, unknown>;
      // Parsed before the listing, so a bad parameter costs no S3 request.
      const pageQuery = wantsPage(query) ? parsePageQuery(query) : undefined;
      const items = await inventory.list();
      if (!pageQuery) {
        res.json(items.map(present));
        return;
      }
      const page = pageOf(items, pageQuery);
      res.json({ items: page.items.map(present), next_cursor: page.nextCursor, total: page.total });
    })
    .post(json({ limit: JSON_BODY_LIMIT_BYTES, strict: true }), async (req, res) => {
      if (!req.is('application/json')) throw new HttpError(415, 'Send the item as application/json');
      const { item, created } = await inventory.upsert(parseItemInput(req.body));
      res.status(created ? 201 : 200).json(present(item));
    })
    .all(methodNotAllowed('GET', 'POST'));

  router
    .route('/:id')
    .get(async (req, res) => {
      res.json(present(await inventory.get(parseItemId(req.params.id))));
    })
    .delete(async (req, res) => {
      const id = parseItemId(req.params.id);
      await inventory.delete(id);
      res.json({ message: `Item ${id} deleted` });
    })
    .all(methodNotAllowed('GET', 'DELETE'));

  router
    .route('/:id/image')
    .post(async (req, res) => {
      const id = parseItemId(req.params.id);
      const tooLarge = declaredSizeError(req, options.maxUploadBytes);
      if (tooLarge) throw tooLarge;
      const limits = { field: IMAGE_FIELD, maxBytes: options.maxUploadBytes, idleTimeoutMs: options.uploadIdleTimeoutMs };
      // A client that leaves while its upload waits for a turn gives its turn up.
      const left = new AbortController();
      req.once('close', () => left.abort(new HttpError(400, 'Client closed the connection during the upload')));
      const item = await inventory.attachImage(id, (keyStem, abandon) =>
        images.whenAdmitted(AbortSignal.any([abandon, left.signal]), () =>
          receiveSingleFile(
            req,
            { ...limits, abandon },
            // The file is no larger than the body, nor than the limit: what decides how it is sent to S3.
            (file) => images.store(file, keyStem, Math.min(declaredBodyBytes(req) ?? Infinity, options.maxUploadBytes)),
            (image) => images.deleteMany(keysOf(image)),
          ),
        ),
      );
      req.log.info({ itemId: id, key: item.image_key }, 'image stored');
      res.json(present(item));
    })
    .all(methodNotAllowed('POST'));

  return router;
}
