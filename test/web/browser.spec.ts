import { expect } from 'chai';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBucket, startEmbeddedS3 } from '../../web/src/dev/embedded-s3';
import { createS3Client } from '../../web/src/s3/client';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp } from '../support/app';
import { CHROMIUM_ARGS, CHROMIUM_PATH, requireChromium } from '../support/chromium';
import { expectServedExactly, fixture, makePng } from '../support/images';
import { startTestS3, type TestS3 } from '../support/s3';
import type { RunningServer } from '../../web/src/server';

export const SCREENSHOT = path.join(__dirname, '..', '..', 'test-results', 'ui.png');

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
    app = await startTestApp(s3, bucket, { MAX_UPLOAD_BYTES: String(1024 * 1024) });
    // Playwright gives every launch a fresh, throw-away profile directory.
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await app?.close(1000);
    await s3?.stop();
  });

  it('adds an item, uploads an image through the file input and shows the thumbnail from the bucket', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const violations: string[] = [];
    // Script errors and CSP violations fail the test; the expected 415 response logged by Chromium does not.
    page.on('pageerror', (err) => violations.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) violations.push(msg.text());
    });
    await page.goto(app.url);
    await page.locator('.item').first().waitFor();
    expect(await page.locator('.item .name').allTextContents()).to.deep.equal(['Spoon', 'Fork', 'Knife']);

    await page.fill('#item-form [name=id]', '4');
    await page.fill('#item-form [name=name]', 'Teapot');
    await page.fill('#item-form [name=description]', 'White porcelain, 1 litre');
    await page.fill('#item-form [name=quantity]', '12');
    await page.click('#item-form button[type=submit]');
    const teapot = page.locator('.item[data-id="4"]');
    await teapot.waitFor();
    expect(await teapot.locator('.name').textContent()).to.equal('Teapot');

    await teapot.locator('input[type=file]').setInputFiles({ name: 'teapot.jpg', mimeType: 'image/jpeg', buffer: fixture('photo.jpg') });
    const thumbnail = page.locator('.item[data-id="4"] img:not([hidden])');
    await thumbnail.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.item[data-id="4"] img');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    const src = await thumbnail.getAttribute('src');
    expect(src).to.match(new RegExp(`^${s3.endpoint}/${bucket}/images/4/[0-9a-f-]{36}\\.jpg$`));
    expect(await page.evaluate(() => document.querySelector<HTMLImageElement>('.item[data-id="4"] img')!.naturalWidth)).to.equal(160);

    // A file that is not an image gets a clear message, from the server's sniffing.
    await page
      .locator('.item[data-id="1"] input[type=file]')
      .setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just text') });
    await page.locator('.item[data-id="1"] .upload-status.error').waitFor();
    expect(await page.locator('.item[data-id="1"] .upload-status').textContent()).to.match(/must be a PNG, JPEG, GIF, WebP or AVIF image/);

    // A file over the limit is refused in the browser before any byte is sent.
    await page
      .locator('.item[data-id="2"] input[type=file]')
      .setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(2 * 1024 * 1024, 1) });
    expect(await page.locator('.item[data-id="2"] .upload-status').textContent()).to.match(/limit is 1\.0 MB/);

    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(violations, violations.join('\n')).to.deep.equal([]);
  });

  it('replaces an image with a 57 KB JPEG through the UI: the thumbnail renders, and after a reload too', async () => {
    const photo = fixture('photo-60k.jpg'); // a photo-sized file, inside the band once stored empty
    expect(photo.length).to.be.within(4100, 65_535);
    const page = await browser.newPage();
    try {
      await page.goto(app.url);
      const input = page.locator('.item[data-id="3"] input[type=file]');
      await input.setInputFiles({ name: 'knife.jpg', mimeType: 'image/jpeg', buffer: fixture('photo.jpg') });
      await page.waitForFunction(
        () => document.querySelector<HTMLImageElement>('.item[data-id="3"] img:not([hidden])')?.naturalWidth === 160,
      );
      const first = await page.locator('.item[data-id="3"] img').getAttribute('src');

      await page
        .locator('.item[data-id="3"] input[type=file]')
        .setInputFiles({ name: 'knife-2.jpg', mimeType: 'image/jpeg', buffer: photo });
      const rendered = () =>
        page.waitForFunction((previous) => {
          const img = document.querySelector<HTMLImageElement>('.item[data-id="3"] img:not([hidden])');
          return img !== null && img.src !== previous && img.complete && img.naturalWidth > 0 && img.naturalWidth;
        }, first);
      expect(await (await rendered()).jsonValue()).to.equal(420);
      const src = (await page.locator('.item[data-id="3"] img').getAttribute('src'))!;
      await expectServedExactly(src, photo, 'image/jpeg');

      await page.reload();
      expect(await (await rendered()).jsonValue()).to.equal(420);
    } finally {
      await page.close();
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
      const oversize = Buffer.concat([makePng(4, 4), Buffer.alloc(8 * 1024 * 1024)]);
      const answered = page.waitForResponse((res) => res.url().endsWith('/inventory/2/image'));
      await page
        .locator('.item[data-id="2"] input[type=file]')
        .setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: oversize });
      expect((await answered).status()).to.equal(413);
      await page.locator('.item[data-id="2"] .upload-status.error').waitFor();
      expect(await page.locator('.item[data-id="2"] .upload-status').textContent()).to.equal('The file is larger than 1 MB');
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
        const img = document.querySelector<HTMLImageElement>('.item[data-id="1"] img');
        return img !== null && !img.hidden && img.complete && img.naturalWidth > 0;
      });
      expect(await page.locator('.item[data-id="1"] img').getAttribute('src')).to.match(new RegExp(`^${publicBase}/images/1/`));
      expect(problems, problems.join('\n')).to.deep.equal([]);
    } finally {
      await page.close();
      await lanApp.close(1000);
      await lanS3.stop();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
