// Recomputes every counter from the signatures table and compares: the safety net behind
// "counts are kept in the same transaction". Used by `npm run cli -- check [--repair]`, tests,
// and the periodic check. Portable SQL, so it checks SQLite and PostgreSQL alike; the sums fold
// each counter's slots together.
import { type SQL, sql } from 'drizzle-orm';
import type { Db, Store } from '../db/store.js';
import { logDrift } from '../log/log-check.js';

export interface Drift {
  letterId: number;
  slug: string;
  /** `log`: the letter's public log disagrees (it is append-only: no repair rewrites it). */
  counter: 'total' | 'country' | 'hour' | 'events' | 'log';
  key: string;
  stored: number;
  actual: number;
}

const HOUR_MS = 3_600_000;

type Row = { letterId: number; key: string | number; n: number };

/**
 * Every difference between the counters and a recomputation (empty when consistent). Its several
 * queries read one snapshot (or the caller's transaction): read one by one while signing goes on,
 * a confirmation committing between them would look like drift.
 */
export async function findDrift(store: Store, tx?: Db): Promise<Drift[]> {
  if (tx) return driftIn(store, tx);
  const snapshot = await store.snapshot();
  try {
    return await driftIn(store, snapshot.db);
  } finally {
    await snapshot.close();
  }
}

async function driftIn(store: Store, db: Db): Promise<Drift[]> {
  const drift: Drift[] = [];
  const totals = await store.rows<{ id: number; slug: string; stored: number; actual: number; events: number }>(
    sql`SELECT l.id AS id, l.slug AS slug,
               (SELECT coalesce(sum(c.count), 0) FROM letter_count_slots c WHERE c.letter_id = l.id) AS stored,
               (SELECT count(*) FROM signatures s WHERE s.letter_id = l.id AND s.status = 'verified') AS actual,
               (SELECT coalesce(sum(e.count_delta), 0) FROM signature_events e WHERE e.letter_id = l.id) AS events
          FROM letters l ORDER BY l.id`,
    db,
  );
  for (const raw of totals) {
    const row = { ...raw, stored: Number(raw.stored), actual: Number(raw.actual), events: Number(raw.events) };
    if (row.stored !== row.actual) {
      drift.push({ letterId: row.id, slug: row.slug, counter: 'total', key: '', stored: row.stored, actual: row.actual });
    }
    if (row.events !== row.actual) {
      drift.push({ letterId: row.id, slug: row.slug, counter: 'events', key: 'sum(count_delta)', stored: row.events, actual: row.actual });
    }
  }
  const slugs = new Map(totals.map((r) => [r.id, r.slug]));
  const counted = new Map(totals.map((r) => [Number(r.id), Number(r.actual)]));
  for (const d of await logDrift(store, db, counted))
    drift.push({ ...d, slug: slugs.get(d.letterId) ?? String(d.letterId), counter: 'log' });
  for (const b of breakdowns(store)) {
    const stored = await store.rows<Row>(
      sql`SELECT letter_id AS "letterId", ${b.key} AS key, sum(count) AS n FROM ${b.table}
           GROUP BY letter_id, ${b.key} HAVING sum(count) <> 0`,
      db,
    );
    compare(drift, slugs, b.counter, stored, await store.rows<Row>(b.recount, db));
  }
  return drift;
}

/**
 * The counters that break a letter's count down (by country, by hour): each table, its key
 * column, and the same counts recomputed from the signatures, as (letter_id, key, n) rows.
 */
function breakdowns(store: Store) {
  const t = store.tables;
  const recount = (key: SQL, only: SQL) =>
    sql`SELECT letter_id AS "letterId", ${key} AS key, count(*) AS n FROM signatures
         WHERE status = 'verified' ${only} GROUP BY letter_id, ${key}`;
  return [
    {
      counter: 'country' as const,
      table: t.letterCountryCounts,
      key: sql.identifier(t.letterCountryCounts.country.name),
      recount: recount(sql.raw('country'), sql.raw('AND country IS NOT NULL')),
    },
    {
      counter: 'hour' as const,
      table: t.letterHourCounts,
      key: sql.identifier(t.letterHourCounts.hour.name),
      recount: recount(hourOf(store), sql.raw('')),
    },
  ];
}

/** Each letter's count as its counters say (the sum of its slots), in id order. */
export async function storedCounts(store: Store): Promise<Array<{ slug: string; count: number }>> {
  const rows = await store.rows<{ slug: string; n: number }>(
    sql`SELECT l.slug AS slug, (SELECT coalesce(sum(c.count), 0) FROM letter_count_slots c WHERE c.letter_id = l.id) AS n
          FROM letters l ORDER BY l.id`,
  );
  return rows.map((r) => ({ slug: r.slug, count: Number(r.n) }));
}

