// The public log of seeded signatures, written in bulk as the integrator would have written it:
// one `confirm` entry per signature in confirmation order, the tile hashes, and one checkpoint
// signed with the key the app under test is given. Without it the app would start with counted
// signatures missing from their logs (and `findDrift` would say so).
import type Database from 'better-sqlite3';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { PostgresStore } from '../src/db/postgres-store.js';
import type { SqliteStore } from '../src/db/sqlite-store.js';
import { checkpointText } from '../src/domain/checkpoint.js';
import { appendEntries, EMPTY_LOG, encodeFrontier, type LogState, type StoredHash } from '../src/domain/log-append.js';
import { entryText, minuteOf } from '../src/domain/log-entry.js';
import { type SigningKey, signNote } from '../src/domain/signed-note.js';
import type { BenchDatabase } from './bench-db.js';

const PAGE = 50_000;

interface Entry {
  idx: number;
  sig: string;
  entry: string;
}

/** Builds the log of a letter whose counted signatures were all seeded (none logged yet). */
export async function seedLog(db: BenchDatabase, letter: { id: number; slug: string }, key: SigningKey, host: string): Promise<number> {
  const s = db.store.tables.signatures;
  let state: LogState = EMPTY_LOG;
  let root: Buffer = Buffer.alloc(0);
  for (let after = 0; ; ) {
    const rows = await db.store.db
      .select({ id: s.id, sig: s.logSig, commit: s.logCommitment, version: s.letterVersion, verifiedAt: s.verifiedAt })
      .from(s)
      .where(and(eq(s.letterId, letter.id), eq(s.status, 'verified'), gt(s.id, after)))
      .orderBy(asc(s.id))
      .limit(PAGE);
    if (rows.length === 0) break;
    const entries = rows.map((row, i) => {
      if (!row.sig || !row.commit || !row.verifiedAt) throw new Error(`seeded signature ${row.id} has no log identity`);
      const text = entryText({ kind: 'confirm', sig: row.sig, at: minuteOf(row.verifiedAt), version: row.version, commit: row.commit });
      return { idx: state.size + i, sig: row.sig, entry: text };
    });
    const appended = appendEntries(
      state,
      entries.map((e) => ({ sig: e.sig, kind: 'confirm' as const, bytes: Buffer.from(e.entry) })),
      new Map(),
    );
    if (db.kind === 'sqlite') writeSqlite((db.store as SqliteStore).client, letter.id, entries, appended.hashes);
    else await writePostgres(db.store as PostgresStore, letter.id, entries, appended.hashes);
    state = appended.state;
    root = appended.root;
    after = rows[rows.length - 1]?.id ?? after;
  }
  if (state.size === 0) return 0;
  const note = signNote(checkpointText({ origin: `${host}/letters/${letter.slug}`, size: state.size, root, count: state.count }), key);
  await db.store.db.insert(db.store.tables.logCheckpoints).values({
    letterId: letter.id,
    size: state.size,
    root: root.toString('base64'),
    count: state.count,
    frontier: encodeFrontier(state.frontier),
    note,
    createdAt: new Date(),
  });
  return state.size;
}

function writeSqlite(sqlite: Database.Database, letterId: number, entries: Entry[], hashes: StoredHash[]): void {
  const entry = sqlite.prepare("INSERT INTO log_entries (letter_id, idx, sig, kind, entry) VALUES (?, ?, ?, 'confirm', ?)");
  const hash = sqlite.prepare('INSERT INTO log_hashes (letter_id, level, idx, hash) VALUES (?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (const e of entries) entry.run(letterId, e.idx, e.sig, e.entry);
    for (const h of hashes) hash.run(letterId, h.level, h.index, h.hash.toString('base64'));
  })();
}

async function writePostgres(store: PostgresStore, letterId: number, entries: Entry[], hashes: StoredHash[]): Promise<void> {
  const client = await store.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO log_entries (letter_id, idx, sig, kind, entry)
       SELECT $1, i, s, 'confirm', e FROM unnest($2::int[], $3::text[], $4::text[]) AS t(i, s, e)`,
      [letterId, entries.map((e) => e.idx), entries.map((e) => e.sig), entries.map((e) => e.entry)],
    );
    await client.query(
      `INSERT INTO log_hashes (letter_id, level, idx, hash)
       SELECT $1, l, i, h FROM unnest($2::int[], $3::int[], $4::text[]) AS t(l, i, h)`,
      [letterId, hashes.map((h) => h.level), hashes.map((h) => h.index), hashes.map((h) => h.hash.toString('base64'))],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
