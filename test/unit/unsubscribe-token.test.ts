import { describe, expect, it } from 'vitest';
import { UnsubscribeTokens } from '../../src/domain/unsubscribe-token.js';

const SECRET = 'a session secret of at least thirty-two characters';
const tokens = new UnsubscribeTokens(SECRET);

describe('unsubscribe tokens', () => {
  it('name the signature they were made for, and nothing else', () => {
    for (const id of [1, 42, 987_654_321, Number.MAX_SAFE_INTEGER]) {
      const token = tokens.tokenFor(id);
      expect(token).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
      expect(tokens.signatureOf(token)).toBe(id);
    }
  });

  it.each([
    ['another id with this mac', () => `2.${tokens.tokenFor(1).split('.')[1]}`],
    ['another secret', () => new UnsubscribeTokens(`${SECRET}!`).tokenFor(1)],
    ['a truncated mac', () => tokens.tokenFor(1).slice(0, -1)],
    ['a leading zero', () => `0${tokens.tokenFor(1)}`],
    ['no mac', () => '1'],
    ['an unsafe integer', () => `${'9'.repeat(16)}.${'a'.repeat(43)}`],
    ['whitespace', () => ` ${tokens.tokenFor(1)}`],
    ['empty', () => ''],
  ])('refuse %s', (_case, token) => {
    expect(tokens.signatureOf(token())).toBeNull();
  });
});
