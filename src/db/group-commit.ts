// Group commit for SQLite: units of work queued in the same tick run in one transaction, each
// inside its own savepoint, and their promises settle only after the commit is durable. A commit
// is made durable by `durable()` (an fsync of the WAL on the thread pool, wal-sync.ts) while the
// next batch already runs: the event loop never waits for the disk, and every acknowledged
// signature is still on disk first.
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
  /** Committed batches whose durability is awaited (settled in commit order). */
  private settling = new Set<Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  private readonly statements;

  constructor(
    private readonly client: Database.Database,
    /** Resolves once what was committed before the call is on disk (null: acknowledge at once). */
    private readonly durable: (() => Promise<void>) | null = null,
    private readonly maxBatch = 500,
  ) {
    // Prepared once: exec() compiles its SQL on every call, four times per unit of work here.
    this.statements = {
      begin: client.prepare('BEGIN IMMEDIATE'),
      commit: client.prepare('COMMIT'),
      savepoint: client.prepare('SAVEPOINT unit_of_work'),
      release: client.prepare('RELEASE unit_of_work'),
      rollbackTo: client.prepare('ROLLBACK TO unit_of_work'),
    };
  }

  /** Runs work atomically; resolves with its result once the transaction holding it has committed. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves when every queued unit of work has been committed (used at shutdown). */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && !this.scheduled && !this.flushing && this.settling.size === 0;
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
    const { begin, commit, savepoint, release, rollbackTo } = this.statements;
    // Fires only if the event loop turns while the transaction is open.
    let turned = false;
    const probe = setImmediate(() => {
      turned = true;
    });
    try {
      begin.run();
      try {
        for (const job of batch) {
          savepoint.run();
          try {
            const value = await job.work();
            if (turned) throw new UnitOfWorkAwaitedIo();
            release.run();
            outcomes.push({ ok: true, value });
          } catch (error) {
            // One failure rolls back only itself.
            rollbackTo.run();
            release.run();
            outcomes.push({ ok: false, error });
          }
        }
        commit.run();
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
    const settle = (durable: { ok: true } | { ok: false; error: unknown }) =>
      batch.forEach((job, i) => {
        const outcome = outcomes[i];
        if (!durable.ok) job.reject(durable.error);
        else if (outcome?.ok) job.resolve(outcome.value);
        else job.reject(outcome ? outcome.error : new Error('unit of work did not run'));
      });
    if (!this.durable) return settle({ ok: true });
    // The next batch may run while this one's commit reaches the disk; its units settle after.
    const settling: Promise<void> = this.durable().then(
      () => settle({ ok: true }),
      (error: unknown) => settle({ ok: false, error }),
    );
    this.settling.add(settling);
    void settling.finally(() => {
      this.settling.delete(settling);
      this.notifyIdle();
    });
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }
}
