// When a letter takes signatures, whether the public may see it, and what status it is shown with.
import { describe, expect, it } from 'vitest';
import { isPublic, isSignable, publicStatus, signingEndedAt } from '../../src/domain/letter-rules.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const BEFORE = new Date('2026-05-31T12:00:00Z');
const AFTER = new Date('2026-06-02T12:00:00Z');

describe('what the public sees', () => {
  it.each([
    ['draft', false, null],
    ['published', true, 'published'],
    ['closed', true, 'closed'],
  ] as const)('a %s letter: visible %s, shown as %s', (status, visible, shown) => {
    expect(isPublic({ status })).toBe(visible);
    if (shown) expect(publicStatus(status)).toBe(shown);
  });
});

describe('signing', () => {
  it.each([
    ['published', null, null, true, null],
    ['published', AFTER, null, true, null],
    ['published', BEFORE, null, false, BEFORE],
    ['published', NOW, null, false, NOW],
    ['closed', AFTER, BEFORE, false, BEFORE],
    ['closed', BEFORE, null, false, BEFORE],
    ['draft', null, null, false, null],
  ] as const)('%s, closing %s, closed %s: signable %s, ended %s', (status, closesAt, closedAt, signable, ended) => {
    const letter = { status, closesAt, closedAt };
    expect(isSignable(letter, NOW)).toBe(signable);
    expect(signingEndedAt(letter, NOW)).toEqual(ended);
  });
});
