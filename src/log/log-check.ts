// The log against the database, for the counter check (`npm run cli -- check`): every counted
// signature's latest entry, sequenced or still queued, is a confirm or a restore, and replaying
// each letter's entries gives its count. Portable SQL over one snapshot, like the rest of the check.
import { sql } from 'drizzle-orm';
import type { Db, Store } from '../db/store.js';

export interface LogDrift {
  letterId: number;
  key: 'replayed count' | 'counted without a counting entry';
  stored: number;
  actual: number;
}

/**
 * Each signature's latest entry: queued entries come after every sequenced one, and among
 * themselves in the order their units of work wrote them.
 */
const LATEST = sql`SELECT letter_id, sig, kind FROM (
    SELECT letter_id, sig, kind, ROW_NUMBER() OVER (PARTITION BY letter_id, sig ORDER BY queued DESC, position DESC) AS rn
      FROM (SELECT letter_id, sig, kind, 0 AS queued, idx AS position FROM log_entries
            UNION ALL SELECT letter_id, sig, kind, 1 AS queued, id AS position FROM log_queue) AS everything
  ) AS ranked WHERE rn = 1`;

const COUNTING = sql`('confirm', 'restore')`;

/** Differences between the logs and `actual`, each letter's number of counted signatures. */
export async function logDrift(store: Store, db: Db, actual: Map<number, number>): Promise<LogDrift[]> {
  const drift: LogDrift[] = [];
  const replayed = await store.rows<{ letterId: number; n: number }>(
    sql`SELECT letter_id AS "letterId", count(*) AS n FROM (${LATEST}) AS latest WHERE kind IN ${COUNTING} GROUP BY letter_id`,
    db,
  );
  const byLetter = new Map(replayed.map((r) => [Number(r.letterId), Number(r.n)]));
  for (const [letterId, count] of actual) {
    const n = byLetter.get(letterId) ?? 0;
    if (n !== count) drift.push({ letterId, key: 'replayed count', stored: n, actual: count });
  }
  const unlogged = await store.rows<{ letterId: number; n: number }>(
    sql`SELECT s.letter_id AS "letterId", count(*) AS n FROM signatures s
          LEFT JOIN (${LATEST}) AS latest ON latest.letter_id = s.letter_id AND latest.sig = s.log_sig
         WHERE s.status = 'verified' AND (latest.kind IS NULL OR latest.kind NOT IN ${COUNTING})
         GROUP BY s.letter_id`,
    db,
  );
  for (const row of unlogged) {
    drift.push({ letterId: Number(row.letterId), key: 'counted without a counting entry', stored: Number(row.n), actual: 0 });
  }
  return drift;
}
