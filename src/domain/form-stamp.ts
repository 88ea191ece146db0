// A signed timestamp in the signing form. Bots that post at once (or forge the field) are
// recognised without bothering humans, who take at least a few seconds to type a name.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function createFormStamp(secret: string, now: number): string {
  return `${now}.${sign(secret, now)}`;
}

/**
 * The time a stamp shared by everyone served within one window of `windowMs` carries: the
 * window's end, so sharing can only make the minimum fill time longer (by under windowMs), never
 * shorter.
 */
export function sharedStampTime(now: number, windowMs: number): number {
  return (Math.floor(now / windowMs) + 1) * windowMs;
}

/** True when the stamp is genuine and at least minMs old (any genuine stamp when minMs is 0). */
export function isHumanPaced(secret: string, stamp: unknown, now: number, minMs: number): boolean {
  if (typeof stamp !== 'string') return false;
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(stamp);
  if (!match) return false;
  const issued = Number(match[1]);
  const expected = Buffer.from(sign(secret, issued));
  const given = Buffer.from(match[2] ?? '');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  return minMs === 0 || now - issued >= minMs;
}

function sign(secret: string, time: number): string {
  return createHmac('sha256', secret).update(`form-stamp:${time}`).digest('base64url');
}
