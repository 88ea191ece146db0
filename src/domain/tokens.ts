// Secret links (verification, withdrawal, organizer sign-in): 32 random bytes, base64url,
// stored only as SHA-256 hashes so a leaked database cannot be used to sign or withdraw.
import { createHash, randomBytes } from 'node:crypto';

export type TokenGenerator = () => string;

export const generateToken: TokenGenerator = () => randomBytes(32).toString('base64url');

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** 32 bytes in base64url without padding are always 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedToken(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}
