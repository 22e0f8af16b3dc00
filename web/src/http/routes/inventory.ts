/**
 * The original Flask app's JSON API: /inventory and /inventory/:id; GET /inventory also pages and searches when
 * asked to (inventory/page.ts). Uploads, /inventory/:id/image, are ./upload.ts.
 */
import { Router, json } from 'express';
import { parseItemId, parseItemInput, toPublicItem, type StoredItem } from '../../inventory/item';
import type { InventoryService } from '../../inventory/service';
import { pageOf, parsePageQuery, wantsPage } from '../../inventory/page';
import { methodNotAllowed } from '../errors';
import { HttpError } from '../http-error';

/** The largest JSON body (an item is a few hundred bytes). */
export const JSON_BODY_LIMIT_BYTES = 16 * 1024;

export interface InventoryRouterOptions {
  inventory: InventoryService;
  publicBaseUrl: string;
}

export function inventoryRouter(options: InventoryRouterOptions): Router {
  const { inventory, publicBaseUrl } = options;
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

  return router;
}
