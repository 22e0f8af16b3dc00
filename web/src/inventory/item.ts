import { InvalidInputError } from '../errors';
import type { ThumbnailKeys } from '../images/storage';

/** What is stored in `inventory/<id>.json`. Images are stored by key; their URLs are derived on output. */
export interface StoredItem {
  id: number;
  name: string;
  description: string;
  quantity: number;
  image_key: string | null;
  /** Absent in items stored before thumbnails existed; null when the image has none. */
  thumbnails?: ThumbnailKeys | null;
}

/** The item as the HTTP API shows it (the original Flask app's fields). */
export interface PublicItem {
  id: number;
  name: string;
  description: string;
  quantity: number;
  image_url: string | null;
  /** The image scaled to fit a list row (WebP); null when the item has no image or the image no thumbnail. */
  thumbnail_url: string | null;
  /** The same at twice the size, for screens with two device pixels per CSS pixel. */
  thumbnail_2x_url: string | null;
}

export type ItemInput = Omit<StoredItem, 'image_key' | 'thumbnails'>;

export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 2000;
const QUANTITY_MAX = 1_000_000_000;

export const SEED_ITEMS: ItemInput[] = [
  { id: 1, name: 'Spoon', description: 'Standard dining spoon', quantity: 123 },
  { id: 2, name: 'Fork', description: 'Standard dining fork', quantity: 456 },
  { id: 3, name: 'Knife', description: 'Standard dining knife', quantity: 789 },
];

/** Parses a path or body id; only canonical positive integers ("7", not "07" or "7.0"). */
export function parseItemId(raw: unknown, field = 'id'): number {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^[1-9][0-9]{0,14}$/.test(text)) {
    throw new InvalidInputError(`${field} must be a positive integer`);
  }
  return Number(text);
}

/** Validates a POST /inventory body and names the first offending field. */
export function parseItemInput(body: unknown): ItemInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError('Request body must be a JSON object with id, name, description and quantity');
  }
  const fields = body as Record<string, unknown>;
  if (fields.id === undefined) throw new InvalidInputError('id is required');
  if (typeof fields.id !== 'number') throw new InvalidInputError('id must be a positive integer');
  const id = parseItemId(fields.id);

  const name = typeof fields.name === 'string' ? fields.name.trim() : undefined;
  if (!name) throw new InvalidInputError('name is required and must be a non-empty string');
  if (name.length > NAME_MAX) throw new InvalidInputError(`name must be at most ${NAME_MAX} characters`);

  const description = fields.description ?? '';
  if (typeof description !== 'string') throw new InvalidInputError('description must be a string');
  if (description.length > DESCRIPTION_MAX) {
    throw new InvalidInputError(`description must be at most ${DESCRIPTION_MAX} characters`);
  }

  const quantity = fields.quantity ?? 0;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > QUANTITY_MAX) {
    throw new InvalidInputError(`quantity must be an integer from 0 to ${QUANTITY_MAX}`);
  }
  return { id, name, description: description.trim(), quantity };
}

export function toPublicItem(item: StoredItem, publicBaseUrl: string): PublicItem {
  const url = (key: string | undefined) => (key ? `${publicBaseUrl}/${key}` : null);
  return {
    id: item.id,
    name: item.name,
    description: item.description,
    quantity: item.quantity,
    image_url: url(item.image_key ?? undefined),
    thumbnail_url: url(item.thumbnails?.x1),
    thumbnail_2x_url: url(item.thumbnails?.x2),
  };
}
