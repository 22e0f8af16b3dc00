/**
 * How many multipart parts all uploads of this process send to S3 at once. Each part in flight holds a
 * part-sized buffer, so this budget is what bounds upload memory, however many clients upload at once;
 * it also shares S3 bandwidth fairly, in arrival order.
 */
export class PartBudget {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];
  private uploads = 0;

  constructor(
    /** Parts in flight across all uploads. */
    readonly total: number,
    /** The most parts one upload may keep in flight (and buffered): more stops paying off. */
    readonly perUpload: number,
  ) {}

  /**
   * The parallelism for an upload that starts now: a lone upload gets `perUpload`; under load each new one
   * gets its share of what is left, at least one. Call `release` when the upload ends.
   */
  begin(): { queueSize: number; release: () => void } {
    this.uploads++;
    const queueSize = Math.max(1, Math.min(this.perUpload, Math.floor(this.total / this.uploads)));
    let released = false;
    return {
      queueSize,
      release: () => {
        if (!released) this.uploads--;
        released = true;
      },
    };
  }

  /** Runs one part's request once a slot is free. */
  async run<T>(send: () => Promise<T>): Promise<T> {
    if (this.inUse >= this.total) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inUse++;
    try {
      return await send();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next part
      else this.inUse--;
    }
  }
}
