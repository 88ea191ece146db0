import { describe, expect, it } from 'vitest';
import { CursorCodec } from '../../src/api/cursor.js';

const codec = new CursorCodec('a-secret-that-is-long-enough-for-tests-000');

describe('CursorCodec', () => {
  it('round-trips keyset values, negative and large ones included', () => {
    for (const values of [
      [0, 1],
      [1_780_315_200_000, 42],
      [-5, Number.MAX_SAFE_INTEGER],
    ]) {
      expect(codec.decode('signatures:7', codec.encode('signatures:7', values), 2)).toEqual(values);
    }
  });

  it('is opaque and URL-safe', () => {
    const cursor = codec.encode('letters', [1_780_315_200_000, 3]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}$/);
  });

  it.each([
    ['another scope', (c: string) => c, 'signatures:8'],
    ['a changed body', (c: string) => `${Buffer.from('signatures:7|1|999').toString('base64url')}.${c.split('.')[1]}`, 'signatures:7'],
    ['a changed mac', (c: string) => `${c.slice(0, -1)}${c.endsWith('A') ? 'B' : 'A'}`, 'signatures:7'],
    ['no mac', (c: string) => c.split('.')[0]!, 'signatures:7'],
    ['an extra part', (c: string) => `${c}.x`, 'signatures:7'],
    ['garbage', () => '%%%', 'signatures:7'],
    ['empty', () => '', 'signatures:7'],
  ])('refuses %s', (_label, mutate, scope) => {
    const cursor = codec.encode('signatures:7', [1, 2]);
    expect(codec.decode(scope, mutate(cursor), 2)).toBeNull();
  });

  it('refuses a cursor signed with another secret, or with the wrong number of values', () => {
    const other = new CursorCodec('another-secret-that-is-long-enough-000000');
    expect(codec.decode('letters', other.encode('letters', [1, 2]), 2)).toBeNull();
    expect(codec.decode('letters', codec.encode('letters', [1, 2, 3]), 2)).toBeNull();
  });

  it('refuses values that are not safe integers even when signed', () => {
    // Only reachable with the key, but decode must still never hand back NaN or a float.
    expect(codec.decode('letters', codec.encode('letters', [1.5, 2]), 2)).toBeNull();
    expect(codec.decode('letters', codec.encode('letters', [2 ** 60, 2]), 2)).toBeNull();
  });
});
