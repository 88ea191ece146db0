import { describe, expect, it } from 'vitest';
import { createFormStamp, isHumanPaced, sharedStampTime } from '../../src/domain/form-stamp.js';

const SECRET = 'a-secret-long-enough-for-the-tests-0123456789';

describe('form stamps', () => {
  it('accepts a genuine stamp once the minimum has passed, and not before', () => {
    const stamp = createFormStamp(SECRET, 10_000);
    expect(isHumanPaced(SECRET, stamp, 11_999, 2000)).toBe(false);
    expect(isHumanPaced(SECRET, stamp, 12_000, 2000)).toBe(true);
  });

  it('refuses forged, foreign and malformed stamps, even with no minimum', () => {
    const stamp = createFormStamp(SECRET, 10_000);
    for (const bad of [
      createFormStamp('another-secret-of-the-same-length-012345678', 10_000),
      stamp.replace('10000', '9000'),
      '',
      'x',
      42,
      undefined,
    ]) {
      expect(isHumanPaced(SECRET, bad, 20_000, 0)).toBe(false);
    }
  });

  it('takes any genuine stamp when the minimum is 0, even one dated a moment ahead', () => {
    expect(isHumanPaced(SECRET, createFormStamp(SECRET, 10_100), 10_000, 0)).toBe(true);
  });

  it('dates a shared stamp to the end of its window, never earlier than the request', () => {
    expect(sharedStampTime(10_000, 100)).toBe(10_100);
    expect(sharedStampTime(10_050, 100)).toBe(10_100);
    expect(sharedStampTime(10_099, 100)).toBe(10_100);
    for (let now = 0; now < 1000; now += 7) expect(sharedStampTime(now, 100)).toBeGreaterThan(now);
  });
});
