/**
 * Upload memory: each upload that is reading its body holds part-sized buffers (the parts in flight, and the
 * one being filled). PartBudget bounds them for the whole process whatever the number of clients, and
 * PartBuffers gives each part's memory back as soon as S3 has it.
 */

/**
 * The budget caps both:
 * - how many uploads stream at once: the others wait for a turn before reading a byte (their clients' sends
 *   back up in TCP, and their idle timeout has not started);
 * - how many parts are in flight at once, shared in arrival order: a lone upload gets `partsPerUpload`,
 *   concurrent ones a share of `partsInFlight`, at least one each.
 */
export class PartBudget {
  private inFlight = 0;
  private readonly waitingParts: (() => void)[] = [];
  private streaming = 0;
  private readonly waitingStreams: (() => void)[] = [];

  constructor(
    /** Parts in flight across all uploads. */
    readonly partsInFlight: number,
    /** The most parts one upload may keep in flight (and buffered): more stops paying off. */
    readonly partsPerUpload: number,
    /** Uploads reading their body at once. */
    readonly streams: number,
  ) {}

  /** Waits for a turn to stream (rejects with the signal's reason if it aborts first); resolves with its release. */
  async admit(signal?: AbortSignal): Promise<() => void> {
    if (this.streaming >= this.streams) {
      await new Promise<void>((resolve, reject) => {
        const turn = () => {
          signal?.removeEventListener('abort', giveUp);
          resolve();
        };
        const giveUp = () => {
          this.waitingStreams.splice(this.waitingStreams.indexOf(turn), 1);
          reject(signal!.reason);
        };
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener('abort', giveUp, { once: true });
        this.waitingStreams.push(turn);
      });
    } else this.streaming++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waitingStreams.shift();
      if (next)
        next(); // the turn passes straight to the next upload
      else this.streaming--;
    };
  }

  /** Parts an upload starting now may keep in flight: its share of the budget among the uploads streaming. */
  queueSize(): number {
    return Math.max(1, Math.min(this.partsPerUpload, Math.floor(this.partsInFlight / Math.max(1, this.streaming))));
  }

  /** Runs one part's request once a slot is free. */
  async run<T>(send: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.partsInFlight) await new Promise<void>((resolve) => this.waitingParts.push(resolve));
    else this.inFlight++;
    try {
      return await send();
    } finally {
      const next = this.waitingParts.shift();
      if (next) next();
      else this.inFlight--;
    }
  }
}

/**
 * Gives a part's memory back as soon as S3 has stored it, instead of whenever V8 next runs a full collection.
 *
 * Why: lib-storage assembles each part of a streamed body into a buffer of its own (5 MiB and up). The buffer
 * outlives two young-generation collections while its request is in flight, so it is promoted, and only a full
 * mark-compact frees it: until then each dead part stays resident, and the garbage of one upload grows to tens
 * of MB before V8 collects it (docs/benchmarks.md). Detaching the buffer (a transfer to a copy that nobody
 * keeps) frees its bytes at once.
 *
 * When a buffer is safe to free, given how lib-storage fills it: part k is a view of a buffer that also holds
 * the first bytes of part k+1, carried over until part k+1 is assembled (copied then, or sent as it is when
 * they are the whole last part). So part k's buffer is freed once part k's request has succeeded, part k+1
 * has been handed out, and no request in flight sends from that buffer. A buffer of two parts or more could
 * hold parts that are not handed out yet (a body given whole, not streamed), so it is never freed here.
 */
export class PartBuffers {
  /** Requests in flight, per buffer they send from. */
  private readonly sending = new Map<ArrayBufferLike, number>();
  /** Buffers of parts stored by S3, by part number, until they can be freed. */
  private readonly stored = new Map<number, ArrayBufferLike>();
  private lastPartHandedOut = 0;

  constructor(private readonly partSize: number) {}

  /** Runs the request of part `partNumber`, whose body is `body`, and frees what it makes free. */
  async send<T>(partNumber: number, body: unknown, request: () => Promise<T>): Promise<T> {
    this.lastPartHandedOut = Math.max(this.lastPartHandedOut, partNumber);
    const buffer = body instanceof Uint8Array && body.buffer.byteLength < 2 * this.partSize ? body.buffer : undefined;
    if (!buffer) return request();
    this.sending.set(buffer, (this.sending.get(buffer) ?? 0) + 1);
    this.freeWhatIsDone();
    try {
      const output = await request();
      // Only a stored part is ever freed: a failed one is left to the garbage collector (the upload is aborted,
      // and a retry is lib-storage's call).
      this.stored.set(partNumber, buffer);
      return output;
    } finally {
      this.sending.set(buffer, this.sending.get(buffer)! - 1);
      this.freeWhatIsDone();
    }
  }

  private freeWhatIsDone(): void {
    for (const [partNumber, buffer] of this.stored) {
      if (partNumber >= this.lastPartHandedOut || this.sending.get(buffer)! > 0) continue;
      this.stored.delete(partNumber);
      this.sending.delete(buffer);
      free(buffer);
    }
  }
}

/** Detaches the buffer: its bytes are freed now, and every view of it reads as empty from then on. */
function free(buffer: ArrayBufferLike): void {
  if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) structuredClone(buffer, { transfer: [buffer] });
}