/** The start of verified_at's hour in milliseconds: the two databases keep times in different types. */
function hourOf(store: Store) {
  return store.dialect === 'sqlite'
    ? sql.raw(`verified_at - (verified_at % ${HOUR_MS})`)
    : sql.raw(`(floor(extract(epoch from verified_at) * 1000 / ${HOUR_MS}) * ${HOUR_MS})::bigint`);
}

function compare(drift: Drift[], slugs: Map<number, string>, counter: 'country' | 'hour', storedRows: Row[], actualRows: Row[]) {
  const key = (r: Row) => `${r.letterId}\u0000${Number.isFinite(Number(r.key)) && counter === 'hour' ? Number(r.key) : r.key}`;
  const stored = new Map(storedRows.map((r) => [key(r), r]));
  const actual = new Map(actualRows.map((r) => [key(r), r]));
  for (const k of new Set([...stored.keys(), ...actual.keys()])) {
    const s = Number(stored.get(k)?.n ?? 0);
    const a = Number(actual.get(k)?.n ?? 0);
    if (s === a) continue;
    const row = (stored.get(k) ?? actual.get(k)) as Row;
    drift.push({
      letterId: Number(row.letterId),
      slug: slugs.get(Number(row.letterId)) ?? String(row.letterId),
      counter,
      key: counter === 'hour' ? new Date(Number(row.key)).toISOString() : String(row.key),
      stored: s,
      actual: a,
    });
  }
}

/**
 * Rewrites every counter from the signatures table in one unit of work and records the repair
 * in the audit log. Each counter is rebuilt in its first slot. The event log is append-only and
 * is never rewritten.
 */
export async function repairCounters(store: Store, now: Date): Promise<Drift[]> {
  return store.unitOfWork(async (tx) => {
    // Nobody changes a signature while the counters are rebuilt from them: on PostgreSQL a SHARE
    // lock waits for transactions already writing and holds off new ones until this commits (on
    // SQLite the unit of work is the only writer anyway), so every count below reads the same rows.
    if (store.dialect === 'postgres') await store.rows(sql`LOCK TABLE signatures IN SHARE MODE`, tx);
    const drift = (await findDrift(store, tx)).filter((d) => d.counter !== 'events' && d.counter !== 'log');
    if (drift.length === 0) return drift;
    const t = store.tables;
    await tx.delete(t.letterCountSlots);
    await store.rows(
      sql`INSERT INTO letter_count_slots (letter_id, slot, count, updated_at)
          SELECT l.id, 0, (SELECT count(*) FROM signatures s WHERE s.letter_id = l.id AND s.status = 'verified'),
                 ${t.letterCountSlots.updatedAt.mapToDriverValue(now)}
            FROM letters l`,
      tx,
    );
    for (const b of breakdowns(store)) {
      await tx.delete(b.table);
      await store.rows(
        sql`INSERT INTO ${b.table} (letter_id, ${b.key}, slot, count) SELECT "letterId", key, 0, n FROM (${b.recount}) AS recount`,
        tx,
      );
    }
    for (const letterId of new Set(drift.map((d) => d.letterId))) {
      const mine = drift.filter((d) => d.letterId === letterId);
      await tx.insert(t.auditLog).values({
        letterId,
        organizerId: null,
        collectiveId: null,
        action: 'counters.repair',
        targetType: 'letter',
        before: JSON.stringify(mine.map((d) => ({ counter: d.counter, key: d.key, value: d.stored }))),
        after: JSON.stringify(mine.map((d) => ({ counter: d.counter, key: d.key, value: d.actual }))),
        at: now,
      });
    }
    return drift;
  });
}

/** The check as a service: for the CLI, and as a periodic job that logs any drift loudly. */
export class CounterCheck {
  constructor(
    private readonly store: Store,
    private readonly log: { error(obj: object, msg: string): void; info(obj: object, msg: string): void },
    private readonly now: () => Date,
  ) {}

  check(): Promise<Drift[]> {
    return findDrift(this.store);
  }

  repair(): Promise<Drift[]> {
    return repairCounters(this.store, this.now());
  }

  async checkAndLog(): Promise<void> {
    const drift = await this.check();
    if (drift.length > 0) this.log.error({ drift }, 'counters differ from a recount: run `npm run cli -- check --repair`');
  }
}
