/**
 * npm run bench:images: what thumbnails cost and what they save, measured through the app as users run it
 * (compiled, `npm run start:prod`'s flags, against s3rver in its own process).
 *
 * - Thumbnail cost: a 40 MB JPEG and an 80 MB PNG uploaded through the app, each beside a file of the same size
 *   that sniffs as the same type but cannot be decoded (the app stores it without thumbnails after a failed
 *   header read): the difference is the time the thumbnails add. Peak RSS is the app's high-water mark
 *   during each upload. Runs alternate, and medians are reported.
 * - A cold page load: 50 items with large photos, loaded in Chromium with an empty cache at 1x and 2x (every image on the page
 *   scrolled into view): the bytes transferred, against the originals' bytes, which the list showed before.
 *
 * Writes its tables into docs/benchmarks.md (between the IMAGES markers) unless run with --quick.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium';
import { EMBEDDED_S3_CREDENTIALS, ensureBucket, startEmbeddedS3 } from '../web/src/dev/embedded-s3';
import { createS3Client } from '../web/src/s3/client';
import { BUILD, appArgs, compile, postFile, startServer, stop } from './processes';
import { peakRssMB, resetPeakRss } from './rss';

const ROOT = path.join(__dirname, '..');
const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 1 : 3;
const MB = 1e6;

process.env.AWS_ACCESS_KEY_ID = EMBEDDED_S3_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = EMBEDDED_S3_CREDENTIALS.secretAccessKey;
process.env.AWS_REGION = 'us-east-1';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function createItem(appUrl: string, id: number, name: string) {
  const res = await fetch(`${appUrl}/inventory`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id, name }),
  });
  if (res.status >= 300) throw new Error(`POST /inventory: ${res.status}`);
}

/** A file of `bytes` that starts like `like` (so it sniffs as the same type) and is noise after its first 64 bytes. */
async function undecodableTwin(like: string, file: string) {
  const head = readFileSync(like).subarray(0, 64);
  const size = (await stat(like)).size;
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) body.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, Math.min(i, size - 4));
  head.copy(body);
  writeFileSync(file, body);
}

