// UPDATES_PER_SECOND across every process: each update mail takes one send from a window
// counter in the database (limits/window-counters.ts), which every process adds to. Real time,
// not the app's clock: this is about how fast mail leaves, and tests move the app's clock.
import type { WindowCounters } from '../limits/window-counters.js';

const WINDOW_MS = 1000;
const KEY = 'mail:update-sends';

export class SendBudget {
  constructor(
    private readonly counters: WindowCounters,
    readonly perSecond: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes one send: null when granted, else when (ms since the epoch) the next second's budget opens. */
  async take(): Promise<number | null> {
    const { count, resetAt } = await this.counters.hit(KEY, WINDOW_MS, this.clock());
    return count <= this.perSecond ? null : resetAt;
  }
}
