// Group commit: units of work queued in the same tick run in one SQLite transaction, each inside
// its own savepoint, and their promises settle only after the commit is durable. With
// synchronous=FULL a commit costs an fsync (about 0.4 ms here); sharing it between concurrent
// signers keeps every acknowledged signature on disk without capping throughput at one fsync each.
import type { Db } from './client.js';

interface Job {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: Job[] = [];
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 500,
  ) {}

  /** Runs fn atomically; resolves with its result once the transaction holding it has committed. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves when every queued unit of work has been committed (used at shutdown). */
  drain(): Promise<void> {
    if (this.queue.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) this.schedule();
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const client = this.db.$client;
    try {
      client
        .transaction(() => {
          for (const job of batch) {
            try {
              // A nested better-sqlite3 transaction is a savepoint: one failure rolls back only itself.
              outcomes.push({ ok: true, value: client.transaction(job.fn)() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const job of batch) job.reject(error);
      this.notifyIdle();
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) job.resolve(outcome.value);
      else job.reject(outcome ? outcome.error : new Error('unit of work did not run'));
    });
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.queue.length > 0 || this.scheduled) return;
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }
}
