/**
 * The app's one bucket: every S3 call the app makes goes through here. Each call has a deadline, so a hung
 * S3 turns into a timeout failure rather than a hung request, and failures come out as S3Failure kinds.
 */
import {
  CompleteMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type GetObjectCommandOutput,
  type HeadObjectCommandOutput,
  type ListObjectsV2CommandOutput,
  type PutObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import { S3Failure, isNotFound, s3FailureKind } from './errors';
import { PartBuffers, type PartBudget } from './upload-memory';

export interface ListedObject {
  key: string;
  etag: string;
  lastModified: Date;
}

/** A conditional write: create only if absent, or replace only the version that was read. */
export type WriteCondition = { ifAbsent: true } | { ifMatch: string };

export interface StreamingUpload {
  /** Resolves once S3 has committed the object, with the bytes of the body S3 stored (parts or one request). */
  done: Promise<{ sentBytes: number }>;
  /** Aborts the upload, whether one PutObject or a multipart upload: no part stays stored, nothing is committed. */
  abort(): Promise<void>;
}

export interface UploadTuning {
  /** Bytes per S3 part (S3 accepts no less than 5 MiB). Memory is about partSize x parts in flight. */
  partSize: number;
  /** A file known to be no larger than this is sent in one PutObject, buffered whole, instead of in parts. */
  singleRequestMaxBytes: number;
  /** Parts in flight across all uploads of the process. */
  partsInFlight: number;
  /** Parts in flight for one upload at most. */
  partsPerUpload: number;
  /** Uploads reading their body at once; the others wait for a turn. */
  streams: number;
}

/** Reads of one JSON object before a torn or dropped read counts as a failure. */
const READ_ATTEMPTS = 4;

export class Bucket {
  constructor(
    readonly s3: S3Client,
    readonly name: string,
    /** Deadline of one call, retries included. */
    readonly timeoutMs: number,
  ) {}

  async getJson<T>(key: string): Promise<{ value: T; etag: string } | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const object = await this.call<GetObjectCommandOutput, { etag: string; text: string }>(
          new GetObjectCommand({ Bucket: this.name, Key: key }),
          async (output) => ({
            etag: output.ETag!,
            text: await output.Body!.transformToString('utf-8'),
          }),
        );
        return { value: JSON.parse(object.text) as T, etag: object.etag };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        // S3 writes are atomic, but S3-compatible servers (s3rver) can serve an object while it is being
        // rewritten, or drop the connection mid-body: read again, briefly, before calling it a failure.
        if (attempt < READ_ATTEMPTS && (err instanceof SyntaxError || (err as { code?: unknown }).code === 'ECONNRESET')) {
          await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
          continue;
        }
        throw err;
      }
    }
  }

  /** The object's current ETag (strongly consistent, as every S3 read), or undefined when there is none. */
  async etagOf(key: string): Promise<string | undefined> {
    return (await this.head(key))?.ETag;
  }

  /** The size S3 reports for the object, or undefined when there is none. */
  async sizeOf(key: string): Promise<number | undefined> {
    return (await this.head(key))?.ContentLength;
  }

  private async head(key: string): Promise<HeadObjectCommandOutput | undefined> {
    try {
      return await this.call<HeadObjectCommandOutput>(new HeadObjectCommand({ Bucket: this.name, Key: key }));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Writes a JSON object; with a condition, S3 refuses (precondition-failed) when another write got there first. */
  putJson(key: string, value: unknown, condition?: WriteCondition): Promise<string> {
    return this.putBytes(key, JSON.stringify(value), { contentType: 'application/json', cacheControl: 'no-store' }, condition);
  }

  /** Writes a small object in one request (it is held in memory whole); returns its ETag. */
  async putBytes(
    key: string,
    body: Buffer | string,
    metadata: { contentType: string; cacheControl: string },
    condition?: WriteCondition,
  ): Promise<string> {
    const output = await this.call<PutObjectCommandOutput>(
      new PutObjectCommand({
        Bucket: this.name,
        Key: key,
        Body: body,
        ContentType: metadata.contentType,
        CacheControl: metadata.cacheControl,
        IfNoneMatch: condition && 'ifAbsent' in condition ? '*' : undefined,
        IfMatch: condition && 'ifMatch' in condition ? condition.ifMatch : undefined,
      }),
    ).catch((err: unknown) => {
      // If-Match on an object deleted meanwhile answers 404: for the writer it is the same lost race.
      if (condition && 'ifMatch' in condition && isNotFound(err))
        throw new S3Failure('precondition-failed', `${key} is gone`, { cause: err });
      throw err;
    });
    return output.ETag!;
  }

  /**
   * Deletes an object; with `ifMatch`, only the version read (precondition-failed when it changed). S3 checks
   * the condition atomically. LocalStack (4.14) answers 501 NotImplemented to a conditional delete on a general
   * purpose bucket: there, and from then on for this bucket, the ETag is read and compared first, then the object
   * deleted unconditionally. The caller holds the item's lock, so only another replica could slip a write into
   * that gap.
   */
  async delete(key: string, condition?: { ifMatch: string }): Promise<void> {
    if (condition && this.conditionalDeletes !== 'unsupported') {
      try {
        await this.call(new DeleteObjectCommand({ Bucket: this.name, Key: key, IfMatch: condition.ifMatch }));
        return;
      } catch (err) {
        if ((err as { name?: unknown }).name !== 'NotImplemented') throw err;
        this.conditionalDeletes = 'unsupported';
      }
    }
    if (condition && (await this.etagOf(key)) !== condition.ifMatch)
      throw new S3Failure('precondition-failed', `${key} changed or is gone`);
    await this.call(new DeleteObjectCommand({ Bucket: this.name, Key: key }));
  }

  /** Whether this S3 checks If-Match on DeleteObject (LocalStack does not), learnt from its first answer. */
  private conditionalDeletes: 'supported' | 'unsupported' = 'supported';

  async deleteMany(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      await this.call(new DeleteObjectsCommand({ Bucket: this.name, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
    }
  }

  /**
   * Every object under a prefix (one request per 1000), with its ETag: S3 listings are strongly consistent.
   * `startAfter` skips the keys up to it (keys list in UTF-8 byte order).
   */
  async list(
    prefix: string,
    { limit = Infinity, timeoutMs = this.timeoutMs, startAfter }: { limit?: number; timeoutMs?: number; startAfter?: string } = {},
  ): Promise<ListedObject[]> {
    const objects: ListedObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.call<ListObjectsV2CommandOutput>(
        new ListObjectsV2Command({
          Bucket: this.name,
          Prefix: prefix,
          ContinuationToken: token,
          StartAfter: startAfter,
          MaxKeys: Number.isFinite(limit) ? limit : undefined,
        }),
        undefined,
        timeoutMs,
      );
      for (const o of page.Contents ?? []) objects.push({ key: o.Key!, etag: o.ETag!, lastModified: o.LastModified ?? new Date(0) });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && objects.length < limit);
    return objects;
  }

  /**
   * Streams a body into a new object: in one PutObject when it ends within the first part, else in parts that
   * leave while the body is still arriving. Silence is bounded by the client's socket timeout rather than a
   * deadline, since a large upload may legitimately take long. `beforeCommit` is called with the bytes S3 is
   * about to hold, right before the request that commits the object (the PutObject, or the completion of the
   * multipart upload); when it throws, nothing is committed and the multipart upload is aborted.
   */
  upload(
    key: string,
    body: Readable,
    metadata: { contentType: string; cacheControl: string },
    partSize: number,
    budget: PartBudget,
    beforeCommit: (sentBytes: number) => void,
  ): StreamingUpload {
    const sent = new SentBytes();
    const upload = new Upload({
      client: this.budgeted(budget, new PartBuffers(partSize), sent, beforeCommit),
      params: {
        Bucket: this.name,
        Key: key,
        Body: body,
        ContentType: metadata.contentType,
        CacheControl: metadata.cacheControl,
        // Every part (or the one PutObject) carries its CRC32, which S3 verifies and keeps with the object. lib-storage
        // sends buffers, so the checksum goes in a header (no aws-chunked body, see client.ts).
        ChecksumAlgorithm: 'CRC32',
      },
      partSize,
      queueSize: budget.queueSize(),
      leavePartsOnError: false,
    });
    const done = upload.done().then(
      () => ({ sentBytes: sent.total }),
      (err: unknown) => {
        throw this.translate(err);
      },
    );
    return { done, abort: () => upload.abort().catch(() => undefined) };
  }

  /**
   * The client as lib-storage sees it: every request that carries a part waits for a slot of the budget, a
   * part's buffer is freed as soon as it is no longer needed, the bytes S3 stored are counted, and the commit
   * goes ahead only if `beforeCommit` agrees.
   */
  private budgeted(budget: PartBudget, parts: PartBuffers, sent: SentBytes, beforeCommit: (sentBytes: number) => void): S3Client {
    const { s3 } = this;
    const send = async (command: { input: unknown }, options?: unknown) => {
      const sendNow = () => s3.send(command as never, options as never);
      if (command instanceof UploadPartCommand) {
        const { PartNumber, Body } = command.input;
        return sent.counting(Body, () => parts.send(PartNumber!, Body, () => budget.run(sendNow)));
      }
      if (command instanceof PutObjectCommand) {
        beforeCommit(sent.total + byteLengthOf(command.input.Body));
        return sent.counting(command.input.Body, () => budget.run(sendNow));
      }
      if (command instanceof CompleteMultipartUploadCommand) beforeCommit(sent.total);
      return sendNow();
    };
    return new Proxy(s3, { get: (target, property, receiver) => (property === 'send' ? send : Reflect.get(target, property, receiver)) });
  }

  private async call<O, R = O>(command: { input: unknown }, read?: (output: O) => Promise<R>, timeoutMs = this.timeoutMs): Promise<R> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const output = (await this.s3.send(command as never, { abortSignal: signal })) as O;
      return read ? await read(output) : (output as unknown as R);
    } catch (err) {
      throw signal.aborted ? new S3Failure('timeout', `S3 did not answer within ${timeoutMs} ms`, { cause: err }) : this.translate(err);
    }
  }

  private translate(err: unknown): unknown {
    if (err instanceof S3Failure) return err;
    if (s3FailureKind(err) === 'missing-bucket')
      return new S3Failure('missing-bucket', `Bucket "${this.name}" does not exist`, { cause: err });
    return err;
  }
}

/** Bytes of request bodies that S3 acknowledged. */
class SentBytes {
  total = 0;

  async counting<T>(body: unknown, request: () => Promise<T>): Promise<T> {
    // Measured before sending: a part's buffer may be freed (read as empty) once S3 has it.
    const bytes = byteLengthOf(body);
    const output = await request();
    this.total += bytes;
    return output;
  }
}

/** lib-storage hands parts over as buffers (or a string, for a string body); any other body counts as NaN, which no check accepts. */
function byteLengthOf(body: unknown): number {
  if (body instanceof Uint8Array) return body.byteLength;
  if (typeof body === 'string') return Buffer.byteLength(body);
  return Number.NaN;
}
