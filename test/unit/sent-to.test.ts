import { describe, expect, it } from 'vitest';
import { openSentTo, SENT_TO_MAX_AGE_MS, sealSentTo } from '../../src/domain/sent-to.js';

const SECRET = 'a test secret that is long enough to use';
const NOW = Date.parse('2026-06-01T12:00:00Z');

describe('the address a mail went to, sealed for the check-email page', () => {
  it('opens for the same letter within its lifetime', () => {
    const value = sealSentTo(SECRET, 'fair-pay', 'Lena@gmial.com', NOW);
    expect(value).not.toContain('@');
    expect(openSentTo(SECRET, 'fair-pay', value, NOW + SENT_TO_MAX_AGE_MS - 1)).toBe('Lena@gmial.com');
  });

  it('refuses an expired, tampered, foreign or missing value', () => {
    const value = sealSentTo(SECRET, 'fair-pay', 'lena@gmial.com', NOW);
    expect(openSentTo(SECRET, 'fair-pay', value, NOW + SENT_TO_MAX_AGE_MS)).toBeNull();
    expect(openSentTo(SECRET, 'other-letter', value, NOW)).toBeNull();
    expect(openSentTo('another secret, also long enough here', 'fair-pay', value, NOW)).toBeNull();
    const [, expires, mac] = value.split('.');
    const forged = `${Buffer.from('someone@else.org').toString('base64url')}.${expires}.${mac}`;
    expect(openSentTo(SECRET, 'fair-pay', forged, NOW)).toBeNull();
    expect(openSentTo(SECRET, 'fair-pay', undefined, NOW)).toBeNull();
    expect(openSentTo(SECRET, 'fair-pay', 'a.b', NOW)).toBeNull();
  });
});
