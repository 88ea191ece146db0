// Signing must stay fast at any size (issue 5): the near-match lookup made on every confirmation
// reads only its two covering indexes, never the table and never the whole letter. The lookup is
// two prepared queries, one per blocking index ('sig_near_head' and 'sig_near_tail' in
// signature-repo.ts); their SQL is repeated here to ask SQLite for its plans. The public log's
// reads (log/log-repo.ts) are held the same way: each is a search on a key, never a scan or a sort.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp({}, { startBackground: false });
});

afterEach(async () => {
  await t.close();
});

const nearMatchSql = (block: 'name_head' | 'name_tail') =>
  `SELECT id, name_key FROM signatures
    WHERE letter_id = ? AND ${block} = ? AND name_len BETWEEN ? AND ? AND status IN ('verified', 'held')
    LIMIT 250`;

async function reads(block: 'name_head' | 'name_tail', key: string): Promise<string[]> {
  const plan = await t.sql<{ detail: string }>(`EXPLAIN QUERY PLAN ${nearMatchSql(block)}`, 1, key, 11, 13);
  return plan.map((row) => row.detail).filter((detail) => /\b(SEARCH|SCAN) signatures\b/.test(detail));
}

describe('query plans', () => {
  it('finds near-match candidates through the covering blocking indexes only', async () => {
    expect(await reads('name_head', 'adal')).toEqual([
      expect.stringMatching(
        /^SEARCH signatures USING COVERING INDEX signatures_letter_head_idx \(letter_id=\? AND name_head=\? AND name_len>\? AND name_len<\?\)$/,
      ),
    ]);
    expect(await reads('name_tail', 'lace')).toEqual([
      expect.stringMatching(
        /^SEARCH signatures USING COVERING INDEX signatures_letter_tail_idx \(letter_id=\? AND name_tail=\? AND name_len>\? AND name_len<\?\)$/,
      ),
    ]);
  });

  it('reads the public log by key only: tiles and bundles as ranges, signatures through their index', async () => {
    const plan = async (sql: string, ...params: unknown[]) =>
      (await t.sql<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params)).map((row) => row.detail);
    const cases: Array<[string, unknown[], RegExp]> = [
      // A tile of hashes, an entry bundle.
      [
        'SELECT hash FROM log_hashes WHERE letter_id = ? AND level = ? AND idx >= ? AND idx < ? ORDER BY idx',
        [1, 0, 0, 256],
        /^SEARCH log_hashes USING (PRIMARY KEY|INDEX sqlite_autoindex_log_hashes_1) \(letter_id=\? AND level=\? AND idx>\? AND idx<\?\)$/,
      ],
      [
        'SELECT entry FROM log_entries WHERE letter_id = ? AND idx >= ? AND idx < ? ORDER BY idx',
        [1, 0, 256],
        /^SEARCH log_entries USING (PRIMARY KEY|INDEX sqlite_autoindex_log_entries_1) \(letter_id=\? AND idx>\? AND idx<\?\)$/,
      ],
      // The latest checkpoint, and the first holding an entry (receipts).
      [
        'SELECT * FROM log_checkpoints WHERE letter_id = ? ORDER BY size DESC LIMIT 1',
        [1],
        /^SEARCH log_checkpoints USING (PRIMARY KEY|INDEX sqlite_autoindex_log_checkpoints_1) \(letter_id=\?\)$/,
      ],
      [
        'SELECT * FROM log_checkpoints WHERE letter_id = ? AND size > ? ORDER BY size LIMIT 1',
        [1, 5],
        /^SEARCH log_checkpoints USING (PRIMARY KEY|INDEX sqlite_autoindex_log_checkpoints_1) \(letter_id=\? AND size>\?\)$/,
      ],
      // The integrator's look-up of signatures' latest entries, and a receipt's.
      [
        'SELECT sig, idx, kind FROM log_entries WHERE letter_id = ? AND sig IN (?, ?, ?)',
        [1, 'a', 'b', 'c'],
        /^SEARCH log_entries USING (COVERING )?INDEX log_entries_sig_idx \(letter_id=\? AND sig=\?\)$/,
      ],
      [
        'SELECT idx, kind, entry FROM log_entries WHERE letter_id = ? AND sig = ? ORDER BY idx DESC LIMIT 1',
        [1, 'a'],
        /^SEARCH log_entries USING INDEX log_entries_sig_idx \(letter_id=\? AND sig=\?\)$/,
      ],
      [
        'SELECT id FROM log_queue WHERE letter_id = ? AND sig = ? LIMIT 1',
        [1, 'a'],
        /^SEARCH log_queue USING (COVERING )?INDEX log_queue_sig_idx \(letter_id=\? AND sig=\?\)$/,
      ],
      // The backfill's look for signatures from before the log, at every start: its own small index.
      [
        'SELECT "id", "letter_id", "verified_at" FROM "signatures" WHERE ("signatures"."id" > ? AND "signatures"."status" = ? AND "signatures"."log_sig" IS NULL) ORDER BY "signatures"."id" ASC LIMIT ?',
        [0, 'verified', 10_000],
        /^SEARCH signatures USING INDEX signatures_unlogged_idx \(id>\?\)$/,
      ],
    ];
    for (const [sql, params, expected] of cases) {
      // A composite primary key is an index of its own on SQLite (sqlite_autoindex_…).
      expect(await plan(sql, ...params), sql).toEqual([expect.stringMatching(expected)]);
    }
  });
});

