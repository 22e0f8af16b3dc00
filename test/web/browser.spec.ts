import { expect } from 'chai';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBucket, startEmbeddedS3 } from '../../web/src/dev/embedded-s3';
import { createS3Client } from '../../web/src/s3/client';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { startTestApp } from '../support/app';
import { CHROMIUM_ARGS, CHROMIUM_PATH, requireChromium } from '../support/chromium';
import { expectServedExactly, fixture, makePng } from '../support/images';
import { uploadImage } from '../support/multipart';
import { startTestS3, type TestS3 } from '../support/s3';
import type { RunningServer } from '../../web/src/server';

export const SCREENSHOT = path.join(__dirname, '..', '..', 'test-results', 'ui.png');
/** The app's upload limit in these tests. */
const LIMIT = 8 * 1024 * 1024;

describe('browser UI in a real Chromium', function () {
  this.timeout(60_000);
  let s3: TestS3;
  let app: RunningServer;
  let browser: Browser;
  let bucket: string;

  before(async function () {
    requireChromium(this);
    s3 = await startTestS3();
    bucket = await s3.createBucket('ui');
    app = await startTestApp(s3, bucket, { MAX_UPLOAD_BYTES: String(LIMIT) });
    // Playwright gives every launch a fresh, throw-away profile directory.
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await app?.close(1000);
    await s3?.stop();
  });

  /** Presses Tab until the focused element's accessible name is `name` (a keyboard user looking for a control). */
  const tabTo = async (page: Page, name: string | RegExp) => {
    for (let presses = 0; presses < 400; presses++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const name = el === document.body ? '' : (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim();
        return (name || (el as HTMLInputElement | null)?.labels?.[0]?.textContent || '').replace(/\s+/g, ' ').trim();
      });
      if (typeof name === 'string' ? focused === name : name.test(focused ?? '')) return;
    }
    throw new Error(`Tab never reached ${name}`);
  };
  /** axe-core on the page as it is: no serious or critical WCAG 2.1 A/AA violation. */
  const expectAccessible = async (page: Page, state: string) => {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      `axe-core, ${state}`,
    ).to.deep.equal([]);
    axeStates.push(state);
  };
  const axeStates: string[] = [];
  const statusOf = (page: Page, id: number) => page.locator(`.item[data-id="${id}"] .upload-status`);
  const waitForStatus = (page: Page, id: number, text: string | RegExp) =>
    page.waitForFunction(
      ([selector, wanted, isRegExp]) => {
        const text = document.querySelector(selector)?.textContent ?? '';
        return isRegExp ? new RegExp(wanted).test(text) : text === wanted;
      },
      [`.item[data-id="${id}"] .upload-status`, typeof text === 'string' ? text : text.source, typeof text !== 'string'] as const,
    );
  const thumbnailShown = (page: Page, id: number) =>
    page.waitForFunction((id) => {
      const img = document.querySelector<HTMLImageElement>(`.item[data-id="${id}"] .thumb img`);
      return img !== null && img.complete && img.naturalWidth > 0 && img.src;
    }, id);

  it('the whole flow by keyboard alone, with axe-core on every state: add, upload, cancel, fail and retry, page, search', async function () {
    this.timeout(240_000); // ten axe-core scans and some 400 key presses; slow when the whole suite shares the CPU
    const page = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage();
    // Intercepting file choosers is switched on without waiting for it: on from the start, none is missed.
    page.on('filechooser', () => undefined);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(msg.text());
    });
    try {
      await page.goto(app.url);
      await page.locator('.item').first().waitFor();
      expect(await page.locator('.item .name').allTextContents()).to.deep.equal(['Spoon', 'Fork', 'Knife']);
      await expectAccessible(page, 'the list as loaded');

      // Add an item: Tab into the form, type, Enter.
      await tabTo(page, 'ID');
      await page.keyboard.type('4');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Teapot');
      await page.keyboard.press('Tab');
      await page.keyboard.type('12');
      await page.keyboard.press('Tab');
      await page.keyboard.type('White porcelain, 1 litre');
      await page.keyboard.press('Enter');
      await page.locator('.item[data-id="4"]').waitFor();
      expect(await page.locator('#message').textContent()).to.equal('Saved "Teapot".');
      await expectAccessible(page, 'an item saved');

      // Upload: the button names its item; Enter opens the file chooser.
      await tabTo(page, 'Upload image for Teapot');
      const chooser = page.waitForEvent('filechooser');
      await page.keyboard.press('Enter');
      const photo = fixture('photo-60k.jpg'); // 420 x 315
      await (await chooser).setFiles({ name: 'teapot.jpg', mimeType: 'image/jpeg', buffer: photo });
      await waitForStatus(page, 4, 'Uploaded teapot.jpg.');
      expect(await page.locator('#message').textContent(), 'the old "Saved" is gone').to.equal('');
      const src = (await (await thumbnailShown(page, 4)).jsonValue()) as string;
      expect(src).to.match(new RegExp(`^${s3.endpoint}/${bucket}/images/4/[0-9a-f-]{36}\\.thumb-1x\\.webp$`));
      expect(await page.evaluate(() => document.querySelector<HTMLImageElement>('.item[data-id="4"] .thumb img')!.naturalWidth)).to.equal(
        160,
      );
      const original = (await page.locator('.item[data-id="4"] .thumb a').getAttribute('href'))!;
      expect(original).to.equal(src.replace('.thumb-1x.webp', '.jpg'));
      await expectServedExactly(original, photo, 'image/jpeg');
      expect(await page.evaluate(() => document.activeElement?.textContent), 'focus kept on the row').to.equal('Upload image for Teapot');
      await expectAccessible(page, 'an image uploaded');
      const keysAfterUpload = await s3.keys(bucket, 'images/4/');
      expect(keysAfterUpload).to.have.length(3);

      // Cancel: a 6 MB file over a link throttled to 1 MB/s; Cancel takes the focus while it runs.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: 1024 * 1024,
      });
      const slowChooser = page.waitForEvent('filechooser');
      await page.keyboard.press('Enter');
      const big = await sharp({
        create: { width: 1600, height: 1200, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 50 } },
      })
        .png({ compressionLevel: 0 })
        .toBuffer();
      expect(big.length).to.be.within(5_000_000, LIMIT);
      await (await slowChooser).setFiles({ name: 'big.png', mimeType: 'image/png', buffer: big });
      await waitForStatus(page, 4, /^Uploading big\.png/);
      await page.waitForFunction(() => Number(document.querySelector<HTMLProgressElement>('.item[data-id="4"] progress')?.value) > 0);
      expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Cancel upload for Teapot');
      await expectAccessible(page, 'an upload in progress');
      await page.keyboard.press('Enter');
      await waitForStatus(page, 4, 'Upload cancelled. Nothing was saved.');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await new Promise((resolve) => setTimeout(resolve, 500)); // the server notices the closed connection
      expect(await s3.keys(bucket, 'images/4/'), 'nothing of the cancelled upload is stored').to.deep.equal(keysAfterUpload);
      expect(((await (await fetch(`${app.url}/inventory/4`)).json()) as { image_url: string }).image_url).to.equal(original);
      await expectAccessible(page, 'an upload cancelled');

      // A failed upload (the connection drops) offers Retry, which sends the same file again without choosing it.
      let dropNext = true;
      await page.route('**/inventory/4/image', (route) =>
        dropNext ? ((dropNext = false), route.abort('connectionreset')) : route.continue(),
      );
      await tabTo(page, 'Upload image for Teapot');
      const againChooser = page.waitForEvent('filechooser');
      await page.keyboard.press('Enter');
      const second = makePng(64, 48, { rgb: [200, 30, 30] });
      await (await againChooser).setFiles({ name: 'red.png', mimeType: 'image/png', buffer: second });
      await waitForStatus(page, 4, 'Upload failed: the connection was lost.');
      await expectAccessible(page, 'an upload failed');
      await tabTo(page, 'Retry upload for Teapot');
      await page.keyboard.press('Enter');
      await waitForStatus(page, 4, 'Uploaded red.png.');
      await expectServedExactly((await page.locator('.item[data-id="4"] .thumb a').getAttribute('href'))!, second, 'image/png');

      // Refusals in words people use: from the server (content sniffed) and from the page (size).
      await page
        .locator('.item[data-id="1"] input[type=file]')
        .setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just text') });
      await waitForStatus(page, 1, /^Upload failed: The file must be a PNG, JPEG, GIF, WebP or AVIF image/);
      await page
        .locator('.item[data-id="2"] input[type=file]')
        .setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(LIMIT + 1, 1) });
      expect(await statusOf(page, 2).textContent()).to.equal('The file is larger than 8 MB.');
      // Sending the same file again cannot help: no Retry for a refusal.
      expect(
        await page
          .locator('.item[data-id="1"] .retry, .item[data-id="2"] .retry')
          .evaluateAll((buttons) => buttons.map((b) => (b as HTMLButtonElement).hidden)),
      ).to.deep.equal([true, true]);
      await expectAccessible(page, 'refusals shown');
      await mkdir(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      // Pages of 50 and a search, by keyboard.
      for (let id = 100; id < 160; id++) {
        await fetch(`${app.url}/inventory`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ id, name: `Bowl ${id}` }),
        });
      }
      await page.reload();
      await page.locator('.item').first().waitFor();
      expect(await page.locator('.item').count()).to.equal(50);
      expect(await page.locator('#page-info').textContent()).to.equal('Items 1 to 50 of 64');
      await tabTo(page, 'Next page');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('#page-info')?.textContent === 'Items 51 to 64 of 64');
      expect(await page.locator('.item .name').first().textContent()).to.equal('Bowl 146');
      await expectAccessible(page, 'the second page');
      await tabTo(page, 'Search by name');
      await page.keyboard.type('teaPOT');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('#page-info')?.textContent === 'Items 1 to 1 of 1');
      expect(await page.locator('.item .name').allTextContents()).to.deep.equal(['Teapot']);
      await expectAccessible(page, 'a search');
      await tabTo(page, 'Search by name');
      await page.keyboard.type('saucepan');
      await page.keyboard.press('Enter');
      await page.locator('#empty:not([hidden])').waitFor();
      await expectAccessible(page, 'a search that finds nothing');

      expect(axeStates).to.have.length(10);
      expect(problems, problems.join('\n')).to.deep.equal([]);
    } finally {
      await page.close();
    }
  });

  it('a file dropped on an item is uploaded to that item', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(app.url);
      await page.locator('.item[data-id="2"]').waitFor();
      const png = makePng(40, 30, { rgb: [10, 120, 40] });
      const dropped = await page.evaluateHandle(
        (bytes) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' }));
          return transfer;
        },
        [...png],
      );
      const row = page.locator('.item[data-id="2"]');
      await row.dispatchEvent('dragover', { dataTransfer: dropped });
      expect(await row.getAttribute('class')).to.include('drop-target');
      await row.dispatchEvent('drop', { dataTransfer: dropped });
      await waitForStatus(page, 2, 'Uploaded dropped.png.');
      await expectServedExactly((await row.locator('.thumb a').getAttribute('href'))!, png, 'image/png');
    } finally {
      await page.close();
    }
  });

  it('a cold load of the page (items with large images) downloads their thumbnails, never an original', async function () {
    this.timeout(180_000);
    const coldBucket = await s3.createBucket('cold');
    const coldApp = await startTestApp(s3, coldBucket, { MAX_UPLOAD_BYTES: String(LIMIT) });
    const page = await browser.newPage();
    try {
      let originalBytes = 0;
      const image = await sharp({
        create: { width: 1600, height: 1200, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 120, sigma: 60 } },
      })
        .jpeg({ quality: 95 })
        .toBuffer();
      for (let id = 1; id <= 20; id++) {
        await fetch(`${coldApp.url}/inventory`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ id, name: `Photo ${id}` }),
        });
        originalBytes += image.length;
        const res = await uploadImage(coldApp.url, id, { filename: `${id}.jpg`, contentType: 'image/jpeg', data: image });
        expect(res.status).to.equal(200);
      }
      const images: { url: string; bytes: number }[] = [];
      page.on('response', async (res) => {
        if (res.request().resourceType() === 'image') images.push({ url: res.url(), bytes: (await res.body()).length });
      });
      await page.goto(coldApp.url);
      await page.locator('.item').first().waitFor();
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>('.thumb img')].every((img) => img.complete && img.naturalWidth > 0),
      );
      await page.waitForTimeout(200);
      expect(images).to.have.length(20);
      expect(
        images.every((i) => i.url.endsWith('.thumb-1x.webp')),
        images.map((i) => i.url).join('\n'),
      ).to.equal(true);
      const thumbnailBytes = images.reduce((sum, i) => sum + i.bytes, 0);
      expect(thumbnailBytes).to.be.below(originalBytes / 50);
      expect(thumbnailBytes).to.be.below(20 * 20 * 1024);
    } finally {
      await page.close();
      await coldApp.close(1000);
    }
  });

  it("gets the server's 413 for an oversize file when the UI's own size check is bypassed", async () => {
    const page = await browser.newPage();
    try {
      // The page learns the limit from /config.json: tell it there is none, so the file is sent.
      await page.route('**/config.json', async (route) => {
        const config = await (await route.fetch()).json();
        await route.fulfill({ json: { ...config, maxUploadBytes: 1024 ** 4 } });
      });
      await page.goto(app.url);
      const oversize = Buffer.concat([makePng(4, 4), Buffer.alloc(LIMIT + 1024 * 1024)]);
      const answered = page.waitForResponse((res) => res.url().endsWith('/inventory/2/image'));
      await page
        .locator('.item[data-id="2"] input[type=file]')
        .setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: oversize });
      expect((await answered).status()).to.equal(413);
      await page.locator('.item[data-id="2"] .upload-status.error').waitFor();
      expect(await page.locator('.item[data-id="2"] .upload-status').textContent()).to.equal(
        'Upload failed: The file is larger than 8 MB.',
      );
    } finally {
      await page.close();
    }
  });

  it('renders and shows thumbnails over plain HTTP from a non-loopback address (as on a VM), with no CSP violation', async function () {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!address) {
      if (process.env.CI === 'true') throw new Error('no non-loopback IPv4 address to serve the app on');
      console.warn('\n  [skipped] this machine has no non-loopback IPv4 address\n');
      this.skip();
    }
    // S3 and the app both reachable on that address, as when they run on another host.
    const directory = await mkdtemp(path.join(tmpdir(), 'lan-s3-'));
    const lanS3 = await startEmbeddedS3({ port: 0, directory, address: '0.0.0.0' });
    const lanBucket = 'lan-images';
    const client = createS3Client({ region: 'us-east-1', endpoint: lanS3.endpoint, forcePathStyle: true });
    await ensureBucket(client, lanBucket);
    client.destroy();
    const publicBase = `http://${address}:${lanS3.port}/${lanBucket}`;
    const lanApp = await startTestApp(lanS3, lanBucket, { PUBLIC_BASE_URL: publicBase }, { host: '0.0.0.0' });
    const page = await browser.newPage();
    try {
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
      page.on('requestfailed', (req) => problems.push(`${req.url()}: ${req.failure()?.errorText}`));
      await page.goto(`http://${address}:${new URL(lanApp.url).port}/`);
      await page.locator('.item').first().waitFor({ timeout: 10_000 });
      await page
        .locator('.item[data-id="1"] input[type=file]')
        .setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: fixture('photo.jpg') });
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('.item[data-id="1"] .thumb img');
        return img !== null && img.complete && img.naturalWidth > 0;
      });
      expect(await page.locator('.item[data-id="1"] .thumb img').getAttribute('src')).to.match(new RegExp(`^${publicBase}/images/1/`));
      expect(problems, problems.join('\n')).to.deep.equal([]);
    } finally {
      await page.close();
      await lanApp.close(1000);
      await lanS3.stop();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
