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

  constructor(private readonly options: FreshCacheOptions) {}

  /**
   * The cached value for key if still fresh, else what load() returns (failures are not cached).
   * load() is given the stale value, if any, so it can hand back the same object when nothing
   * it depends on has changed (callers key encodings on the object).
   */
  async get(key: string, load: (stale: T | undefined) => Promise<T>): Promise<T> {
    // Read before loading: a write during the load leaves an older mark, so the next call reloads.
    const mark = this.options.changeMark();
    const now = this.options.clock();
    const hit = this.entries.get(key);
    if (hit && hit.mark === mark && now >= hit.at && now - hit.at < this.options.maxAgeMs) return hit.value;
    const value = await load(hit?.value);
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, mark, at: now });
    return value;
  }
}
