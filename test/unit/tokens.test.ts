import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, isWellFormedToken } from '../../src/domain/tokens.js';

describe('secret tokens', () => {
  it('are 32 random bytes in base64url, never repeated across refills of the random pool', () => {
    const tokens = Array.from({ length: 1000 }, () => generateToken());
    for (const token of tokens) {
      expect(isWellFormedToken(token)).toBe(true);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    // Not all-zero or otherwise degenerate: every byte value shows up across 32,000 bytes.
    const bytes = new Set(tokens.flatMap((token) => [...Buffer.from(token, 'base64url')]));
    expect(bytes.size).toBe(256);
  });

  it('are stored as a SHA-256 hash, never as themselves', () => {
    const token = generateToken();
    expect(hashToken(token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashToken(token)).not.toBe(token);
    expect(hashToken(token)).toBe(hashToken(token));
  });
});
