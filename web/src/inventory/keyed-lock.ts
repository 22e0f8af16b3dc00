/**
 * Runs tasks one at a time per key, in arrival order, inside this process. S3's conditional writes keep
 * replicas from overwriting each other; this keeps a single process correct too on S3 servers that ignore
 * conditions (s3rver, behind `npm start`), and spares it retries.
 */
export class KeyedLock<K> {
  private readonly tails = new Map<K, Promise<unknown>>();

  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
