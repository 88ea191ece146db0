import { describe, expect, it } from 'vitest';
import { cachePolicies, etagOf, matchesEtag, readOnlyHeaders } from '../../src/api/http-cache.js';

describe('matchesEtag (If-None-Match, weak comparison)', () => {
  const tag = '"abc"';
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['"x",W/"abc" ', true],
    ['*', true],
    [' * ', true],
    ['"abcd"', false],
    ['"ab"', false],
    ['abc', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (header, expected) => {
    expect(matchesEtag(header, tag)).toBe(expected);
  });
});

describe('etagOf', () => {
  it('is strong, stable for the same bytes and different for different bytes', () => {
    expect(etagOf('{"a":1}')).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(etagOf('{"a":1}')).toBe(etagOf(Buffer.from('{"a":1}')));
    expect(etagOf('{"a":1}')).not.toBe(etagOf('{"a":2}'));
  });
});

describe('cachePolicies', () => {
  it('takes the count lifetimes from configuration', () => {
    expect(cachePolicies({ COUNT_MAX_AGE: 9, COUNT_STALE_WHILE_REVALIDATE: 99 }).counts).toBe(
      'public, max-age=9, stale-while-revalidate=99',
    );
  });
});

describe('readOnlyHeaders', () => {
  it('adds HSTS only over https, and CORP only for embeddable images', () => {
    expect(readOnlyHeaders({ https: false }, "default-src 'none'")).toEqual({
      'access-control-allow-origin': '*',
      'content-security-policy': "default-src 'none'",
      'x-content-type-options': 'nosniff',
    });
    const https = readOnlyHeaders({ https: true }, "default-src 'none'", { embeddable: true });
    expect(https['strict-transport-security']).toContain('max-age=');
    expect(https['cross-origin-resource-policy']).toBe('cross-origin');
  });
});
