// Read models kept in memory while the database has not changed. Any write this process makes
// moves the change mark and invalidates everything at once, so answers are never stale for
// changes made here; writes from other processes (the CLI) are picked up within maxAgeMs.
// A spike of readers then costs one rebuild per write, not one per request.

interface Entry<T> {
  value: T;
  mark: number;
  at: number;
}

export interface FreshCacheOptions {
  /** Moves whenever the data the values are built from may have changed. */
  changeMark: () => number;
  maxAgeMs: number;
  /** Oldest entries are dropped beyond this (keys include cursors, which are unbounded). */
  maxEntries: number;
  /** Monotonic milliseconds. */
  clock?: () => number;
}

export class FreshCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly clock: () => number;

  constructor(private readonly options: FreshCacheOptions) {
    this.clock = options.clock ?? (() => performance.now());
  }

  /** The cached value for key if still fresh, else load() (failures are not cached). */
  async get(key: string, load: () => Promise<T>): Promise<T> {
    // Read before loading: a write during the load leaves an older mark, so the next call reloads.
    const mark = this.options.changeMark();
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.mark === mark && now - hit.at < this.options.maxAgeMs) return hit.value;
    const value = await load();
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, mark, at: now });
    return value;
  }
}
