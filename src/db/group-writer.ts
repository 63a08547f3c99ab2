/**
 * Group commit in the application: writes that arrive while one is in flight wait for it and then
 * go together, as one statement and one commit. Under light load every write goes at once, alone
 * (no timer, no added latency); under load the number of statements and commits — each commit an
 * fsync on the server — falls with the concurrency instead of growing with it.
 *
 * `write` answers one result per item, in order. If a grouped write fails, its items are retried
 * one by one, so that one bad item fails only its own caller.
 */
export class GroupWriter<T, R = void> {
  private readonly queue: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;
  private readonly write: (items: T[]) => Promise<R[]>;
  private readonly maxGroup: number;

  constructor(write: (items: T[]) => Promise<R[]>, maxGroup = 500) {
    this.write = write;
    this.maxGroup = maxGroup;
  }

  /** Resolves with the item's result once it is written (committed). */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxGroup);
      try {
        const results = await this.write(group.map((entry) => entry.item));
        for (const [index, entry] of group.entries()) entry.resolve(results[index] as R);
      } catch (error) {
        if (group.length === 1) {
          group[0]!.reject(error);
          continue;
        }
        for (const entry of group) {
          try {
            const [result] = await this.write([entry.item]);
            entry.resolve(result as R);
          } catch (single) {
            entry.reject(single);
          }
        }
      }
    }
    this.flushing = false;
  }
}

/** One group writer per database handle (and key), made on first use. */
export function groupWriterOf<T, R>(
  writers: WeakMap<object, GroupWriter<T, R>>,
  db: object,
  make: () => GroupWriter<T, R>,
): GroupWriter<T, R> {
  let writer = writers.get(db);
  if (!writer) {
    writer = make();
    writers.set(db, writer);
  }
  return writer;
}
