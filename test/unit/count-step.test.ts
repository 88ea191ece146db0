import { describe, expect, it } from 'vitest';
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
