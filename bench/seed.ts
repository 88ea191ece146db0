// Fixtures for the benchmark: the letters (through the real import code) and a bulk seeder that
// writes verified signatures straight into the database in big transactions (prepared inserts
// on SQLite, unnest() batches on PostgreSQL). Everything the app keeps in step on a verification
// is kept in step here too: the signature's name blocks, the `signed` and `verified` events, the
// letter's count, the per-country and per-hour counters, its id, salt and commitment in the public
// log (the log itself: seed-log.ts), so `findDrift` stays empty.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import type { PostgresStore } from '../src/db/postgres-store.js';
import type { SqliteStore } from '../src/db/sqlite-store.js';
import { emailKey } from '../src/domain/email-key.js';
import { logIdentity } from '../src/domain/log-entry.js';
import { nameBlocks, nameKey } from '../src/domain/name-key.js';
import { parseLetterFile } from '../src/letters/letter-file.js';
import { importLetterFile } from '../src/letters/letter-imports.js';
import { LetterRepo } from '../src/letters/letter-repo.js';
import type { BenchDatabase } from './bench-db.js';
import { person, prng } from './names.js';

const HOUR_MS = 3_600_000;
const DEMO_LETTER = fileURLToPath(new URL('../src/letters/demo/training-statement.md', import.meta.url));

export interface BenchLetter {
  id: number;
  slug: string;
}

/** Creates the benchmark's letters with the app's own import code (versions, notables, collective). */
export async function createLetters(db: BenchDatabase, slugs: string[], now: Date): Promise<BenchLetter[]> {
  {
    const repo = new LetterRepo(db.store);
    const source = parseLetterFile(readFileSync(DEMO_LETTER, 'utf8'));
    const out: BenchLetter[] = [];
    for (const slug of slugs) {
      const { letter } = await importLetterFile(
        repo,
        {
          ...source,
          slug,
          title: `${source.title} (${slug})`,
          status: 'published',
          goal: 2_000_000,
          closes_at: null,
          // The realistic default: a second signature under a known name waits for a moderator.
          duplicate_names: 'hold',
          notable: [
            ...(source.notable ?? []),
            { name: 'Maren Okafor', description: 'illustrator' },
            { name: 'Tomasz Wierzbicki', description: 'composer' },
            { name: 'Lucía Ferreira', description: 'translator' },
            { name: 'Hideo Nakamura', description: 'animator' },
          ],
        },
        now,
      );
      out.push({ id: letter.id, slug: letter.slug });
    }
    return out;
  }
}

export interface SeedOptions {
  /** Signatures are confirmed evenly over this span, ending `endAt`. */
  spanMs: number;
  endAt: number;
  seed: number;
  /** Rows per transaction. */
  batch?: number;
  /** Prefix that keeps emails unique across letters and runs. */
  tag: string;
}

export interface SeedResult {
  rows: number;
  ms: number;
}

/**
 * Adds `count` verified signatures to a letter. Runs on its own connection while nothing else
 * writes (before the app starts). Fixture setup, not the app's path: synchronous=OFF and a big
 * page cache, then a checkpoint so the app starts on a compact WAL.
 */
/** The same signers on either database (the seed decides them, the store only how they are written). */
export async function seedVerified(db: BenchDatabase, letterId: number, count: number, options: SeedOptions): Promise<SeedResult> {
  return db.kind === 'sqlite'
    ? seedSqlite((db.store as SqliteStore).client, letterId, count, options)
    : seedPostgres(db.store as PostgresStore, letterId, count, options);
}

interface Signer {
  name: string;
  key: string;
  head: string;
  tail: string;
  length: number;
  email: string;
  emailKey: string;
  title: string | null;
  country: string | null;
  isPublic: boolean;
  ip: string;
  createdAt: number;
  verifiedAt: number;
  logSig: string;
  logSalt: string;
  logCommitment: string;
}

/** The seeded signers, one at a time, the same sequence for a seed on either database. */
function* signers(count: number, options: SeedOptions): Generator<Signer> {
  const rand = prng(options.seed);
  const start = options.endAt - options.spanMs;
  const step = options.spanMs / Math.max(1, count);
  for (let index = 0; index < count; index++) {
    const p = person(rand);
    const key = nameKey(p.name);
    const blocks = nameBlocks(key);
    const email = `${p.first}.${p.last}.${options.tag}${index}@example.org`;
    const verifiedAt = Math.floor(start + index * step);
    const createdAt = verifiedAt - 1000 - Math.floor(rand() * 600_000);
    const ip = `198.51.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`;
    yield {
      name: p.name,
      key,
      head: blocks.head,
      tail: blocks.tail,
      length: blocks.length,
      email,
      emailKey: emailKey(email) ?? email,
      title: p.title,
      country: p.country,
      isPublic: p.isPublic,
      ip,
      createdAt,
      verifiedAt,
      ...logIdentity({ name: p.name, title: p.title, organisation: null, country: p.country }),
    };
  }
}

