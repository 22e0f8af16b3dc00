/**
 * GET /inventory?limit=&cursor=&q=: pages in id order that, followed from cursor to cursor, give every
 * matching item exactly once, whatever the page size; a search by name in any case; the original array
 * without these parameters; and a 400 that says what to fix for a bad parameter, before any S3 request.
 */
import { expect } from 'chai';
import { MAX_PAGE_SIZE } from '../../web/src/inventory/page';
import type { PublicItem } from '../../web/src/inventory/item';
import { appPerTest } from '../support/app';

interface PageBody {
  items: PublicItem[];
  next_cursor: string | null;
  total: number;
}

describe('GET /inventory: pages and search', function () {
  this.timeout(60_000);
  const ctx = appPerTest('page');
  const NAMES = ['Soup spoon', 'Fork', 'Tea SPOON', 'Knife', 'Ladle', 'Spoonbill', 'Whisk', 'Grater', 'Spatula', 'Tongs'];

  beforeEach(async () => {
    // Ids out of order and with gaps (and beyond the seeded 1-3), so id order is not insertion or key order.
    const ids = [40, 7, 12, 100, 9, 31, 1000, 5, 64, 250];
    for (const [i, id] of ids.entries()) {
      const res = await fetch(`${ctx.app.url}/inventory`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ id, name: NAMES[i], quantity: i }),
      });
      expect(res.status).to.equal(201);
    }
  });

  const get = async (query: string) => {
    const res = await fetch(`${ctx.app.url}/inventory${query}`);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  /** Follows next_cursor from the first page to the last. */
  const allPages = async (params: Record<string, string>) => {
    const pages: PageBody[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ ...params, ...(cursor ? { cursor } : {}) });
      const { status, body } = await get(`?${query}`);
      expect(status).to.equal(200);
      pages.push(body as PageBody);
      cursor = (body as PageBody).next_cursor;
      expect(pages.length).to.be.below(100);
    } while (cursor);
    return pages;
  };

  it('without paging parameters answers the whole inventory as an array, as the original API did', async () => {
    const { status, body } = await get('');
    expect(status).to.equal(200);
    expect(body).to.be.an('array').with.length(13);
  });

  it('every page size from 1 to past the end gives each item once, in id order, with the total on every page', async () => {
    const whole = ((await get('')).body as PublicItem[]).map((i) => i.id);
    expect(whole).to.deep.equal([...whole].sort((a, b) => a - b));
    for (const limit of [1, 2, 3, 4, 6, 12, 13, 14, 50, MAX_PAGE_SIZE]) {
      const pages = await allPages({ limit: String(limit) });
      expect(
        pages.flatMap((p) => p.items.map((i) => i.id)),
        `limit ${limit}`,
      ).to.deep.equal(whole);
      expect(pages).to.have.length(Math.max(1, Math.ceil(whole.length / limit)));
      for (const page of pages) expect(page.total).to.equal(13);
      expect(pages.slice(0, -1).every((p) => p.items.length === limit)).to.equal(true);
    }
  });

  it('q finds items by name in any case, and pages through the matches', async () => {
    const pages = await allPages({ q: 'SpOoN', limit: '2' });
    expect(pages.flatMap((p) => p.items.map((i) => i.name))).to.deep.equal(['Spoon', 'Tea SPOON', 'Spoonbill', 'Soup spoon']);
    expect(pages.map((p) => p.total)).to.deep.equal([4, 4]);
    const none = (await get('?q=saucepan')).body as PageBody;
    expect(none).to.deep.equal({ items: [], next_cursor: null, total: 0 });
    // Blank q and an empty cursor (what an empty form field sends) ask for the first page of everything.
    expect(((await get('?q=%20%20&cursor=')).body as PageBody).items.map((i) => i.id)).to.have.length(13);
  });

  it('an item deleted or added between two pages neither repeats nor hides the others', async () => {
    const first = (await get('?limit=5')).body as PageBody;
    expect(first.items.map((i) => i.id)).to.deep.equal([1, 2, 3, 5, 7]);
    expect((await fetch(`${ctx.app.url}/inventory/7`, { method: 'DELETE' })).status).to.equal(200);
    expect((await fetch(`${ctx.app.url}/inventory/9`, { method: 'DELETE' })).status).to.equal(200);
    await fetch(`${ctx.app.url}/inventory`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 8, name: 'Added meanwhile' }),
    });
    const second = (await get(`?limit=5&cursor=${first.next_cursor}`)).body as PageBody;
    expect(second.items.map((i) => i.id)).to.deep.equal([8, 12, 31, 40, 64]);
  });

  const refusals: [string, string, string][] = [
    ['limit=0', '?limit=0', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`],
    ['limit over the maximum', `?limit=${MAX_PAGE_SIZE + 1}`, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`],
    ['limit not a number', '?limit=ten', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`],
    ['limit negative', '?limit=-5', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`],
    ['limit with a fraction', '?limit=2.5', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`],
    ['limit given twice', '?limit=2&limit=3', 'Give limit once'],
    ['a cursor not made by the API', '?cursor=bm90LWEtY3Vyc29y', 'cursor is not valid: pass the next_cursor of the previous page'],
    ['q longer than a name can be', `?q=${'a'.repeat(201)}`, 'q must be at most 200 characters'],
  ];
  for (const [what, query, message] of refusals) {
    it(`refuses ${what} with 400 and says what to fix`, async () => {
      const { status, body } = await get(query);
      expect(status).to.equal(400);
      expect(body).to.deep.equal({ error: 'Bad Request', message });
    });
  }
});
