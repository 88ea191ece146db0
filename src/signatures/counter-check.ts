// Recomputes every counter from the signatures table and compares: the safety net behind
// "counts are kept in the same transaction". Used by `npm run cli -- check [--repair]` and tests.
import type { Db } from '../db/client.js';
import { inTransaction } from '../db/client.js';

export interface Drift {
  letterId: number;
  slug: string;
  counter: 'total' | 'country' | 'hour' | 'events';
  key: string;
  stored: number;
  actual: number;
}

const HOUR_MS = 3_600_000;

/** Every difference between the counters and a recomputation (empty when consistent). */
export function findDrift(db: Db): Drift[] {
  const sqlite = db.$client;
  const drift: Drift[] = [];
  const totals = sqlite
    .prepare(
      `SELECT l.id, l.slug, l.signature_count AS stored,
              (SELECT count(*) FROM signatures s WHERE s.letter_id = l.id AND s.status = 'verified') AS actual,
              (SELECT coalesce(sum(count_delta), 0) FROM signature_events e WHERE e.letter_id = l.id) AS events
         FROM letters l ORDER BY l.id`,
    )
    .all() as Array<{ id: number; slug: string; stored: number; actual: number; events: number }>;
  for (const row of totals) {
    if (row.stored !== row.actual) {
      drift.push({ letterId: row.id, slug: row.slug, counter: 'total', key: '', stored: row.stored, actual: row.actual });
    }
    if (row.events !== row.actual) {
      drift.push({ letterId: row.id, slug: row.slug, counter: 'events', key: 'sum(count_delta)', stored: row.events, actual: row.actual });
    }
  }
  const slugs = new Map(totals.map((r) => [r.id, r.slug]));
  compare(
    drift,
    slugs,
    'country',
    sqlite.prepare('SELECT letter_id AS letterId, country AS key, count AS n FROM letter_country_counts WHERE count <> 0').all(),
    sqlite
      .prepare(
        "SELECT letter_id AS letterId, country AS key, count(*) AS n FROM signatures WHERE status = 'verified' AND country IS NOT NULL GROUP BY letter_id, country",
      )
      .all(),
  );
  compare(
    drift,
    slugs,
    'hour',
    sqlite.prepare('SELECT letter_id AS letterId, hour AS key, count AS n FROM letter_hour_counts WHERE count <> 0').all(),
    sqlite
      .prepare(
        `SELECT letter_id AS letterId, verified_at - (verified_at % ${HOUR_MS}) AS key, count(*) AS n
           FROM signatures WHERE status = 'verified' GROUP BY letter_id, key`,
      )
      .all(),
  );
  return drift;
}

type Row = { letterId: number; key: string | number; n: number };

function compare(drift: Drift[], slugs: Map<number, string>, counter: 'country' | 'hour', storedRows: unknown[], actualRows: unknown[]) {
  const key = (r: Row) => `${r.letterId}\u0000${r.key}`;
  const stored = new Map((storedRows as Row[]).map((r) => [key(r), r]));
  const actual = new Map((actualRows as Row[]).map((r) => [key(r), r]));
  for (const k of new Set([...stored.keys(), ...actual.keys()])) {
    const s = stored.get(k);
    const a = actual.get(k);
    if ((s?.n ?? 0) === (a?.n ?? 0)) continue;
    const row = (s ?? a) as Row;
    drift.push({
      letterId: row.letterId,
      slug: slugs.get(row.letterId) ?? String(row.letterId),
      counter,
      key: counter === 'hour' ? new Date(Number(row.key)).toISOString() : String(row.key),
      stored: s?.n ?? 0,
      actual: a?.n ?? 0,
    });
  }
}

/**
 * Rewrites every counter from the signatures table in one transaction and records the repair
 * in the audit log. The event log is append-only and is never rewritten.
 */
export function repairCounters(db: Db, now: Date): Drift[] {
  return inTransaction(db, () => {
    const drift = findDrift(db).filter((d) => d.counter !== 'events');
    if (drift.length === 0) return drift;
    const sqlite = db.$client;
    sqlite.exec(`
      UPDATE letters SET signature_count = (SELECT count(*) FROM signatures s WHERE s.letter_id = letters.id AND s.status = 'verified');
      DELETE FROM letter_country_counts;
      INSERT INTO letter_country_counts (letter_id, country, count)
        SELECT letter_id, country, count(*) FROM signatures WHERE status = 'verified' AND country IS NOT NULL GROUP BY letter_id, country;
      DELETE FROM letter_hour_counts;
      INSERT INTO letter_hour_counts (letter_id, hour, count)
        SELECT letter_id, verified_at - (verified_at % ${HOUR_MS}), count(*) FROM signatures WHERE status = 'verified' GROUP BY 1, 2;
    `);
    const touched = [...new Set(drift.map((d) => d.letterId))];
    const bump = sqlite.prepare('UPDATE letters SET updated_at = ? WHERE id = ?');
    const audit = sqlite.prepare(
      "INSERT INTO audit_log (letter_id, action, target_type, before, after, at) VALUES (?, 'counters.repair', 'letter', ?, ?, ?)",
    );
    for (const letterId of touched) {
      bump.run(now.getTime(), letterId);
      const mine = drift.filter((d) => d.letterId === letterId);
      audit.run(
        letterId,
        JSON.stringify(mine.map((d) => ({ counter: d.counter, key: d.key, value: d.stored }))),
        JSON.stringify(mine.map((d) => ({ counter: d.counter, key: d.key, value: d.actual }))),
        now.getTime(),
      );
    }
    return drift;
  });
}
