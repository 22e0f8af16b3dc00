/** The processes a benchmark drives: a server started as users start it, and a browser-like file POST. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const MiB = 1024 * 1024;
/** Where the benchmarks' build goes (bench/tsconfig.json's outDir): the app and the benchmarks' own servers. */
export const BUILD = path.join(ROOT, '.bench-build');

/** Compiles the app and the benchmarks into BUILD, so the app runs as plain node, as in production. */
export function compile(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'bench', 'tsconfig.json')], {
    stdio: 'inherit',
  });
}

/** The compiled app's node arguments: `npm run start:prod`'s flags (the Dockerfile's CMD is the same). */
export function appArgs(): string[] {
  const [node, ...args] = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts['start:prod'] as string).split(' ');
  if (node !== 'node' || args.at(-1) !== 'web/dist/server.js') throw new Error('start:prod is no longer node [flags] web/dist/server.js');
  return [...args.slice(0, -1), path.join(BUILD, 'web/src/server.js')];
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts a server process that prints a JSON line with its URL (the app logs `"url"`). */
export function startServer(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server ${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

/** Streams a file from disk as a multipart/form-data POST; resolves with the parsed JSON answer. */
export function postFile(url: string, file: string, bytes: number): Promise<{ status: number; json: any }> {
  // What Chromium sends (16 random characters after its prefix): busboy's search cost depends on its length.
  const boundary = `----WebKitFormBoundary${randomBytes(12).toString('base64url').slice(0, 16)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="image_file"; filename="bench.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': head.length + bytes + tail.length },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text || '{}') }));
      },
    );
    req.on('error', reject);
    req.write(head);
    createReadStream(file, { highWaterMark: MiB })
      .on('end', () => req.end(tail))
      .pipe(req, { end: false });
  });
}
