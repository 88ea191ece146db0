// A signed timestamp in the signing form, bound to its letter. Bots that post at once, replay an
// old form or forge the field are recognised without bothering people; a person who is simply
// quick (autofill, then a tap) is asked to press the button again, never silently turned away.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A form older than this is stale: the person is asked to send it again (with a fresh stamp). */
export const FORM_STAMP_MAX_AGE_MS = 24 * 3600 * 1000;

export function createFormStamp(secret: string, letter: string, time: number): string {
  return `${time}.${sign(secret, letter, time)}`;
}

/**
 * The time a stamp shared by everyone served within one window of `windowMs` carries: the
 * window's end, so sharing can only make the minimum fill time longer (by under windowMs), never
 * shorter.
 */
export function sharedStampTime(now: number, windowMs: number): number {
  return (Math.floor(now / windowMs) + 1) * windowMs;
}

export type StampCheck =
  | { result: 'ok'; issuedAt: number }
  /** Genuine, but sent sooner than a person usually types: keep the stamp and ask again. */
  | { result: 'too_fast'; issuedAt: number }
  /** Genuine but older than FORM_STAMP_MAX_AGE_MS. */
  | { result: 'expired'; issuedAt: number }
  /** Missing, malformed, forged, or from another letter's form. */
  | { result: 'invalid' };

export function checkFormStamp(secret: string, stamp: unknown, letter: string, now: number, minMs: number): StampCheck {
  if (typeof stamp !== 'string') return { result: 'invalid' };
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(stamp);
  if (!match) return { result: 'invalid' };
  const issuedAt = Number(match[1]);
  const expected = Buffer.from(sign(secret, letter, issuedAt));
  const given = Buffer.from(match[2] ?? '');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { result: 'invalid' };
  if (now - issuedAt > FORM_STAMP_MAX_AGE_MS) return { result: 'expired', issuedAt };
  if (minMs > 0 && now - issuedAt < minMs) return { result: 'too_fast', issuedAt };
  return { result: 'ok', issuedAt };
}

function sign(secret: string, letter: string, time: number): string {
  return createHmac('sha256', secret).update(`form-stamp:${letter}:${time}`).digest('base64url');
}
