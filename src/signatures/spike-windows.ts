// The spike guard's windows in the database: each signing attempt adds one to its letter's
// current minute under each of its sources and under the total, then the window is read back.
// Every process adds to and reads the same rows, so a flood split across processes is seen whole.
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Store, Tables } from '../db/store.js';
import { ALL_SOURCES, isSpike, minuteOf, type SpikeRule } from '../domain/spike.js';

export class SpikeWindows {
  private readonly t: Tables;

  constructor(
    private readonly store: Store,
    private readonly rule: SpikeRule,
  ) {
    this.t = store.tables;
  }

  /**
   * Counts this signing attempt and says whether its sources flood the letter's window. A unit of
   * work of its own, before the signature's: it counts attempts, and whatever becomes of this one
   * it was made.
   */
  record(letterId: number, sources: string[], now: Date): Promise<boolean> {
    const c = this.t.spikeCounts;
    const minute = minuteOf(now.getTime());
    const keys = [ALL_SOURCES, ...sources];
    const since = minuteOf(now.getTime() - this.rule.windowMs + 60_000);
    return this.store.unitOfWork(async (tx) => {
      const slot = this.store.slotOf(tx);
      await tx
        .insert(c)
        .values(keys.map((source) => ({ letterId, minute, source, slot, count: 1 })))
        .onConflictDoUpdate({ target: [c.letterId, c.minute, c.source, c.slot], set: { count: sql`${c.count} + 1` } });
      const rows = await tx
        .select({ source: c.source, n: sql<number>`sum(${c.count})`.mapWith(Number) })
        .from(c)
        .where(and(eq(c.letterId, letterId), gte(c.minute, since), inArray(c.source, keys)))
        .groupBy(c.source);
      return isSpike(new Map(rows.map((r) => [r.source, r.n])), sources, this.rule);
    });
  }

  /** Drops minutes older than the window (housekeeping; the rows are only ever read inside it). */
  async sweep(now: Date): Promise<void> {
    const c = this.t.spikeCounts;
    const before = minuteOf(now.getTime() - this.rule.windowMs);
    await this.store.unitOfWork((tx) => tx.delete(c).where(sql`${c.minute} < ${before}`));
  }
}
