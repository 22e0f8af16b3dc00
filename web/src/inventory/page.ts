/**
 * One page of the inventory: `?limit=&cursor=&q=` on GET /inventory. Items come in id order; `q` keeps those
 * whose name contains it (any case); the cursor is opaque to clients and says where the previous page ended,
 * so a page never repeats or skips an item that existed in both loads, whatever was added or deleted between.
 */
import { InvalidInputError } from '../errors';
import { NAME_MAX, type StoredItem } from './item';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface PageQuery {
  limit: number;
  /** Items with an id above this one. */
  afterId: number;
  /** Lower-cased search text; empty finds everything. */
  search: string;
}

export interface Page {
  items: StoredItem[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
  /** Items matching the search, on every page. */
  total: number;
}

const PAGE_PARAMETERS = ['limit', 'cursor', 'q'];

/** Whether the query asks for a page; without any of its parameters the answer stays the original API's array. */
export const wantsPage = (query: Record<string, unknown>) => PAGE_PARAMETERS.some((name) => query[name] !== undefined);

export function parsePageQuery(query: Record<string, unknown>): PageQuery {
  const single = (name: string) => {
    const value = query[name];
    if (value !== undefined && typeof value !== 'string') throw new InvalidInputError(`Give ${name} once`);
    return value;
  };
  const limitText = single('limit');
  let limit = DEFAULT_PAGE_SIZE;
  if (limitText !== undefined) {
    limit = /^[0-9]{1,5}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) throw new InvalidInputError(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  const cursor = single('cursor');
  const search = (single('q') ?? '').trim();
  if (search.length > NAME_MAX) throw new InvalidInputError(`q must be at most ${NAME_MAX} characters`);
  return { limit, afterId: cursor ? decodeCursor(cursor) : 0, search: search.toLowerCase() };
}

/** The page of `items` (in id order) that `query` asks for. */
export function pageOf(items: StoredItem[], { limit, afterId, search }: PageQuery): Page {
  const matching = search ? items.filter((item) => item.name.toLowerCase().includes(search)) : items;
  const start = matching.findIndex((item) => item.id > afterId);
  const rest = start === -1 ? [] : matching.slice(start);
  const page = rest.slice(0, limit);
  return {
    items: page,
    nextCursor: rest.length > limit ? encodeCursor(page[page.length - 1]!.id) : null,
    total: matching.length,
  };
}

const encodeCursor = (afterId: number) => Buffer.from(`after:${afterId}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^after:([1-9][0-9]{0,14})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidInputError('cursor is not valid: pass the next_cursor of the previous page');
  return Number(match[1]);
}
