import { describe, expect, it } from 'vitest';
import { compactPath, MAP_HEIGHT, MAP_STEPS, MAP_WIDTH, mapShapes, mapStep } from '../../src/api/world-map.js';

/** Absolute points back from a compact path. */
function points(d: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let x = 0;
  let y = 0;
  for (const [, command, args] of d.matchAll(/([Mlz])([^Mlz]*)/g)) {
    const numbers = (args ?? '').match(/-?\d+/g)?.map(Number) ?? [];
    for (let i = 0; i + 1 < numbers.length; i += 2) {
      if (command === 'M') [x, y] = [numbers[i]!, numbers[i + 1]!];
      else [x, y] = [x + numbers[i]!, y + numbers[i + 1]!];
      out.push([x, y]);
    }
  }
  return out;
}

describe('compactPath', () => {
  it('draws the same rounded points with relative moves, dropping points that round onto the previous one', () => {
    const d = 'M10.4,20.6L12.2,20.6L12.4,20.9L15.6,18.1L-3.5,7ZM100,100L101.4,99.6Z';
    expect(compactPath(d)).toBe('M10 21l2 0 4-3-19-11zM100 100l1 0z');
    expect(points(compactPath(d))).toEqual([
      [10, 21],
      [12, 21],
      [16, 18],
      [-3, 7],
      [100, 100],
      [101, 100],
    ]);
  });
});

describe('mapShapes', () => {
  it('fills the map: the world touches both sides, the top and the bottom, and nothing is outside', () => {
    const all = mapShapes().flatMap((shape) => points(shape.d));
    const xs = all.map(([x]) => x);
    const ys = all.map(([, y]) => y);
    expect([Math.min(...xs), Math.max(...xs)]).toEqual([0, MAP_WIDTH]);
    expect(Math.min(...ys)).toBe(0);
    expect(Math.max(...ys)).toBeGreaterThan(MAP_HEIGHT - 2);
    expect(Math.max(...ys)).toBeLessThanOrEqual(MAP_HEIGHT);
  });

  it('names countries by their ISO code where the atlas has one', () => {
    const shapes = mapShapes();
    expect(shapes.find((s) => s.code === 'FR')?.name).toBe('France');
    expect(shapes.filter((s) => s.code === null).length).toBeLessThanOrEqual(5);
  });
});

describe('mapStep', () => {
  it.each([
    [0, 0],
    [1, 1],
    [9, 1],
    [10, 2],
    [999, 3],
    [1000, 4],
    [250_000, 5],
  ])('%i signatures are step %i', (count, step) => {
    expect(mapStep(count)).toBe(step);
  });

  it('has a distinct fill per step', () => {
    expect(new Set(MAP_STEPS.map((s) => s.fill)).size).toBe(MAP_STEPS.length);
  });
});
