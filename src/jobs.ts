// Background work each process starts, of which only one process at a time runs each job (the
// store's exclusively(): an advisory lock on PostgreSQL). Timers are unref'd: they never keep a
// process alive, and stop() waits for a job in progress before the store closes.
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from './db/store.js';

export interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<void>;
}

export class Jobs {
  private timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly log: FastifyBaseLogger,
    private readonly jobs: Job[],
  ) {}

  start(): void {
    if (this.timers.length > 0) return;
    for (const job of this.jobs) {
      const timer = setInterval(() => this.runOnce(job), job.everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Runs a job now, unless another process is running it (for the timers and for tests). */
  runOnce(job: Job): Promise<unknown> {
    const run = this.store
      .exclusively(`undersigned:job:${job.name}`, job.run)
      .catch((error) => this.log.error({ err: error, job: job.name }, 'background job failed'));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return run;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.all(this.running);
  }
}
