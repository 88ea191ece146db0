// Fixtures for the benchmark: the letters (through the real import code) and a bulk seeder that
// writes verified signatures straight into SQLite with prepared statements in big transactions.
// Everything the app keeps in step on a verification is kept in step here too: the signature's
// name blocks, the `signed` and `verified` events, the letter's count, the per-country and
// per-hour counters, so `findDrift` stays empty.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { openDatabase } from '../src/db/client.js';
import { emailKey } from '../src/domain/email-key.js';
import { nameBlocks, nameKey } from '../src/domain/name-key.js';
import { importLetter } from '../src/letters/import-letter.js';
import { parseLetterFile } from '../src/letters/letter-file.js';
import { LetterRepo } from '../src/letters/letter-repo.js';
import { person, prng } from './names.js';

const HOUR_MS = 3_600_000;
const DEMO_LETTER = fileURLToPath(new URL('../src/letters/demo/training-statement.md', import.meta.url));

export interface BenchLetter {
  id: number;
  slug: string;
}

/** Creates the benchmark's letters with the app's own import code (versions, notables, collective). */
export async function createLetters(databasePath: string, slugs: string[], now: Date): Promise<BenchLetter[]> {
  const db = openDatabase(databasePath);
  try {
    const repo = new LetterRepo(db);
    const source = parseLetterFile(readFileSync(DEMO_LETTER, 'utf8'));
    const out: BenchLetter[] = [];
    for (const slug of slugs) {
      const { letter } = await importLetter(
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
  } finally {
    db.$client.close();
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
export function seedVerified(sqlite: Database.Database, letterId: number, count: number, options: SeedOptions): SeedResult {
  const started = performance.now();
  const batch = options.batch ?? 50_000;
  const rand = prng(options.seed);
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  const version = (sqlite.prepare('SELECT version FROM letters WHERE id = ?').pluck().get(letterId) as number | undefined) ?? 1;
  const insert = sqlite.prepare(
    `INSERT INTO signatures (letter_id, letter_version, name, name_key, name_head, name_tail, name_len, email, email_key,
       title, organisation, country, is_public, hidden, comment, status, ip, last_mail_at, created_at, verified_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 0, NULL, 'verified', ?, ?, ?, ?, ?)`,
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
  const start = options.endAt - options.spanMs;
  const step = options.spanMs / Math.max(1, count);
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
      const index = written + i;
      const p = person(rand);
      const key = nameKey(p.name);
      const blocks = nameBlocks(key);
      const email = `${p.first}.${p.last}.${options.tag}${index}@example.org`;
      const verifiedAt = Math.floor(start + index * step);
      const createdAt = verifiedAt - 1000 - Math.floor(rand() * 600_000);
      const ip = `198.51.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`;
      const result = insert.run(
        letterId,
        version,
        p.name,
        key,
        blocks.head,
        blocks.tail,
        blocks.length,
        email,
        emailKey(email),
        p.title,
        p.country,
        p.isPublic ? 1 : 0,
        ip,
        createdAt,
        createdAt,
        verifiedAt,
        verifiedAt,
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
        `INSERT INTO letter_country_counts (letter_id, country, count)
         SELECT letter_id, country, count(*) FROM signatures WHERE letter_id = ? AND status = 'verified' AND country IS NOT NULL GROUP BY country
         ON CONFLICT (letter_id, country) DO UPDATE SET count = excluded.count`,
      )
      .run(letterId);
    sqlite
      .prepare(
        `INSERT INTO letter_hour_counts (letter_id, hour, count)
         SELECT letter_id, verified_at - (verified_at % ${HOUR_MS}) AS h, count(*) FROM signatures
          WHERE letter_id = ? AND status = 'verified' GROUP BY h
         ON CONFLICT (letter_id, hour) DO UPDATE SET count = excluded.count`,
      )
      .run(letterId);
    sqlite
      .prepare(
        `UPDATE letters SET signature_count = (SELECT count(*) FROM signatures WHERE letter_id = ? AND status = 'verified'), updated_at = ?
          WHERE id = ?`,
      )
      .run(letterId, Date.now(), letterId);
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('synchronous = FULL');
  return { rows: count, ms: performance.now() - started };
}
