/**
 * npm run bench [-- --quick]
 *
 * Upload throughput and memory, side by side in one run, against one s3rver in its own process:
 *   sdk-multipart  the SDK's own multipart upload (lib-storage, its defaults) straight from disk, no HTTP hop
 *   sdk-put-object one PutObject of the whole file read from disk: this server's real bound (it re-reads and
 *                  concatenates every part when a multipart upload completes)
 *   app            this app, run as `npm run start:prod` runs it: multipart POST -> Express 5 + busboy ->
 *                  lib-storage (one PutObject up to 16 MiB, streamed parts above)
 *   multer-memory  multer memoryStorage + one PutObject (the tutorial recipe)
 *   multer-s3      the multer-s3 middleware (streams through lib-storage too)
 * Every case runs in a fresh process whose peak RSS (VmHWM) is read at the end, and every stored object is
 * read back and compared by sha256. Then 16 concurrent 50 MiB uploads through the app, and GET /inventory
 * with 100, 500 and 2,000 items. Writes docs/benchmarks.md and docs/benchmarks.svg.
 */
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { EMBEDDED_S3_CREDENTIALS, ensureBucket, startEmbeddedS3 } from '../web/src/dev/embedded-s3';
import { DEFAULT_UPLOAD_TUNING } from '../web/src/images/storage';
import { createS3Client } from '../web/src/s3/client';
import { renderChart } from './chart';
import { benchInventoryList, type ListMeasurement } from './inventory-list';
import { BUILD, appArgs, compile, postFile, startServer, stop } from './processes';
import { peakRssMB, resetPeakRss } from './rss';

const ROOT = path.join(__dirname, '..');
const MiB = 1024 * 1024;
const ALL_CASES = ['sdk-multipart', 'sdk-put-object', 'app', 'multer-memory', 'multer-s3'] as const;
/** What every ratio is relative to: the SDK's own streamed upload from disk. */
const BASELINE: Case = 'sdk-multipart';
type Case = (typeof ALL_CASES)[number];
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const QUICK = process.argv.includes('--quick');
/**
 * For tuning: --sizes=10,1024 --cases=sdk-multipart,app run a subset once (--runs=3 for more; add --concurrency
 * or --lists for those runs) and write nothing.
 */
const PARTIAL = Boolean(flag('sizes') || flag('cases'));
const SIZES = flag('sizes')?.split(',').map(Number) ?? (QUICK ? [10, 100] : [10, 100, 1024]);
const CASES = (flag('cases')?.split(',') as Case[] | undefined) ?? ALL_CASES;
/**
 * Runs of each case at one size: --runs=N for every size; a full run does 9 of the files up to 100 MiB (a
 * second or less each, so more of them keep the medians out of the noise) and 5 of 1 GiB.
 */
const runsOf = (mib: number) => (flag('runs') ? Number(flag('runs')) : QUICK || PARTIAL ? 1 : mib <= 100 ? 9 : 5);
const BUCKET = 'bench';
const compiled = (file: string) => path.join(BUILD, file);
/** The app runs as in production. */
const APP_ARGS = appArgs();

process.env.AWS_ACCESS_KEY_ID = EMBEDDED_S3_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = EMBEDDED_S3_CREDENTIALS.secretAccessKey;
process.env.AWS_REGION = 'us-east-1';

/** CPU seconds (user + system) spent during the timed upload by each process that takes part in it. */
interface CpuSeconds {
  /** The process that sends to S3: the app, a peer, or the SDK's uploader. */
  uploader: number;
  s3rver: number;
  /** This process, which streams the file to the server (nothing in the SDK cases). */
  client: number;
}

interface Measurement {
  size: number;
  case: Case;
  seconds: number;
  peakRssMB: number;
  cpu: CpuSeconds;
  sha256Ok: boolean;
}

