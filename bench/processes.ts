/** The processes a benchmark drives: a server started as users start it, and a browser-like file POST. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const MiB = 1024 * 1024;

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
