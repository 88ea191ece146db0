// Fixed-window counters in the database (rate_limits), shared by every process: a key's count in
// its current window, and when that window ends. Failed sign-ins always count here; request rate
// limits count here on PostgreSQL when no Redis is configured (rate-limit-store.ts).
import { eq, lt, sql } from 'drizzle-orm';
import type { Store } from '../db/store.js';
import type { FailureStore } from './login-throttle.js';

export interface WindowCount {
  count: number;
  resetAt: number;
}

export class WindowCounters implements FailureStore {
  constructor(private readonly store: Store) {}

  /** Adds one to the key and returns its window: a window that has ended starts again at 1. */
  async hit(key: string, windowMs: number, now: number): Promise<WindowCount> {
    const r = this.store.tables.rateLimits;
    const at = new Date(now);
    const ends = new Date(now + windowMs);
    const [row] = await this.store.unitOfWork((tx) =>
      tx
        .insert(r)
        .values({ key, count: 1, windowEndsAt: ends })
        .onConflictDoUpdate({
          target: r.key,
          set: {
            // One statement, so two processes counting the same key at once both count.
            count: sql`CASE WHEN ${r.windowEndsAt} <= ${r.windowEndsAt.mapToDriverValue(at)} THEN 1 ELSE ${r.count} + 1 END`,
            windowEndsAt: sql`CASE WHEN ${r.windowEndsAt} <= ${r.windowEndsAt.mapToDriverValue(at)} THEN ${r.windowEndsAt.mapToDriverValue(ends)} ELSE ${r.windowEndsAt} END`,
          },
        })
        .returning({ count: r.count, windowEndsAt: r.windowEndsAt }),
    );
    return { count: row?.count ?? 1, resetAt: row?.windowEndsAt.getTime() ?? now + windowMs };
  }

  async get(key: string, now: number): Promise<{ failures: number; resetAt: number } | null> {
    const r = this.store.tables.rateLimits;
    const [row] = await this.store.db.select().from(r).where(eq(r.key, key)).limit(1);
    if (!row || row.windowEndsAt.getTime() <= now) return null;
    return { failures: row.count, resetAt: row.windowEndsAt.getTime() };
  }

  async add(key: string, windowMs: number, now: number): Promise<void> {
    await this.hit(key, windowMs, now);
  }

  async clear(key: string): Promise<void> {
    const r = this.store.tables.rateLimits;
    await this.store.unitOfWork((tx) => tx.delete(r).where(eq(r.key, key)));
  }

  /** Drops windows that have ended (housekeeping). */
  async sweep(now: Date): Promise<void> {
    const r = this.store.tables.rateLimits;
    await this.store.unitOfWork((tx) => tx.delete(r).where(lt(r.windowEndsAt, now)));
  }
}
