// The spike guard's windows in the database: each signing attempt adds one to its letter's
// current minute under each of its sources and under the total, then the window is read back.
// Every process adds to and reads the same rows, so a flood split across processes is seen whole.
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { counterSlot, type Db, type Store, type Tables } from '../db/store.js';
import { ALL_SOURCES, isSpike, minuteOf, type SpikeRule } from '../domain/spike.js';

export class SpikeWindows {
  private readonly t: Tables;
  private readonly add;

  constructor(
    private readonly store: Store,
    private readonly rule: SpikeRule,
  ) {
    this.t = store.tables;
    const t = this.t;
    const p = sql.placeholder;
    const c = t.spikeCounts;
    this.add = store.prepared<{ letterId: number; minute: number; source: string; slot: number }, unknown>('spike_add', (db) =>
      db
        .insert(c)
        .values({ letterId: p('letterId'), minute: p('minute'), source: p('source'), slot: p('slot'), count: 1 })
        .onConflictDoUpdate({ target: [c.letterId, c.minute, c.source, c.slot], set: { count: sql`${c.count} + 1` } }),
    );
  }

  /** Counts this signing and says whether its sources flood the letter's window. */
  async recordTx(tx: Db, letterId: number, sources: string[], now: Date): Promise<boolean> {
    const minute = minuteOf(now.getTime());
    const slot = counterSlot(this.store);
    const keys = [ALL_SOURCES, ...sources];
    for (const source of keys) await this.add(tx, { letterId, minute, source, slot });
    const c = this.t.spikeCounts;
    const since = minuteOf(now.getTime() - this.rule.windowMs + 60_000);
    const rows = await tx
      .select({ source: c.source, n: sql<number>`sum(${c.count})`.mapWith(Number) })
      .from(c)
      .where(and(eq(c.letterId, letterId), gte(c.minute, since), inArray(c.source, keys)))
      .groupBy(c.source);
    return isSpike(new Map(rows.map((r) => [r.source, r.n])), sources, this.rule);
  }

  /** Drops minutes older than the window (housekeeping; the rows are only ever read inside it). */
  async sweep(now: Date): Promise<void> {
    const c = this.t.spikeCounts;
    const before = minuteOf(now.getTime() - this.rule.windowMs);
    await this.store.unitOfWork((tx) => tx.delete(c).where(sql`${c.minute} < ${before}`));
  }
}
