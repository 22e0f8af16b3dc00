import { expect } from 'chai';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp } from '../support/app';
import { CHROMIUM_ARGS, CHROMIUM_PATH, requireChromium } from '../support/chromium';
import { fixture } from '../support/images';
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
    await page.locator('.item[data-id="1"] input[type=file]').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just text') });
    await page.locator('.item[data-id="1"] .upload-status.error').waitFor();
    expect(await page.locator('.item[data-id="1"] .upload-status').textContent()).to.match(/must be a PNG, JPEG, GIF, WebP or AVIF image/);

    // A file over the limit is refused in the browser before any byte is sent.
    await page.locator('.item[data-id="2"] input[type=file]').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(2 * 1024 * 1024, 1) });
    expect(await page.locator('.item[data-id="2"] .upload-status').textContent()).to.match(/limit is 1\.0 MB/);

    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(violations, violations.join('\n')).to.deep.equal([]);
  });
});
