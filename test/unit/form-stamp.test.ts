import { describe, expect, it } from 'vitest';
import { checkFormStamp, createFormStamp, FORM_STAMP_MAX_AGE_MS, sharedStampTime } from '../../src/domain/form-stamp.js';

const SECRET = 'a-secret-long-enough-for-the-tests-0123456789';
const check = (stamp: unknown, now: number, minMs = 2000, letter = 'fair-pay') => checkFormStamp(SECRET, stamp, letter, now, minMs).result;

describe('form stamps', () => {
  it('accepts a genuine stamp once the minimum has passed, and calls it too fast before', () => {
    const stamp = createFormStamp(SECRET, 'fair-pay', 10_000);
    expect(check(stamp, 11_999)).toBe('too_fast');
    expect(check(stamp, 12_000)).toBe('ok');
    expect(checkFormStamp(SECRET, stamp, 'fair-pay', 11_000, 2000)).toEqual({ result: 'too_fast', issuedAt: 10_000 });
  });

  it('has a maximum age', () => {
    const stamp = createFormStamp(SECRET, 'fair-pay', 10_000);
    expect(check(stamp, 10_000 + FORM_STAMP_MAX_AGE_MS)).toBe('ok');
    expect(check(stamp, 10_001 + FORM_STAMP_MAX_AGE_MS)).toBe('expired');
  });

  it('is bound to its letter', () => {
    const stamp = createFormStamp(SECRET, 'fair-pay', 10_000);
    expect(check(stamp, 20_000, 2000, 'another-letter')).toBe('invalid');
  });

  it('refuses forged, foreign and malformed stamps, even with no minimum', () => {
    const stamp = createFormStamp(SECRET, 'fair-pay', 10_000);
    for (const bad of [
      createFormStamp('another-secret-of-the-same-length-012345678', 'fair-pay', 10_000),
      stamp.replace('10000', '9000'),
      '',
      'x',
      42,
      undefined,
    ]) {
      expect(check(bad, 20_000, 0)).toBe('invalid');
    }
  });

  it('takes any genuine stamp when the minimum is 0, even one dated a moment ahead', () => {
    expect(check(createFormStamp(SECRET, 'fair-pay', 10_100), 10_000, 0)).toBe('ok');
  });

  it('dates a shared stamp to the end of its window, never earlier than the request', () => {
    expect(sharedStampTime(10_000, 100)).toBe(10_100);
    expect(sharedStampTime(10_050, 100)).toBe(10_100);
    expect(sharedStampTime(10_099, 100)).toBe(10_100);
    for (let now = 0; now < 1000; now += 7) expect(sharedStampTime(now, 100)).toBeGreaterThan(now);
  });
});
