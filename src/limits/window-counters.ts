// Fixed-window counters in the database (rate_limits), shared by every process: a key's count in
// its current window, and when that window ends. Failed sign-ins always count here; request rate
// limits count here on PostgreSQL when no Redis is configured (rate-limit-store.ts).
import { eq, lt, sql } from 'drizzle-orm';
import { columnParam, type Store } from '../db/store.js';
import type { FailureStore } from './login-throttle.js';

export interface WindowCount {
  count: number;
  resetAt: number;
}

export class WindowCounters implements FailureStore {
  private readonly upsert;

  constructor(private readonly store: Store) {
    const r = store.tables.rateLimits;
    const at = columnParam(r.windowEndsAt, 'at');
    const ends = columnParam(r.windowEndsAt, 'ends');
    // One statement, committed alone (a round trip, not three): two processes counting the same
    // key at once both count. The rows are in no cache.
    this.upsert = store.preparedSql<{ key: string; at: Date; ends: Date }, { count: number; windowEndsAt: unknown }>(
      'rate_limit_hit',
      sql`INSERT INTO ${r} (${sql.identifier(r.key.name)}, ${sql.identifier(r.count.name)}, ${sql.identifier(r.windowEndsAt.name)})
          VALUES (${columnParam(r.key, 'key')}, 1, ${ends})
          ON CONFLICT (${sql.identifier(r.key.name)}) DO UPDATE SET
            ${sql.identifier(r.count.name)} = CASE WHEN ${r.windowEndsAt} <= ${at} THEN 1 ELSE ${r.count} + 1 END,
            ${sql.identifier(r.windowEndsAt.name)} = CASE WHEN ${r.windowEndsAt} <= ${at} THEN ${ends} ELSE ${r.windowEndsAt} END
          RETURNING ${sql.identifier(r.count.name)} AS count, ${sql.identifier(r.windowEndsAt.name)} AS "windowEndsAt"`,
      { seenByCaches: false },
    );
  }

  /** Adds one to the key and returns its window: a window that has ended starts again at 1. */
  async hit(key: string, windowMs: number, now: number): Promise<WindowCount> {
    const [row] = await this.upsert(null, { key, at: new Date(now), ends: new Date(now + windowMs) });
    return { count: Number(row?.count ?? 1), resetAt: row ? timeOf(row.windowEndsAt) : now + windowMs };
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

/** A raw row's time: a Date from PostgreSQL, milliseconds from SQLite. */
function timeOf(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number(value);
}
