// Secret links (verification, withdrawal, organizer sign-in): 32 random bytes, base64url,
// stored only as SHA-256 hashes so a leaked database cannot be used to sign or withdraw.
import { createHash, createHmac, randomFillSync } from 'node:crypto';

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

const DAY_MS = 24 * 3600 * 1000;
/** How long a signer's links work. Signing again mails fresh ones. */
export const VERIFY_LINK_TTL_MS = 7 * DAY_MS;
export const WITHDRAW_LINK_TTL_MS = 365 * DAY_MS;

/**
 * The withdrawal link that goes with a confirmation link, derived from it: the confirmation page
 * can show the very link the mail carries, however often it is opened, without storing or
 * issuing another. Whoever holds the confirmation link is the signer, so it reveals nothing new.
 */
export function withdrawTokenFor(verifyToken: string): string {
  return createHash('sha256').update(`withdraw:${verifyToken}`).digest('base64url');
}

/**
 * A browser's mark for an account it signed in to, kept in a signed cookie: short, and not the
 * address itself (cookies are sent with every request of the organizer area).
 */
export function deviceMark(secret: string, account: string): string {
  return createHmac('sha256', secret).update(`device:${account}`).digest('base64url').slice(0, 16);
}