/** PostgreSQL: batches of arrays unnested into rows (one statement per batch), then the counters. */
async function seedPostgres(store: PostgresStore, letterId: number, count: number, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const batch = options.batch ?? 20_000;
  const client = await store.pool.connect();
  try {
    await client.query('SET synchronous_commit = off');
    const version = ((await client.query('SELECT version FROM letters WHERE id = $1', [letterId])).rows[0]?.version as number) ?? 1;
    const all = signers(count, options);
    for (let written = 0; written < count; ) {
      const rows: Signer[] = [];
      for (let i = 0; i < batch && written + i < count; i++) rows.push(all.next().value as Signer);
      const column = <K extends keyof Signer>(key: K) => rows.map((r) => r[key]);
      const times = (key: 'createdAt' | 'verifiedAt') => rows.map((r) => new Date(r[key]).toISOString());
      await client.query('BEGIN');
      const inserted = await client.query<{ id: number }>(
        `INSERT INTO signatures (letter_id, letter_version, name, name_key, name_head, name_tail, name_len, email, email_key,
           title, country, is_public, hidden, status, ip, last_mail_at, created_at, verified_at, updated_at, log_sig, log_salt, log_commitment)
         SELECT $1, $2, n, k, h, t, l, e, ek, ti, c, p, false, 'verified', ip, ca, ca, va, va, ls, lt, lc
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[],
                       $11::text[], $12::bool[], $13::text[], $14::timestamptz[], $15::timestamptz[], $16::text[], $17::text[], $18::text[])
             AS s(n, k, h, t, l, e, ek, ti, c, p, ip, ca, va, ls, lt, lc)
         RETURNING id`,
        [
          letterId,
          version,
          column('name'),
          column('key'),
          column('head'),
          column('tail'),
          column('length'),
          column('email'),
          column('emailKey'),
          column('title'),
          column('country'),
          column('isPublic'),
          column('ip'),
          times('createdAt'),
          times('verifiedAt'),
          column('logSig'),
          column('logSalt'),
          column('logCommitment'),
        ],
      );
      const ids = inserted.rows.map((r) => r.id);
      await client.query(
        `INSERT INTO signature_events (signature_id, letter_id, type, from_status, to_status, count_delta, organizer_id, at)
         SELECT id, letter_id, 'signed', NULL, 'pending', 0, NULL, created_at FROM signatures WHERE id = ANY($1::int[]) ORDER BY id`,
        [ids],
      );
      await client.query(
        `INSERT INTO signature_events (signature_id, letter_id, type, from_status, to_status, count_delta, organizer_id, at)
         SELECT id, letter_id, 'verified', 'pending', 'verified', 1, NULL, verified_at FROM signatures WHERE id = ANY($1::int[]) ORDER BY id`,
        [ids],
      );
      await client.query('COMMIT');
      written += rows.length;
    }
    // Counters, exactly as the verification transactions would have left them (in slot 0).
    await client.query('BEGIN');
    await client.query('DELETE FROM letter_country_counts WHERE letter_id = $1', [letterId]);
    await client.query(
      `INSERT INTO letter_country_counts (letter_id, country, slot, count)
       SELECT letter_id, country, 0, count(*) FROM signatures WHERE letter_id = $1 AND status = 'verified' AND country IS NOT NULL GROUP BY letter_id, country`,
      [letterId],
    );
    await client.query('DELETE FROM letter_hour_counts WHERE letter_id = $1', [letterId]);
    await client.query(
      `INSERT INTO letter_hour_counts (letter_id, hour, slot, count)
       SELECT letter_id, (floor(extract(epoch from verified_at) * 1000 / ${HOUR_MS}) * ${HOUR_MS})::bigint AS h, 0, count(*)
         FROM signatures WHERE letter_id = $1 AND status = 'verified' GROUP BY letter_id, h`,
      [letterId],
    );
    await client.query('DELETE FROM letter_count_slots WHERE letter_id = $1', [letterId]);
    await client.query(
      `INSERT INTO letter_count_slots (letter_id, slot, count, updated_at)
       SELECT $1, 0, count(*), now() FROM signatures WHERE letter_id = $1 AND status = 'verified'`,
      [letterId],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE signatures');
  } finally {
    client.release();
  }
  return { rows: count, ms: performance.now() - started };
}

function seedSqlite(sqlite: Database.Database, letterId: number, count: number, options: SeedOptions): SeedResult {
  const started = performance.now();
  const batch = options.batch ?? 50_000;
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  const version = (sqlite.prepare('SELECT version FROM letters WHERE id = ?').pluck().get(letterId) as number | undefined) ?? 1;
  const insert = sqlite.prepare(
    `INSERT INTO signatures (letter_id, letter_version, name, name_key, name_head, name_tail, name_len, email, email_key,
       title, organisation, country, is_public, hidden, comment, status, ip, last_mail_at, created_at, verified_at, updated_at,
       log_sig, log_salt, log_commitment)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 0, NULL, 'verified', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The two events a confirmation by link writes (signed: 0, verified: +1), derived in SQL.
  const signedEvents = sqlite.prepare(
    `INSERT INTO signature_events (signature_id, letter_id, type, from_status, to_status, count_delta, organizer_id, at)
     SELECT id, letter_id, 'signed', NULL, 'pending', 0, NULL, created_at FROM signatures WHERE letter_id = ? AND id BETWEEN ? AND ? ORDER BY id`,
  );
  const verifiedEvents = sqlite.prepare(
    `INSERT INTO signature_events (signature_id, letter_id, type, from_status, to_status, count_delta, organizer_id, at)
     SELECT id, letter_id, 'verified', 'pending', 'verified', 1, NULL, verified_at FROM signatures WHERE letter_id = ? AND id BETWEEN ? AND ? ORDER BY id`,
  );
  const all = signers(count, options);
  let written = 0;
  // Bulk-load idiom (large seeds only): the table's secondary indexes (and the events index) are dropped and rebuilt
  // from their own stored SQL afterwards; sorting once beats a million random B-tree inserts.
  const indexes = (
    count < 100_000
      ? []
      : sqlite
          .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('signatures', 'signature_events') AND sql IS NOT NULL",
          )
          .all()
  ) as Array<{ name: string; sql: string }>;
  for (const index of indexes) sqlite.exec(`DROP INDEX "${index.name}"`);
  const runBatch = sqlite.transaction((n: number) => {
    let first = 0;
    let last = 0;
    for (let i = 0; i < n; i++) {
      const s = all.next().value as Signer;
      const result = insert.run(
        letterId,
        version,
        s.name,
        s.key,
        s.head,
        s.tail,
        s.length,
        s.email,
        s.emailKey,
        s.title,
        s.country,
        s.isPublic ? 1 : 0,
        s.ip,
        s.createdAt,
        s.createdAt,
        s.verifiedAt,
        s.verifiedAt,
        s.logSig,
        s.logSalt,
        s.logCommitment,
      );
      const id = Number(result.lastInsertRowid);
      if (i === 0) first = id;
      last = id;
    }
    signedEvents.run(letterId, first, last);
    verifiedEvents.run(letterId, first, last);
  });
  while (written < count) {
    const n = Math.min(batch, count - written);
    runBatch(n);
    written += n;
  }
  for (const index of indexes) sqlite.exec(index.sql);
  // Counters, exactly as the verification transactions would have left them.
  sqlite.transaction(() => {
    sqlite
      .prepare(
        `INSERT INTO letter_country_counts (letter_id, country, slot, count)
         SELECT letter_id, country, 0, count(*) FROM signatures WHERE letter_id = ? AND status = 'verified' AND country IS NOT NULL GROUP BY country
         ON CONFLICT (letter_id, country, slot) DO UPDATE SET count = excluded.count`,
      )
      .run(letterId);
    sqlite
      .prepare(
        `INSERT INTO letter_hour_counts (letter_id, hour, slot, count)
         SELECT letter_id, verified_at - (verified_at % ${HOUR_MS}) AS h, 0, count(*) FROM signatures
          WHERE letter_id = ? AND status = 'verified' GROUP BY h
         ON CONFLICT (letter_id, hour, slot) DO UPDATE SET count = excluded.count`,
      )
      .run(letterId);
    sqlite
      .prepare(
        `INSERT INTO letter_count_slots (letter_id, slot, count, updated_at)
         SELECT ?, 0, count(*), ? FROM signatures WHERE letter_id = ? AND status = 'verified'
         ON CONFLICT (letter_id, slot) DO UPDATE SET count = excluded.count, updated_at = excluded.updated_at`,
      )
      .run(letterId, Date.now(), letterId);
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('synchronous = FULL');
  return { rows: count, ms: performance.now() - started };
}
