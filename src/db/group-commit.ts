// Group commit for SQLite: units of work queued in the same tick run in one transaction, each
// inside its own savepoint, and their promises settle only after the commit is durable. With
// synchronous=FULL a commit costs an fsync (about 0.4 ms here); sharing it between concurrent
// signers keeps every acknowledged signature on disk without capping throughput at one fsync each.
//
// Units of work are async functions over drizzle queries, which better-sqlite3 runs
// synchronously: awaiting one settles within the same turn of the event loop, so nothing else
// runs on the connection while the transaction is open. A unit of work that awaits real I/O
// would break that; it is caught (the probe below) and fails instead of committing half-done.
import type Database from 'better-sqlite3';

interface Job {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class UnitOfWorkAwaitedIo extends Error {
  constructor() {
    super('a unit of work awaited I/O inside a SQLite transaction (units of work must be SQL only)');
  }
}

export class GroupCommit {
  private queue: Job[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly client: Database.Database,
    private readonly maxBatch = 500,
  ) {}

  /** Runs work atomically; resolves with its result once the transaction holding it has committed. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves when every queued unit of work has been committed (used at shutdown). */
  drain(): Promise<void> {
    if (this.queue.length === 0 && !this.scheduled && !this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.queue.length > 0) this.schedule();
        else this.notifyIdle();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    // Fires only if the event loop turns while the transaction is open.
    let turned = false;
    const probe = setImmediate(() => {
      turned = true;
    });
    try {
      this.client.exec('BEGIN IMMEDIATE');
      try {
        for (const job of batch) {
          this.client.exec('SAVEPOINT unit_of_work');
          try {
            const value = await job.work();
            if (turned) throw new UnitOfWorkAwaitedIo();
            this.client.exec('RELEASE unit_of_work');
            outcomes.push({ ok: true, value });
          } catch (error) {
            // One failure rolls back only itself.
            this.client.exec('ROLLBACK TO unit_of_work; RELEASE unit_of_work');
            outcomes.push({ ok: false, error });
          }
        }
        this.client.exec('COMMIT');
      } catch (error) {
        if (this.client.inTransaction) this.client.exec('ROLLBACK');
        throw error;
      }
    } catch (error) {
      clearImmediate(probe);
      for (const job of batch) job.reject(error);
      return;
    }
    clearImmediate(probe);
    batch.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) job.resolve(outcome.value);
      else job.reject(outcome ? outcome.error : new Error('unit of work did not run'));
    });
  }

  private notifyIdle(): void {
    if (this.queue.length > 0 || this.scheduled || this.flushing) return;
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }
}
