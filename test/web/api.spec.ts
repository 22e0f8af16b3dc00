import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { appPerTest, startTestApp } from '../support/app';
import { CHANGE_STAMP_KEY, INDEX_KEY } from '../../web/src/inventory/store';

/** How an item without an image shows: no image, no thumbnails. */
const NO_IMAGE = { image_url: null, thumbnail_url: null, thumbnail_2x_url: null };

describe('inventory API (against s3rver over HTTP)', () => {
  const ctx = appPerTest('api');

  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${ctx.app.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
  };

  describe('health', () => {
    it('GET /healthcheck answers {"status":"online"}', async () => {
      const res = await call('GET', '/healthcheck');
      expect(res.status).to.equal(200);
      expect(res.json).to.deep.equal({ status: 'online' });
    });

    it('GET /readyz is 200 when the bucket answers', async () => {
      const res = await call('GET', '/readyz');
      expect(res.status).to.equal(200);
      expect(res.json.status).to.equal('ready');
    });

    it('GET /readyz is 503 with the reason when the bucket is gone', async () => {
      const missing = await ctx.s3.createBucket('gone');
      const other = await startTestApp(ctx.s3, missing);
      try {
        const objects = await ctx.s3.s3.send(new ListObjectsV2Command({ Bucket: missing }));
        await ctx.s3.s3.send(
          new DeleteObjectsCommand({ Bucket: missing, Delete: { Objects: (objects.Contents ?? []).map((o) => ({ Key: o.Key! })) } }),
        );
        await ctx.s3.s3.send(new DeleteBucketCommand({ Bucket: missing }));
        const res = await fetch(`${other.url}/readyz`);
        expect(res.status).to.equal(503);
        const body = (await res.json()) as { reason: string };
        // It names the bucket and says how to provision it, rather than a bare NoSuchBucket.
        expect(body.reason).to.equal(
          `Bucket "${missing}" does not exist. Provision it: \`docker compose up\` runs Terraform (or Pulumi) again; ` +
            'outside compose, `terraform -chdir=terraform/environments/localstack apply` or `pulumi up --stack localstack`.',
        );
      } finally {
        await other.close(1000);
      }
    });
  });

  describe('reading', () => {
    it('seeds the original three items into an empty bucket', async () => {
      const res = await call('GET', '/inventory');
      expect(res.status).to.equal(200);
      expect(res.json).to.deep.equal([
        { id: 1, name: 'Spoon', description: 'Standard dining spoon', quantity: 123, ...NO_IMAGE },
        { id: 2, name: 'Fork', description: 'Standard dining fork', quantity: 456, ...NO_IMAGE },
        { id: 3, name: 'Knife', description: 'Standard dining knife', quantity: 789, ...NO_IMAGE },
      ]);
      // Besides the index of listed items, written in the background after the GET above listed them.
      expect((await ctx.s3.keys(ctx.bucket, 'inventory/')).filter((key) => key !== INDEX_KEY)).to.deep.equal([
        CHANGE_STAMP_KEY,
        'inventory/1.json',
        'inventory/2.json',
        'inventory/3.json',
      ]);
    });

    it('accepts trailing slashes', async () => {
      expect((await call('GET', '/inventory/')).status).to.equal(200);
      expect((await call('GET', '/inventory/2/')).json.name).to.equal('Fork');
    });

    it('GET /inventory/:id returns one item, 404 for an unknown id', async () => {
      expect((await call('GET', '/inventory/3')).json).to.include({ id: 3, name: 'Knife' });
      const missing = await call('GET', '/inventory/99');
      expect(missing.status).to.equal(404);
      expect(missing.json).to.deep.equal({ error: 'Not Found', message: 'Item 99 not found' });
    });

    for (const bad of ['abc', '0', '-1', '1.5', '01', '1e3']) {
      it(`rejects the id "${bad}" with 400`, async () => {
        const res = await call('GET', `/inventory/${bad}`);
        expect(res.status).to.equal(400);
        expect(res.json.message).to.equal('id must be a positive integer');
      });
    }

    it("answers unknown routes, of any method and under the API's paths too, with a JSON 404 rather than an HTML page", async () => {
      for (const [method, route] of [
        ['GET', '/nope'],
        ['POST', '/nope'],
        ['GET', '/inventory/1/image/extra'],
        ['DELETE', '/inventory/1/nope'],
      ] as const) {
        const res = await call(method, route);
        expect(res.status, `${method} ${route}`).to.equal(404);
        expect(res.headers.get('content-type'), `${method} ${route}`).to.match(/application\/json/);
        expect(res.json.error, `${method} ${route}`).to.equal('Not Found');
      }
    });
  });

  describe('writing', () => {
    it('POST creates (201) then updates (200) an item', async () => {
      const created = await call('POST', '/inventory', { id: 7, name: 'Ladle', description: 'Soup ladle', quantity: 5 });
      expect(created.status).to.equal(201);
      expect(created.json).to.deep.equal({ id: 7, name: 'Ladle', description: 'Soup ladle', quantity: 5, ...NO_IMAGE });
      const updated = await call('POST', '/inventory/', { id: 7, name: 'Big ladle', description: '', quantity: 0 });
      expect(updated.status).to.equal(200);
      expect((await call('GET', '/inventory/7')).json).to.include({ name: 'Big ladle', quantity: 0 });
    });

    const invalid: [string, unknown, RegExp][] = [
      ['missing id', { name: 'x', quantity: 1 }, /^id is required/],
      ['string id', { id: '5', name: 'x', quantity: 1 }, /^id must be a positive integer/],
      ['zero id', { id: 0, name: 'x', quantity: 1 }, /^id must be a positive integer/],
      ['missing name', { id: 5, quantity: 1 }, /^name is required/],
      ['blank name', { id: 5, name: '   ', quantity: 1 }, /^name is required/],
      ['long name', { id: 5, name: 'x'.repeat(201), quantity: 1 }, /^name must be at most 200/],
      ['long description', { id: 5, name: 'x', description: 'd'.repeat(2001), quantity: 1 }, /^description must be at most 2000/],
      ['numeric description', { id: 5, name: 'x', description: 3, quantity: 1 }, /^description must be a string/],
      ['negative quantity', { id: 5, name: 'x', quantity: -1 }, /^quantity must be an integer/],
      ['fractional quantity', { id: 5, name: 'x', quantity: 1.5 }, /^quantity must be an integer/],
      ['string quantity', { id: 5, name: 'x', quantity: '3' }, /^quantity must be an integer/],
      ['array body', [1, 2], /must be a JSON object/],
    ];
    for (const [label, body, message] of invalid) {
      it(`rejects ${label} with 400 naming the field`, async () => {
        const res = await call('POST', '/inventory', body);
        expect(res.status).to.equal(400);
        expect(res.json.error).to.equal('Bad Request');
        expect(res.json.message).to.match(message);
        expect(await ctx.s3.keys(ctx.bucket, 'inventory/5')).to.deep.equal([]);
      });
    }

    it('rejects malformed JSON with 400 and no stack trace', async () => {
      const res = await call('POST', '/inventory', '{"id": 5, "name": ');
      expect(res.status).to.equal(400);
      expect(res.json).to.deep.equal({ error: 'Bad Request', message: 'Request body is not valid JSON' });
      expect(res.text).not.to.match(/at .*\.js|<html/i);
    });

    it('rejects a body that is not JSON with 415', async () => {
      const res = await call('POST', '/inventory', 'id=5&name=x', 'application/x-www-form-urlencoded');
      expect(res.status).to.equal(415);
    });

    it('DELETE removes the item (200), then 404', async () => {
      const res = await call('DELETE', '/inventory/2');
      expect(res.status).to.equal(200);
      expect(res.json.message).to.equal('Item 2 deleted');
      expect((await call('GET', '/inventory/2')).status).to.equal(404);
      expect((await call('DELETE', '/inventory/2')).status).to.equal(404);
      expect(await ctx.s3.keys(ctx.bucket, 'inventory/')).to.deep.equal([CHANGE_STAMP_KEY, 'inventory/1.json', 'inventory/3.json']);
    });
  });

  describe('browser UI', () => {
    it('serves the page with a CSP that allows images from the bucket origin and nothing from a CDN', async () => {
      const res = await fetch(`${ctx.app.url}/`);
      expect(res.status).to.equal(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).to.include(`img-src 'self' data: blob: ${new URL(ctx.s3.endpoint).origin}`);
      expect(csp).to.include("script-src 'self'");
      const html = await res.text();
      expect(html).not.to.match(/https?:\/\/(?!localhost)/);
    });

    it('publishes the upload limits the page checks before sending', async () => {
      const res = await call('GET', '/config.json');
      expect(res.json).to.deep.equal({
        maxUploadBytes: 100 * 1024 * 1024,
        allowedTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'],
        imageField: 'image_file',
      });
    });
  });
});
