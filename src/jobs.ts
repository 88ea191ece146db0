// Background work each process starts, of which one run per period happens across all processes:
// each process's timer fires every period, and the first to fire in a period claims it (a window
// row in rate_limits, taken under the job's advisory lock) while the others find it claimed. Timers
// are unref'd: they never keep a process alive, and stop() waits for a job in progress before
// the store closes.
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from './db/store.js';

export interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<void>;
  /**
   * 'period' (the default): one run per period across all processes, for work whose result does
   * not change within one (the hourly check). 'turn': every turn of every process, one at a time
   * under the job's lock, for work that is safe to repeat and must not wait for the next period
   * (moving queued work along).
   */
  runs?: 'period' | 'turn';
}

/** Where periods are claimed: the first hit of a key in its window counts 1 (WindowCounters). */
export interface PeriodClaims {
  hit(key: string, windowMs: number, now: number): Promise<{ count: number }>;
}

/** What a job's turn came to: it ran, or it was left to another process (or an earlier turn), or it failed. */
export type JobOutcome = 'ran' | 'skipped' | 'failed';

export class Jobs {
  private timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: { store: Store; claims: PeriodClaims; now: () => Date; log: FastifyBaseLogger },
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

  /** Gives the named job its turn now (the CLI and tests; the timers do the same). */
  run(name: string): Promise<JobOutcome> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`no background job named ${name}`);
    return this.runOnce(job);
  }

  private runOnce(job: Job): Promise<JobOutcome> {
    const { store, claims, now, log } = this.deps;
    const turn = store
      .exclusively(`undersigned:job:${job.name}`, async () => {
        // Periods are aligned to the clock, so every process agrees which one it is; the window
        // of the claim ends with the period, and housekeeping sweeps it afterwards.
        if (job.runs === 'turn') {
          await job.run();
          return true;
        }
        const at = now().getTime();
        const period = Math.floor(at / job.everyMs);
        const { count } = await claims.hit(`job:${job.name}:${period}`, (period + 1) * job.everyMs - at, at);
        if (count !== 1) return false;
        await job.run();
        return true;
      })
      .then(
        (ran): JobOutcome => (ran ? 'ran' : 'skipped'),
        (error): JobOutcome => {
          log.error({ err: error, job: job.name }, 'background job failed');
          return 'failed';
        },
      );
    this.running.add(turn);
    void turn.finally(() => this.running.delete(turn));
    return turn;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.all(this.running);
  }
}