async function main() {
  compile();
  // The compiled app serves the page from beside its code, as the production image lays it out.
  await rm(path.join(BUILD, 'web', 'public'), { recursive: true, force: true });
  await symlink(path.join(ROOT, 'web', 'public'), path.join(BUILD, 'web', 'public'));
  const work = await mkdtemp(path.join(tmpdir(), 'images-bench-'));
  const embedded = await startEmbeddedS3({ port: 0, directory: path.join(work, 's3') });
  const s3 = createS3Client({ region: 'us-east-1', endpoint: embedded.endpoint, forcePathStyle: true });
  const bucket = 'images-bench';
  await ensureBucket(s3, bucket);
  // As `npm run start:prod` starts it, compiled; info logs carry the URL the app listens on.
  const startApp = (appBucket: string) =>
    startServer(appArgs(), {
      S3_ENDPOINT: embedded.endpoint,
      S3_BUCKET: appBucket,
      PORT: '0',
      LOG_LEVEL: 'info',
    });
  const app = await startApp(bucket);
  try {
    // Thumbnail cost.
    const jpeg = path.join(work, 'photo-40mb.jpg');
    await sharp({
      create: { width: 7800, height: 5800, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 70 } },
    })
      .jpeg({ quality: 93 })
      .toFile(jpeg);
    const png = path.join(work, 'scan-80mb.png');
    await sharp({
      create: { width: 5000, height: 5000, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 70 } },
    })
      .png({ compressionLevel: 1 })
      .toFile(png);
    await createItem(app.url, 1000, 'Benchmark');
    const rows: string[] = [];
    for (const [label, file] of [
      ['JPEG', jpeg],
      ['PNG', png],
    ] as const) {
      const twin = `${file}.undecodable`;
      await undecodableTwin(file, twin);
      const { size } = await stat(file);
      const meta = await sharp(file).metadata();
      const measured: Record<'image' | 'twin', { seconds: number[]; rss: number[] }> = {
        image: { seconds: [], rss: [] },
        twin: { seconds: [], rss: [] },
      };
      for (let run = 0; run < RUNS + 1; run++) {
        for (const kind of run % 2 ? (['twin', 'image'] as const) : (['image', 'twin'] as const)) {
          resetPeakRss(app.child.pid!);
          const started = process.hrtime.bigint();
          const res = await postFile(`${app.url}/inventory/1000/image`, kind === 'image' ? file : twin, size);
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          if (res.status !== 200) throw new Error(`upload: ${res.status} ${JSON.stringify(res.json)}`);
          if ((res.json.thumbnail_url === null) !== (kind === 'twin')) throw new Error(`${kind}: thumbnail_url ${res.json.thumbnail_url}`);
          if (run === 0) continue; // warm-up
          measured[kind].seconds.push(seconds);
          measured[kind].rss.push(peakRssMB(app.child.pid!));
        }
      }
      const withThumbs = median(measured.image.seconds);
      const without = median(measured.twin.seconds);
      rows.push(
        `| ${label}, ${(size / MB).toFixed(1)} MB, ${meta.width} x ${meta.height} | ${withThumbs.toFixed(2)} s | ${without.toFixed(2)} s | ${(withThumbs - without).toFixed(2)} s (${(((withThumbs - without) / without) * 100).toFixed(0)} %) | ${Math.max(...measured.image.rss).toFixed(0)} MB | ${Math.max(...measured.twin.rss).toFixed(0)} MB |`,
      );
      console.error(rows.at(-1));
      await rm(twin);
    }
    const thumbnailTable = [
      `| file | upload with thumbnails (median of ${RUNS}) | same size, no thumbnail possible | added by thumbnails | app peak RSS with thumbnails | without |`,
      '|---|---:|---:|---:|---:|---:|',
      ...rows,
    ].join('\n');

    // A cold page load of 50 items with large photos.
    // A photo (the test fixture, enlarged) with fine grain on top: a thumbnail of it is what a real photo's is.
    const photo = path.join(work, 'photo.jpg');
    const grain = await sharp({
      create: { width: 2400, height: 1800, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 30 } },
    })
      .png()
      .toBuffer();
    await sharp(path.join(ROOT, 'test', 'fixtures', 'photo-60k.jpg'))
      .resize(2400, 1800)
      .composite([{ input: grain, blend: 'soft-light' }])
      .jpeg({ quality: 96 })
      .toFile(photo);
    const photoBytes = (await stat(photo)).size;
    const pageBucket = 'page-bench';
    await ensureBucket(s3, pageBucket);
    const pageApp = await startApp(pageBucket);
    let pageText: string;
    try {
      const ITEMS = 50;
      let originals = 0;
      for (let id = 1; id <= ITEMS; id++) {
        await createItem(pageApp.url, id, `Photo ${id}`);
        const res = await postFile(`${pageApp.url}/inventory/${id}/image`, photo, photoBytes);
        if (res.status !== 200) throw new Error(`upload ${id}: ${res.status}`);
        originals += photoBytes;
      }
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      const loads: string[] = [];
      try {
        for (const deviceScaleFactor of [1, 2]) {
          const page = await (await browser.newContext({ viewport: { width: 1000, height: 900 }, deviceScaleFactor })).newPage();
          let transferred = 0;
          let images = 0;
          page.on('requestfinished', async (request) => {
            const sizes = await request.sizes();
            transferred += sizes.responseBodySize + sizes.responseHeadersSize;
            if (request.resourceType() === 'image') images++;
          });
          await page.goto(pageApp.url);
          await page.locator('.item').first().waitFor();
          for (let y = 0; y < 30; y++) {
            await page.mouse.wheel(0, 900);
            await page.waitForTimeout(50);
          }
          await page.waitForFunction((count) => {
            const imgs = [...document.querySelectorAll<HTMLImageElement>('.thumb img')];
            return imgs.length === count && imgs.every((img) => img.complete && img.naturalWidth > 0);
          }, ITEMS);
          await page.waitForLoadState('networkidle');
          loads.push(
            `**${(transferred / MB).toFixed(2)} MB** on a screen of ${deviceScaleFactor} device pixel${deviceScaleFactor > 1 ? 's' : ''} per CSS pixel (${images} images)`,
          );
          await page.context().close();
        }
      } finally {
        await browser.close();
      }
      pageText = `A cold load of the page (${ITEMS} items, each with a ${(photoBytes / MB).toFixed(1)} MB photo, every image scrolled into view), all it transferred (HTML, script, style, JSON and images): ${loads.join('; ')}. The originals of those ${ITEMS} items, which the list displayed before thumbnails: ${(originals / MB).toFixed(1)} MB.`;
      console.error(pageText);
    } finally {
      await stop(pageApp.child);
    }

    const text = [
      '<!-- BEGIN IMAGES OUTPUT -->',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores, Node ${process.version} (\`npm run bench:images\`).`,
      '',
      thumbnailTable,
      '',
      pageText,
      '',
      '<!-- END IMAGES OUTPUT -->',
    ].join('\n');
    console.log(`\n${text}\n`);
    if (!QUICK) {
      const docPath = path.join(ROOT, 'docs', 'benchmarks.md');
      const doc = readFileSync(docPath, 'utf8');
      const begin = doc.indexOf('<!-- BEGIN IMAGES OUTPUT -->');
      const end = doc.indexOf('<!-- END IMAGES OUTPUT -->') + '<!-- END IMAGES OUTPUT -->'.length;
      writeFileSync(
        docPath,
        begin === -1 ? `${doc.trimEnd()}\n\n## Thumbnails and the page\n\n${text}\n` : doc.slice(0, begin) + text + doc.slice(end),
      );
    }
  } finally {
    await stop(app.child);
    s3.destroy();
    await embedded.stop();
    await rm(work, { recursive: true, force: true });
  }
}

void main();
