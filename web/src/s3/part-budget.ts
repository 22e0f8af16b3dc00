/**
 * Upload memory, bounded for the whole process whatever the number of clients. Each upload that is reading
 * its body holds part-sized buffers (the parts in flight, and the one being filled), so the budget caps both:
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