// Updates (updates/update-repo.ts): the organizer's count of recipients and the fan-out's batches
// read the recipients' partial index, never every signature of the letter; refused addresses are
// counted from their own (small) table, one probe of the letter's address key each.
const RECIPIENT = `"signatures"."letter_id" = ? AND "signatures"."status" = 'verified'
  AND "signatures"."updates_consent_at" IS NOT NULL AND "signatures"."updates_unsubscribed_at" IS NULL`;

describe('query plans of updates', () => {
  it('count and walk the recipients through their partial index', async () => {
    const plan = async (query: string, ...params: unknown[]) =>
      (await t.sql<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`, ...params)).map((row) => row.detail);
    expect(await plan(`SELECT count(*) FROM signatures WHERE ${RECIPIENT}`, 1)).toEqual([
      'SEARCH signatures USING INDEX signatures_update_recipients_idx (letter_id=? AND status=?)',
    ]);
    expect(await plan(`SELECT id FROM signatures WHERE ${RECIPIENT} AND id > ? AND id <= ? ORDER BY id LIMIT 500`, 1, 0, 10)).toEqual([
      'SEARCH signatures USING INDEX signatures_update_recipients_idx (letter_id=? AND status=? AND id>? AND id<?)',
    ]);
    expect(
      await plan(
        `SELECT count(*) FROM email_suppressions CROSS JOIN signatures WHERE "signatures"."email_key" = "email_suppressions"."email_key" AND ${RECIPIENT}`,
        1,
      ),
    ).toEqual([
      'SCAN email_suppressions USING COVERING INDEX sqlite_autoindex_email_suppressions_1',
      'SEARCH signatures USING INDEX signatures_letter_email_uq (letter_id=? AND email_key=?)',
    ]);
  });
});

// The public search on names (api/press-repo.ts, searchSignatures): a range on one word's start
// in the words index, each other word a probe of the same signature's words, then the page's
// signatures by id. Never a scan of names (name_key LIKE '%x%' would read every signature).
describe('query plans of the signatories search', () => {
  it('reads the words index by range and probe, and the signatures by id', async () => {
    const plan = async (query: string, ...params: unknown[]) =>
      (await t.sql<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`, ...params)).map((row) => row.detail);
    const top = '\u{10FFFF}';
    const steps = await plan(
      `SELECT DISTINCT "verified_at", "signature_id" FROM "signature_name_words"
        WHERE "signature_name_words"."letter_id" = ?
          AND ("signature_name_words"."word" >= ? AND "signature_name_words"."word" < ?)
          AND ("signature_name_words"."verified_at", "signature_name_words"."signature_id") < (?, ?)
          AND EXISTS (SELECT 1 FROM "signature_name_words" "other_word"
            WHERE "other_word"."signature_id" = "signature_name_words"."signature_id"
              AND ("other_word"."word" >= ? AND "other_word"."word" < ?))
        ORDER BY "signature_name_words"."verified_at" DESC, "signature_name_words"."signature_id" DESC LIMIT ?`,
      1,
      'lindq',
      `lindq${top}`,
      Date.now(),
      1_000_000,
      'ada',
      `ada${top}`,
      51,
    );
    expect(steps.filter((s) => /\bSCAN\b/.test(s) && !/TEMP B-TREE/.test(s))).toEqual([]);
    expect(steps).toContainEqual(
      expect.stringMatching(
        /^SEARCH signature_name_words USING (COVERING INDEX sqlite_autoindex_signature_name_words_1|PRIMARY KEY) \(letter_id=\? AND word>\? AND word<\?\)$/,
      ),
    );
    expect(steps).toContainEqual(
      expect.stringMatching(
        /^SEARCH other_word (EXISTS )?USING COVERING INDEX signature_name_words_signature_idx \(signature_id=\? AND word>\? AND word<\?\)$/,
      ),
    );
    // Every word common: the words' ranges intersected, each read once through the same index.
    const part = `SELECT "signature_name_words"."verified_at", "signature_name_words"."signature_id" FROM "signature_name_words"
      WHERE ("signature_name_words"."letter_id" = ? AND ("signature_name_words"."word" >= ? AND "signature_name_words"."word" < ?))`;
    const intersected = await plan(
      `SELECT "signature_id" AS "id" FROM (${part} INTERSECT ${part}) AS "matches" ORDER BY "verified_at" DESC, "signature_id" DESC LIMIT ?`,
      1,
      'ma',
      `ma${top}`,
      1,
      'a',
      `a${top}`,
      51,
    );
    expect(intersected.filter((s) => /\bSCAN signature_name_words\b/.test(s))).toEqual([]);
    expect(intersected.filter((s) => s.startsWith('SEARCH signature_name_words'))).toEqual([
      'SEARCH signature_name_words USING COVERING INDEX sqlite_autoindex_signature_name_words_1 (letter_id=? AND word>? AND word<?)',
      'SEARCH signature_name_words USING COVERING INDEX sqlite_autoindex_signature_name_words_1 (letter_id=? AND word>? AND word<?)',
    ]);
    expect(await plan('SELECT id, name FROM signatures WHERE id IN (?, ?, ?)', 1, 2, 3)).toEqual([
      'SEARCH signatures USING INTEGER PRIMARY KEY (rowid=?)',
    ]);
  });
});
