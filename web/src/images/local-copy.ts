/**
 * A copy on local disk of a file that streams somewhere else, so the file can be read again after it has gone
 * (to make its thumbnails) without holding it in memory or downloading it back from S3. The copy is best
 * effort: if the disk fails, the stream goes on unharmed and the copy reports itself missing.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';

export class LocalCopy {
  readonly path = join(tmpdir(), `inventory-upload-${randomUUID()}`);
  private readonly file: WriteStream;
  private failure: Error | undefined;
  /** Set while the disk is behind: called when it has caught up, to take the next chunk. */
  private waitingForDisk: (() => void) | undefined;
  private readonly closed: Promise<void>;
  /** Pipe the file through this: what comes out is what went in, and it is written to `path` on the way. */
  readonly tee: Transform;

  constructor() {
    // Up to this much may wait for the disk without holding up the stream (a few ms of a fast upload).
    this.file = createWriteStream(this.path, { highWaterMark: 1024 * 1024 });
    this.closed = new Promise((resolve) => this.file.once('close', resolve));
    this.file.on('error', (err) => {
      this.failure = err;
      this.resume();
    });
    this.tee = new Transform({
      transform: (chunk: Buffer, _encoding, next: TransformCallback) => {
        if (this.failure || this.file.write(chunk)) return next(null, chunk);
        // The chunk goes on at once; the next one waits until the disk has caught up.
        this.tee.push(chunk);
        this.waitingForDisk = () => next();
        this.file.once('drain', () => this.resume());
      },
      flush: (done) => {
        this.file.end();
        done();
      },
    });
  }

  /** Once the stream has ended: the path of the complete copy, or undefined if the disk failed. */
  async complete(): Promise<string | undefined> {
    await this.closed;
    return this.failure ? undefined : this.path;
  }

  async remove(): Promise<void> {
    this.file.destroy();
    await this.closed;
    await rm(this.path, { force: true });
  }

  private resume() {
    const pass = this.waitingForDisk;
    this.waitingForDisk = undefined;
    pass?.();
  }
}
