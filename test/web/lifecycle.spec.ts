import { DeleteBucketCommand, DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestApp } from '../support/app';
import { makePng, sha256 } from '../support/images';
import { uploadImage } from '../support/multipart';
import { startTestS3, type TestS3 } from '../support/s3';
import { pino } from 'pino';
import { ensureBucket } from '../../web/src/dev/embedded-s3';

const ROOT = path.join(__dirname, '..', '..');

describe('app lifecycle', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3();
  });
  after(async () => {
    await s3.stop();
  });

  it('keeps the inventory across a restart on the same bucket, and does not seed again', async () => {
    const bucket = await s3.createBucket('restart');
    const png = makePng(12, 12);
    const first = await startTestApp(s3, bucket);
    await fetch(`${first.url}/inventory`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 10, name: 'Whisk', quantity: 3 }),
    });
    const uploaded = await uploadImage(first.url, 10, { filename: 'w.png', data: png });
    await fetch(`${first.url}/inventory/1`, { method: 'DELETE' });
    await first.close(1000);

    const second = await startTestApp(s3, bucket);
    try {
      const items = (await (await fetch(`${second.url}/inventory`)).json()) as { id: number; image_url: string | null }[];
      expect(items.map((i) => i.id)).to.deep.equal([2, 3, 10]);
      expect(items.find((i) => i.id === 10)!.image_url).to.equal(uploaded.json.image_url);
      expect(sha256(Buffer.from(await (await fetch(uploaded.json.image_url)).arrayBuffer()))).to.equal(sha256(png));
    } finally {
      await second.close(1000);
    }
  });

  it('starts without its bucket, names it and says how to provision it (log and /readyz), and seeds once it exists', async () => {
    const bucket = `missing-${process.pid}`;
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const app = await startTestApp(s3, bucket, {}, { logger });
    try {
      const advice = `Bucket "${bucket}" does not exist. Provision it: \`docker compose up\` runs Terraform (or Pulumi) again;`;
      expect(
        lines.some((l) => l.level >= 50 && l.msg.includes(advice)),
        JSON.stringify(lines),
      ).to.equal(true);
      const notReady = await fetch(`${app.url}/readyz`);
      expect(notReady.status).to.equal(503);
      expect(((await notReady.json()) as { reason: string }).reason).to.include(advice);

      await ensureBucket(s3.s3, bucket);
      expect((await fetch(`${app.url}/readyz`)).status).to.equal(200);
      // Readiness found the bucket: the original items are seeded then.
      for (let i = 0; i < 50 && (await s3.keys(bucket, 'inventory/')).length < 3; i++) await new Promise((r) => setTimeout(r, 50));
      expect(((await (await fetch(`${app.url}/inventory`)).json()) as unknown[]).length).to.equal(3);
    } finally {
      await app.close(1000);
    }
  });

  it('seeds again when its bucket comes back empty while it runs (LocalStack restarted), answering ready only once seeded', async () => {
    const bucket = await s3.createBucket('restarted');
    const app = await startTestApp(s3, bucket);
    try {
      expect((await fetch(`${app.url}/readyz`)).status).to.equal(200);
      await fetch(`${app.url}/inventory/1`, { method: 'DELETE' });
      // What a LocalStack restart does: the bucket and everything in it are gone.
      const keys = await s3.keys(bucket);
      await s3.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
      await s3.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      expect((await fetch(`${app.url}/readyz`)).status).to.equal(503);

      await ensureBucket(s3.s3, bucket); // provisioned again, empty
      expect((await fetch(`${app.url}/readyz`)).status).to.equal(200);
      const items = (await (await fetch(`${app.url}/inventory`)).json()) as { name: string }[];
      expect(items.map((i) => i.name)).to.deep.equal(['Spoon', 'Fork', 'Knife']);
    } finally {
      await app.close(1000);
    }
  });

  it('lets an in-flight upload finish when asked to shut down', async () => {
    const bucket = await s3.createBucket('drain');
    const app = await startTestApp(s3, bucket);
    const png = makePng(1500, 1500, { noise: true });
    const received = new Promise((resolve) => app.server.once('request', resolve));
    const pending = uploadImage(app.url, 1, { filename: 'slow.png', data: png });
    await received; // the close comes while the upload is in flight, however slow the machine is to connect
    const closed = app.close(10_000);
    const res = await pending;
    await closed;
    expect(res.status).to.equal(200);
    expect(sha256(Buffer.from(await (await fetch(res.json.image_url)).arrayBuffer()))).to.equal(sha256(png));
  });

  it('npm start boots the embedded S3 and the app; /readyz answers 200; Ctrl-C stops both', async function () {
    this.timeout(60_000);
    const launched = await launch(process.execPath, ['--import', 'tsx', path.join(ROOT, 'web/src/dev/start.ts')]);
    try {
      expect(launched.s3Url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(launched.output()).to.include('(bucket inventory-images');
      const ready = await fetch(`${launched.appUrl}/readyz`);
      expect(ready.status).to.equal(200);
      const items = (await (await fetch(`${launched.appUrl}/inventory`)).json()) as unknown[];
      expect(items).to.have.length(3);
    } finally {
      expect(await launched.stop('SIGINT')).to.equal(0);
    }
  });
});

