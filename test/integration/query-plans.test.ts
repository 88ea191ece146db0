// Signing must stay fast at any size (issue 5): the near-match lookup made on every confirmation
// reads only its two covering indexes, never the table and never the whole letter. The lookup is
// two prepared queries, one per blocking index ('sig_near_head' and 'sig_near_tail' in
// signature-repo.ts); their SQL is repeated here to ask SQLite for its plans.
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
});