/** A PNG header (so the app's sniffing accepts it) followed by random, incompressible bytes. */
async function makeFile(dir: string, mib: number): Promise<{ file: string; sha256: string; bytes: number }> {
  const file = path.join(dir, `bench-${mib}MiB.png`);
  // Signature, a valid IHDR, then one IDAT chunk announcing the rest: file-type stops reading at IDAT.
  const ihdr = Buffer.from('4948445200001000000010000802000000', 'hex');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(ihdr));
  const idat = Buffer.alloc(8);
  idat.writeUInt32BE(mib * MiB - 41);
  idat.write('IDAT', 4);
  const header = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d', 'hex'), ihdr, crc, idat]);
  const out = createWriteStream(file);
  const hash = createHash('sha256');
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve) => (hash.update(chunk), out.write(chunk) ? resolve() : out.once('drain', resolve)));
  await write(header);
  for (let left = mib * MiB - header.length; left > 0; left -= MiB) await write(randomBytes(Math.min(MiB, left)));
  await new Promise<void>((resolve) => out.end(resolve));
  return { file, sha256: hash.digest('hex'), bytes: statSync(file).size };
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** CPU seconds a process has used so far (utime + stime in /proc/<pid>/stat). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); // after "pid (comm) "
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Starts s3rver's and this process's CPU clocks; calling the result gives what each spent since. */
function s3rverAndClientCpu(): () => Omit<CpuSeconds, 'uploader'> {
  const start = { s3rver: cpuSecondsOf(s3rverPid), client: ownCpuSeconds() };
  return () => ({ s3rver: cpuSecondsOf(s3rverPid) - start.s3rver, client: ownCpuSeconds() - start.client });
}

async function sha256OfStoredThenDelete(s3: ReturnType<typeof createS3Client>, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of object.Body as Readable) hash.update(chunk as Buffer);
  await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key })); // keep the disk from filling up
  return hash.digest('hex');
}

/** Creates a new item through the app (ids from 1000 up, one per call); resolves with its id. */
let lastItemId = 999;
async function createItem(appUrl: string): Promise<number> {
  const id = ++lastItemId;
  const res = await fetch(`${appUrl}/inventory`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id, name: `bench ${id}` }),
  });
  if (res.status !== 201) throw new Error(`creating item ${id}: HTTP ${res.status}`);
  return id;
}

let warmUpFile = '';
let s3rverPid = 0;

