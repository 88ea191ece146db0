// The address a confirmation mail just went to, carried from the signing POST to the "check your
// email" page it redirects to, so the signer can spot a typo. It travels in a short-lived cookie
// scoped to that one page, signed and bound to the letter: never in a URL (where it would reach
// logs, history and referrers), and unreadable to any other page or letter.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Long enough to read the page and come back to it; short enough for a shared computer. */
export const SENT_TO_MAX_AGE_MS = 10 * 60 * 1000;
export const SENT_TO_COOKIE = 'undersigned_sent_to';

/** The cookie's value: the address, when it expires, and a MAC over both and the letter. */
export function sealSentTo(secret: string, letter: string, address: string, now: number): string {
  const body = `${Buffer.from(address).toString('base64url')}.${now + SENT_TO_MAX_AGE_MS}`;
  return `${body}.${mac(secret, letter, body)}`;
}

/** The address, or null when the value is missing, forged, for another letter or expired. */
export function openSentTo(secret: string, letter: string, value: string | undefined, now: number): string | null {
  if (!value) return null;
  const parts = value.split('.');
  if (parts.length !== 3) return null;
  const [encoded, expires, given] = parts as [string, string, string];
  const expected = Buffer.from(mac(secret, letter, `${encoded}.${expires}`));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  if (!/^\d{1,16}$/.test(expires) || Number(expires) <= now) return null;
  return Buffer.from(encoded, 'base64url').toString('utf8');
}

function mac(secret: string, letter: string, body: string): string {
  // A key of its own, so this value can never stand for anything else signed with the secret.
  const key = createHmac('sha256', secret).update('undersigned/sent-to/v1').digest();
  return createHmac('sha256', key).update(`${letter}|${body}`).digest('base64url');
}
