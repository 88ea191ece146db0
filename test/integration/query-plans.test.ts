// Signing must stay fast at any size (issue 5): the near-match lookup made on every confirmation
// reads only its two covering indexes, never the table and never the whole letter.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NEAR_MATCH_SQL } from '../../src/signatures/signature-repo.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp({}, { startWorker: false });
});

afterEach(async () => {
  await t.close();
});

describe('query plans', () => {
  it('finds near-match candidates through the covering blocking indexes only', () => {
    const plan = t.app.deps.db.$client
      .prepare(`EXPLAIN QUERY PLAN ${NEAR_MATCH_SQL}`)
      .all({ letterId: 1, head: 'adal', tail: 'lace', minLen: 11, maxLen: 13 }) as Array<{ detail: string }>;
    const reads = plan.map((row) => row.detail).filter((detail) => /\b(SEARCH|SCAN) signatures\b/.test(detail));
    expect(reads).toEqual([
      expect.stringMatching(
        /^SEARCH signatures USING COVERING INDEX signatures_letter_head_idx \(letter_id=\? AND name_head=\? AND name_len>\? AND name_len<\?\)$/,
      ),
      expect.stringMatching(
        /^SEARCH signatures USING COVERING INDEX signatures_letter_tail_idx \(letter_id=\? AND name_tail=\? AND name_len>\? AND name_len<\?\)$/,
      ),
    ]);
  });
});