describe('npm start stopped with SIGTERM (as a process manager or `kill` stops it)', () => {
  it('stops the app and the embedded S3 too, rather than leaving them running orphaned', async function () {
    this.timeout(60_000);
    const launched = await launch('npm', ['start', '--silent']);
    const { appUrl, s3Url } = launched;
    try {
      expect((await fetch(`${appUrl}/healthcheck`)).status).to.equal(200);
      await launched.stop('SIGTERM');
      // Both servers close their ports within a few seconds.
      const refused = async (url: string) => {
        for (const started = Date.now(); Date.now() - started < 5000; await new Promise((r) => setTimeout(r, 100))) {
          const answered = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
            () => true,
            () => false,
          );
          if (!answered) return true;
        }
        return false;
      };
      expect(await refused(`${appUrl}/healthcheck`), 'the app still answers after npm start was stopped').to.equal(true);
      expect(await refused(s3Url), 'the embedded S3 still answers after npm start was stopped').to.equal(true);
    } finally {
      await launched.stop('SIGKILL');
    }
  });
});

describe("the README's first command on a fresh copy: npm ci --no-workspaces && npm start", () => {
  it('installs the app without the Pulumi program or the test tooling; the app starts and stores an upload with its thumbnails', async function () {
    this.timeout(180_000);
    const copy = await mkdtemp(path.join(tmpdir(), 'first-run-'));
    try {
      // What a clone holds that the app's install and start read: the root package, the workspaces' manifests
      // (the lockfile names them), the app's sources and page.
      for (const file of [
        'package.json',
        'package-lock.json',
        'tsconfig.json',
        'pulumi/package.json',
        'test/package.json',
        'web/src',
        'web/public',
      ])
        await cp(path.join(ROOT, file), path.join(copy, file), { recursive: true });
      // --prefer-offline: the packages come from npm's cache, where the full install put them, unless missing.
      execFileSync('npm', ['ci', '--no-workspaces', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: copy, stdio: 'pipe' });
      for (const tooling of ['@pulumi/pulumi', 'mocha', 'playwright-core', 'eslint', '@cloud-copilot/iam-simulate'])
        expect(existsSync(path.join(copy, 'node_modules', tooling)), `${tooling} was installed`).to.equal(false);

      const launched = await launch('npm', ['start', '--silent'], copy);
      try {
        const res = await uploadImage(launched.appUrl, 1, { filename: 'photo.png', data: makePng(640, 480, { noise: true }) });
        expect(res.status, JSON.stringify(res.json)).to.equal(200);
        const thumbnail = await fetch(res.json.thumbnail_url as string);
        expect(thumbnail.headers.get('content-type')).to.equal('image/webp');
      } finally {
        await launched.stop('SIGTERM');
      }
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});

describe('a bug that escapes every handler', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3();
  });
  after(async () => {
    await s3.stop();
  });

  it('is logged as fatal through pino, the server closes, and the process exits 1', async function () {
    this.timeout(30_000);
    const bucket = await s3.createBucket('crash');
    // The production entry point, then an unhandled rejection once it listens.
    const script = "require('./web/src/server').main().then(() => setTimeout(() => Promise.reject(new Error('a bug')), 100))";
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', S3_BUCKET: bucket, S3_ENDPOINT: s3.endpoint, LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '1000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).to.equal(1);
    const lines = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string }; origin?: string });
    expect(lines.find((l) => l.level === 60)).to.deep.include({ msg: 'crashed', origin: 'unhandledRejection' });
    expect(lines.find((l) => l.level === 60)!.err!.message).to.equal('a bug');
    expect(lines.map((l) => l.msg)).to.include('stopped');
  });
});

/** Starts `npm start` (or its script directly) in `cwd` on free ports with its data in a temporary folder, and waits for both URLs. */
async function launch(command: string, args: string[], cwd = ROOT) {
  const directory = await mkdtemp(path.join(tmpdir(), 'embedded-s3-'));
  const child = spawn(command, args, {
    cwd,
    env: {
      ...process.env,
      PORT: '0',
      EMBEDDED_S3_PORT: '0',
      EMBEDDED_S3_DIR: directory,
      S3_ENDPOINT: '',
      S3_BUCKET: '',
      PUBLIC_BASE_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c));
  child.stderr.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const [appUrl, s3Url] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URLs printed:\n${output}`)), 30_000);
    child.stdout.on('data', () => {
      const app = /Inventory app: (http:\/\/\S+)/.exec(output)?.[1];
      const s3 = /Embedded S3: +(http:\/\/\S+)/.exec(output)?.[1];
      if (app && s3) {
        clearTimeout(timer);
        resolve([app, s3]);
      }
    });
    void exited.then((code) => reject(new Error(`launcher exited with ${code}:\n${output}`)));
  });
  return {
    appUrl,
    s3Url,
    output: () => output,
    /** Sends the signal (unless it already exited) and resolves with the exit code. */
    async stop(signal: NodeJS.Signals): Promise<number | null> {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      await rm(directory, { recursive: true, force: true });
      return code;
    },
  };
}
