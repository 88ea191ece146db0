import { describe, expect, it } from 'vitest';
import { DIGEST_INTERVAL_MS, digestDue, waitingSummary } from '../../src/domain/hold-digest.js';

describe('digestDue: at most one digest an hour per collective', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it.each([
    ['never mailed', null, true],
    ['mailed a minute ago', new Date(now.getTime() - 60_000), false],
    ['mailed a minute less than an hour ago', new Date(now.getTime() - DIGEST_INTERVAL_MS + 60_000), false],
    ['mailed exactly an hour ago', new Date(now.getTime() - DIGEST_INTERVAL_MS), true],
    ['mailed yesterday', new Date(now.getTime() - 24 * DIGEST_INTERVAL_MS), true],
  ])('%s: %s', (_, lastAt, due) => {
    expect(digestDue(lastAt, now)).toBe(due);
  });
});

describe('waitingSummary', () => {
  it('lists the reasons with signatures, in the lifecycle’s order, with their total', () => {
    expect(waitingSummary({ spike: 3, name_duplicate: 2, notable: 0 })).toEqual({
      total: 5,
      reasons: [
        { reason: 'name_duplicate', label: 'same name as another signature', count: 2 },
        { reason: 'spike', label: 'signed during a sudden surge', count: 3 },
      ],
    });
  });

  it('is empty for a letter with nothing held', () => {
    expect(waitingSummary({})).toEqual({ total: 0, reasons: [] });
  });
});
