// Secret links (verification, withdrawal, organizer sign-in): 32 random bytes, base64url,
// stored only as SHA-256 hashes so a leaked database cannot be used to sign or withdraw.
import { createHash, randomFillSync } from 'node:crypto';

export type TokenGenerator = () => string;

const TOKEN_BYTES = 32;
// Drawn from the kernel 128 tokens at a time, as randomUUID does: each draw is a system call
// (8 µs on a virtual machine), and signing issues one or two tokens per signature. Every byte is
// handed out once and overwritten on the next refill.
const pool = Buffer.alloc(TOKEN_BYTES * 128);
let offset = pool.length;

export const generateToken: TokenGenerator = () => {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const token = pool.toString('base64url', offset, offset + TOKEN_BYTES);
  offset += TOKEN_BYTES;
  return token;
};

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** 32 bytes in base64url without padding are always 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedToken(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}
