// The one cache of the app: values kept in memory while the data they were built from cannot
// have changed. A write this process commits moves the store's change mark and invalidates
// every entry at once, so a process never serves stale data after its own writes; writes from
// other processes (another worker, the CLI) are picked up within maxAgeMs. A spike of readers
// then costs one rebuild per write, not one per request.
//
// Time comes from an injected clock (the app's), so tests expire entries by moving the clock
// instead of sleeping.

interface Entry<T> {
  value: T;
  mark: number;
  at: number;
}

export interface FreshCacheOptions {
  /** Moves whenever the data the values are built from may have changed. */
  changeMark: () => number;
  /** Milliseconds: the bound on how stale a value can be for writes this process cannot see. */
  maxAgeMs: number;
  /** Oldest entries are dropped beyond this (keys may include cursors, which are unbounded). */
  maxEntries: number;
  /** Milliseconds since some fixed point. */
  clock: () => number;
}

export class FreshCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Loads under way, so readers arriving meanwhile wait for them instead of loading again. */
  private readonly loading = new Map<string, { mark: number; at: number; value: Promise<T> }>();

  constructor(private readonly options: FreshCacheOptions) {}

  /**
   * The cached value for key if still fresh, else what load() returns (failures are not cached).
   * load() is given the stale value, if any, so it can hand back the same object when nothing
   * it depends on has changed (callers key encodings on the object). Readers asking while a load
   * is under way share it, as long as nothing was written since it began: a spike of readers
   * costs one load, not one per reader.
   */
  async get(key: string, load: (stale: T | undefined) => Promise<T>): Promise<T> {
    // Read before loading: a write during the load leaves an older mark, so the next call reloads.
    const mark = this.options.changeMark();
    const now = this.options.clock();
    const hit = this.entries.get(key);
    if (hit && this.fresh(hit, mark, now)) return hit.value;
    const pending = this.loading.get(key);
    if (pending && this.fresh(pending, mark, now)) return pending.value;
    const value = load(hit?.value);
    const flight = { mark, at: now, value };
    this.loading.set(key, flight);
    try {
      const loaded = await value;
      this.remember(key, { value: loaded, mark, at: now });
      return loaded;
    } finally {
      if (this.loading.get(key) === flight) this.loading.delete(key);
    }
  }

  private fresh(entry: { mark: number; at: number }, mark: number, now: number): boolean {
    return entry.mark === mark && now >= entry.at && now - entry.at < this.options.maxAgeMs;
  }

  private remember(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
  }
}
