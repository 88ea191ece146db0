import { describe, expect, it } from 'vitest';
import { cardCountText, cardKey } from '../../src/api/link-card.js';
import { countStep, countStepSize } from '../../src/domain/count-step.js';

describe('countStep', () => {
  it.each([
    [0, 0],
    [9, 0],
    [10, 10],
    [99, 90],
    [100, 100],
    [199, 100],
    [999, 900],
    [1_000, 1_000],
    [9_999, 9_000],
    [10_000, 10_000],
    [11_204, 10_000],
    [1_234_567, 1_230_000],
    [-3, 0],
  ])('%i is in the step starting at %i', (count, step) => {
    expect(countStep(count)).toBe(step);
  });

  it('grows the step with the count', () => {
    expect([5, 500, 5_000, 50_000].map(countStepSize)).toEqual([10, 100, 1_000, 10_000]);
  });

  it('is the same within a step and changes when the count crosses one', () => {
    expect(countStep(141)).toBe(countStep(199));
    expect(countStep(199)).not.toBe(countStep(200));
  });
});

describe('the link-preview card', () => {
  const letter = (signatureCount: number) => ({ id: 7, updatedAt: new Date(1_780_000_000_000), signatureCount });

  it('says the same count for every count that gives the same key', () => {
    for (const [a, b] of [
      [10, 19],
      [100, 199],
      [11_204, 19_999],
    ] as const) {
      expect(cardKey(letter(a))).toBe(cardKey(letter(b)));
      expect(cardCountText(a)).toBe(cardCountText(b));
    }
    expect(cardCountText(11_204)).toBe('10,000+ signatures');
    expect(cardCountText(100)).toBe('100+ signatures');
  });

  it('counts the first signatures one by one', () => {
    expect([0, 1, 9].map(cardCountText)).toEqual(['0 signatures', '1 signature', '9 signatures']);
    expect(cardKey(letter(3))).not.toBe(cardKey(letter(4)));
  });

  it('changes with an edit of the letter', () => {
    expect(cardKey({ ...letter(50), updatedAt: new Date(1_780_000_000_001) })).not.toBe(cardKey(letter(50)));
  });
});