async function runCase(
  kind: Case,
  input: { file: string; sha256: string; bytes: number },
  s3env: NodeJS.ProcessEnv,
  s3: ReturnType<typeof createS3Client>,
): Promise<Omit<Measurement, 'size'>> {
  if (kind === 'sdk-multipart' || kind === 'sdk-put-object') {
    // The uploader times its own upload (process start-up excluded) and reports its peak RSS.
    const key = `images/bench/direct-${Date.now()}.png`;
    const mode = kind === 'sdk-multipart' ? 'multipart' : 'put-object';
    const child = spawn(process.execPath, [compiled('bench/servers/direct-upload.js'), mode, warmUpFile, input.file, key], {
      cwd: ROOT,
      env: { ...process.env, ...s3env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    let cpu: (() => Omit<CpuSeconds, 'uploader'>) | undefined;
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      if (!cpu && out.startsWith('warm\n')) {
        cpu = s3rverAndClientCpu();
        child.stdin!.end('go\n');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0 || !cpu) throw new Error(`direct upload failed with ${code}`);
    const spent = cpu();
    const { seconds, peakRssMB, cpuSeconds } = JSON.parse(out.slice('warm\n'.length)) as {
      seconds: number;
      peakRssMB: number;
      cpuSeconds: number;
    };
    return {
      case: kind,
      seconds,
      peakRssMB,
      cpu: { ...spent, uploader: cpuSeconds },
      sha256Ok: (await sha256OfStoredThenDelete(s3, key)) === input.sha256,
    };
  }

  const server =
    kind === 'app'
      ? await startServer(APP_ARGS, {
          ...s3env,
          PORT: '0',
          PUBLIC_BASE_URL: `${s3env.S3_ENDPOINT}/${BUCKET}`,
          MAX_UPLOAD_BYTES: String(2048 * MiB),
          LOG_LEVEL: 'info',
        })
      : await startServer([compiled('bench/servers/peers.js'), kind], s3env);
  try {
    // For the app, the timed upload is the first image of an item created for it (a replacement would add one
    // DELETE), and the warm-up goes to another item.
    const url = kind === 'app' ? `${server.url}/inventory/${await createItem(server.url)}/image` : `${server.url}/upload`;
    // One upload in parts first, as a running server would have had: JIT, connections and lazy imports warmed;
    // its peak memory is not counted.
    const warmUp = await postFile(kind === 'app' ? `${server.url}/inventory/2/image` : url, warmUpFile, statSync(warmUpFile).size);
    if (warmUp.status !== 200) throw new Error(`${kind}: warm-up answered HTTP ${warmUp.status} ${JSON.stringify(warmUp.json)}`);
    resetPeakRss(server.child.pid!);
    const cpu = s3rverAndClientCpu();
    const uploaderCpu = cpuSecondsOf(server.child.pid!);
    const started = process.hrtime.bigint();
    const res = await postFile(url, input.file, input.bytes);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const spent = { ...cpu(), uploader: cpuSecondsOf(server.child.pid!) - uploaderCpu };
    if (res.status !== 200) throw new Error(`${kind}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
    const peak = peakRssMB(server.child.pid!);
    const key = kind === 'app' ? new URL(res.json.image_url).pathname.replace(`/${BUCKET}/`, '') : res.json.key;
    return {
      case: kind,
      seconds,
      peakRssMB: peak,
      cpu: spent,
      sha256Ok: (await sha256OfStoredThenDelete(s3, key)) === input.sha256,
    };
  } finally {
    await stop(server.child);
  }
}

async function concurrent(
  input: { file: string; sha256: string; bytes: number },
  s3env: NodeJS.ProcessEnv,
  s3: ReturnType<typeof createS3Client>,
) {
  const server = await startServer(APP_ARGS, {
    ...s3env,
    PORT: '0',
    PUBLIC_BASE_URL: `${s3env.S3_ENDPOINT}/${BUCKET}`,
    LOG_LEVEL: 'info',
  });
  try {
    // One item per upload: uploads to the same item replace (and delete) each other's images.
    const ids: number[] = [];
    for (let i = 0; i < 16; i++) ids.push(await createItem(server.url));
    const started = process.hrtime.bigint();
    const results = await Promise.allSettled(ids.map((id) => postFile(`${server.url}/inventory/${id}/image`, input.file, input.bytes)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peak = peakRssMB(server.child.pid!);
    let errors = 0;
    for (const r of results) {
      if (r.status !== 'fulfilled' || r.value.status !== 200) errors++;
      else if ((await sha256OfStoredThenDelete(s3, new URL(r.value.json.image_url).pathname.replace(`/${BUCKET}/`, ''))) !== input.sha256)
        errors++;
    }
    return { uploads: 16, seconds, mibPerSecond: (16 * input.bytes) / MiB / seconds, peakRssMB: peak, errors, singleUploadMiBPerSecond: 0 };
  } finally {
    await stop(server.child);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main() {
  compile();
  const work = await mkdtemp(path.join(tmpdir(), 'upload-bench-'));
  const embedded = await startEmbeddedS3({ port: 0, directory: path.join(work, 's3') });
  s3rverPid = embedded.process.pid!;
  const s3 = createS3Client({ region: 'us-east-1', endpoint: embedded.endpoint, forcePathStyle: true });
  await ensureBucket(s3, BUCKET);
  const s3env = { S3_ENDPOINT: embedded.endpoint, S3_BUCKET: BUCKET };
  const results: Measurement[] = [];
  // Over the app's single-request limit, so every server is warm on the path of the large files: parts.
  warmUpFile = (await makeFile(work, Math.ceil(DEFAULT_UPLOAD_TUNING.singleRequestMaxBytes / MiB) + 5)).file;
  try {
    for (const size of SIZES) {
      const input = await makeFile(work, size);
      // One untimed upload first, so no case pays for a cold page cache or a cold S3 server.
      await runCase(BASELINE, input, s3env, s3);
      for (let run = 0; run < runsOf(size); run++) {
        // Each repetition starts with a different case: whoever runs first after a pause is measured slower.
        const order = CASES.map((_, i) => CASES[(i + run) % CASES.length]!);
        for (const kind of order) {
          const m = await runCase(kind, input, s3env, s3);
          results.push({ size, ...m });
          console.error(
            `${size} MiB  ${kind.padEnd(13)} run ${run + 1}: ${m.seconds.toFixed(2)} s, ${(size / m.seconds).toFixed(1)} MiB/s, peak RSS ${m.peakRssMB.toFixed(0)} MB, CPU s ${formatCpu(m.cpu)}, sha256 ${m.sha256Ok ? 'ok' : 'MISMATCH'}`,
          );
        }
      }
      await rm(input.file);
    }
    const concurrency =
      (QUICK || PARTIAL) && !process.argv.includes('--concurrency')
        ? undefined
        : await (async () => {
            const input = await makeFile(work, 50);
            // The single-upload bound at this size, measured right before, in the same conditions.
            const times: number[] = [];
            for (let i = 0; i < 3; i++) times.push((await runCase(BASELINE, input, s3env, s3)).seconds);
            const single = median(times);
            const c = await concurrent(input, s3env, s3);
            c.singleUploadMiBPerSecond = input.bytes / MiB / single;
            console.error(
              `16 x 50 MiB through the app: ${c.mibPerSecond.toFixed(1)} MiB/s (one ${BASELINE} upload: ${c.singleUploadMiBPerSecond.toFixed(1)} MiB/s), peak RSS ${c.peakRssMB.toFixed(0)} MB, ${c.errors} errors`,
            );
            return c;
          })();
    const lists =
      (QUICK || PARTIAL) && !process.argv.includes('--lists')
        ? undefined
        : await benchInventoryList(s3, embedded.endpoint, async (env) => {
            const server = await startServer(APP_ARGS, env);
            return { url: server.url, stop: () => stop(server.child) };
          });
    for (const l of lists ?? [])
      console.error(
        `GET /inventory, ${l.items} items: unchanged ${l.unchangedMs.toFixed(0)} ms / ${l.unchangedRequests} S3 requests; 20 at once: ${l.twentyAtOnceMaxMs.toFixed(0)} ms`,
      );
    report(results, concurrency, lists);
  } finally {
    s3.destroy();
    await embedded.stop();
    await rm(work, { recursive: true, force: true });
  }
}

const formatCpu = (cpu: CpuSeconds) => `${cpu.uploader.toFixed(2)} / ${cpu.s3rver.toFixed(2)} / ${cpu.client.toFixed(2)}`;

interface Row {
  size: number;
  case: Case;
  seconds: number;
  mibPerSecond: number;
  ratio: number;
  peakRssMB: number;
  cpu: CpuSeconds;
  sha256Ok: boolean;
  runs: number;
}

function summarize(results: Measurement[]): Row[] {
  const rows: Row[] = [];
  for (const size of SIZES) {
    const limitSeconds = median(results.filter((r) => r.size === size && r.case === BASELINE).map((r) => r.seconds));
    for (const kind of CASES) {
      const runs = results.filter((r) => r.size === size && r.case === kind);
      const seconds = median(runs.map((r) => r.seconds));
      rows.push({
        size,
        case: kind,
        seconds,
        mibPerSecond: size / seconds,
        ratio: limitSeconds / seconds,
        peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
        cpu: {
          uploader: median(runs.map((r) => r.cpu.uploader)),
          s3rver: median(runs.map((r) => r.cpu.s3rver)),
          client: median(runs.map((r) => r.cpu.client)),
        },
        sha256Ok: runs.every((r) => r.sha256Ok),
        runs: runs.length,
      });
    }
  }
  return rows;
}

function report(results: Measurement[], concurrency?: Awaited<ReturnType<typeof concurrent>>, lists?: ListMeasurement[]) {
  const rows = summarize(results);
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const machine = `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const label = (size: number) => (size >= 1024 ? `${size / 1024} GiB` : `${size} MiB`);
  const table = [
    `| file | case | seconds (median) | MiB/s | ratio to ${BASELINE} | peak RSS (MB) | CPU seconds: uploader / s3rver / client (medians) | sha256 | runs |`,
    '|---:|---|---:|---:|---:|---:|---:|:---:|---:|',
    ...rows.map(
      (r) =>
        `| ${label(r.size)} | ${r.case} | ${r.seconds.toFixed(2)} | ${r.mibPerSecond.toFixed(1)} | ${r.ratio.toFixed(2)} | ${r.peakRssMB.toFixed(0)} | ${formatCpu(r.cpu)} | ${r.sha256Ok ? 'ok' : '**mismatch**'} | ${r.runs} |`,
    ),
  ].join('\n');
  const concurrencyText = concurrency
    ? `16 concurrent 50 MiB uploads through the app: ${concurrency.mibPerSecond.toFixed(1)} MiB/s in total (one ${BASELINE} upload of the same file alone: ${concurrency.singleUploadMiBPerSecond.toFixed(1)} MiB/s), peak RSS ${concurrency.peakRssMB.toFixed(0)} MB, ${concurrency.errors} errors (${concurrency.seconds.toFixed(1)} s).`
    : 'Concurrency run skipped (--quick).';
  const listTable = lists
    ? [
        '| items | first load of the first process (no index yet) | first load of a new process (index present) | unchanged load (median of 7) | after another app process changed one item | slowest of 20 loads at once, right after another change |',
        '|---:|---:|---:|---:|---:|---:|',
        ...lists.map(
          (l) =>
            `| ${l.items} | ${l.firstLoadMs.toFixed(0)} ms, ${l.firstLoadRequests} S3 requests | ${l.newProcessFirstLoadMs.toFixed(0)} ms, ${l.newProcessFirstLoadRequests} S3 requests | ${l.unchangedMs.toFixed(0)} ms, ${l.unchangedRequests} S3 requests | ${l.afterOneChangeMs.toFixed(0)} ms, ${l.afterOneChangeRequests} S3 requests | ${l.twentyAtOnceMaxMs.toFixed(0)} ms |`,
        ),
      ].join('\n')
    : '';
  console.log(`\n${table}\n\n${concurrencyText}\n\n${listTable}\n`);
  if (QUICK || PARTIAL) return; // quick and partial runs are for tuning; only a full run rewrites the report

  // The targets, checked against this run's numbers.
  const at = (size: number, kind: Case) => rows.find((r) => r.size === size && r.case === kind)!;
  const checks: [string, string, boolean][] = [
    ...SIZES.map((size): [string, string, boolean] => [
      `app >= multer-s3 at ${label(size)}`,
      `${at(size, 'app').ratio.toFixed(2)} vs ${at(size, 'multer-s3').ratio.toFixed(2)}`,
      at(size, 'app').seconds <= at(size, 'multer-s3').seconds,
    ]),
    ...SIZES.filter((size) => size >= 100).map((size): [string, string, boolean] => [
      `app >= 0.95 x ${BASELINE} at ${label(size)}`,
      at(size, 'app').ratio.toFixed(2),
      at(size, 'app').ratio >= 0.95,
    ]),
    [
      'peak RSS of one 1 GiB upload <= 160 MB',
      `${at(1024, 'app')?.peakRssMB.toFixed(0)} MB`,
      (at(1024, 'app')?.peakRssMB ?? Infinity) <= 160,
    ],
    ...(concurrency
      ? ([
          ['16 x 50 MiB: peak RSS <= 350 MB', `${concurrency.peakRssMB.toFixed(0)} MB`, concurrency.peakRssMB <= 350],
          ['16 x 50 MiB: 0 errors', String(concurrency.errors), concurrency.errors === 0],
          [
            '16 x 50 MiB: total throughput >= the single-upload bound',
            `${concurrency.mibPerSecond.toFixed(1)} vs ${concurrency.singleUploadMiBPerSecond.toFixed(1)} MiB/s`,
            concurrency.mibPerSecond >= concurrency.singleUploadMiBPerSecond,
          ],
        ] as [string, string, boolean][])
      : []),
    ...(lists ?? []).flatMap((l): [string, string, boolean][] => [
      ...(l.items <= 2000
        ? ([
            [
              `GET /inventory, ${l.items} items: a new process's first load <= 1 s and <= 5 S3 requests`,
              `${l.newProcessFirstLoadMs.toFixed(0)} ms, ${l.newProcessFirstLoadRequests} requests`,
              l.newProcessFirstLoadMs <= 1000 && l.newProcessFirstLoadRequests <= 5,
            ],
          ] as [string, string, boolean][])
        : []),
      [`GET /inventory, ${l.items} items unchanged: median <= 200 ms`, `${l.unchangedMs.toFixed(0)} ms`, l.unchangedMs <= 200],
      [
        `GET /inventory, ${l.items} items: S3 requests <= 3 + changed`,
        `${l.unchangedRequests} unchanged, ${l.afterOneChangeRequests} after one change`,
        l.unchangedRequests <= 3 && l.afterOneChangeRequests <= 4,
      ],
      [
        `GET /inventory, ${l.items} items: 20 loads at once all within 2 s`,
        `${l.twentyAtOnceMaxMs.toFixed(0)} ms`,
        l.twentyAtOnceMaxMs <= 2000,
      ],
    ]),
  ];
  const checkTable = [
    '| target | this run | met |',
    '|---|---|:---:|',
    ...checks.map(([what, value, ok]) => `| ${what} | ${value} | ${ok ? 'yes' : '**no**'} |`),
  ].join('\n');

  writeFileSync(path.join(ROOT, 'docs', 'benchmarks.svg'), renderChart(rows, machine));
  const doc = readFileSync(path.join(ROOT, 'docs', 'benchmarks.md'), 'utf8');
  const begin = '<!-- BEGIN BENCH OUTPUT -->';
  const end = '<!-- END BENCH OUTPUT -->';
  const generated = [
    begin,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}. The app: \`node ${APP_ARGS.slice(0, -1).join(' ')}\`, files up to ${DEFAULT_UPLOAD_TUNING.singleRequestMaxBytes / MiB} MiB in one PutObject, larger ones in ${DEFAULT_UPLOAD_TUNING.partSize / MiB} MiB parts, up to ${DEFAULT_UPLOAD_TUNING.partsPerUpload} in flight per upload and ${DEFAULT_UPLOAD_TUNING.partsInFlight} for the whole app.`,
    '',
    '### Uploads',
    '',
    table,
    '',
    concurrencyText,
    '',
    '![Throughput and peak RSS against file size](benchmarks.svg)',
    '',
    '### The inventory list',
    '',
    listTable,
    '',
    '### Targets',
    '',
    checkTable,
    '',
    end,
  ].join('\n');
  writeFileSync(
    path.join(ROOT, 'docs', 'benchmarks.md'),
    doc.slice(0, doc.indexOf(begin)) + generated + doc.slice(doc.indexOf(end) + end.length),
  );
}

void main();
