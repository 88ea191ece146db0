import { describe, expect, it } from 'vitest';
import { FreshCache } from '../../src/fresh-cache.js';

function setup(maxEntries = 10) {
  let mark = 0;
  let time = 0;
  let loads = 0;
  const cache = new FreshCache<{ n: number }>({ changeMark: () => mark, maxAgeMs: 1000, maxEntries, clock: () => time });
  const get = (key = 'a') =>
    cache.get(key, async () => {
      loads++;
      return { n: loads };
    });
  return {
    get,
    write: () => mark++,
    tick: (ms: number) => {
      time += ms;
    },
    loads: () => loads,
  };
}

describe('FreshCache', () => {
  it('keeps the same object while nothing is written and the entry is young', async () => {
    const c = setup();
    const first = await c.get();
    c.tick(999);
    expect(await c.get()).toBe(first);
    expect(c.loads()).toBe(1);
  });

  it('reloads after any write, and after maxAgeMs even without one', async () => {
    const c = setup();
    const first = await c.get();
    c.write();
    const second = await c.get();
    expect(second).not.toBe(first);
    c.tick(1000);
    expect(await c.get()).not.toBe(second);
    expect(c.loads()).toBe(3);
  });

  it('does not cache failures', async () => {
    const cache = new FreshCache<number>({ changeMark: () => 0, maxAgeMs: 1000, maxEntries: 5, clock: () => 0 });
    await expect(cache.get('x', () => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(await cache.get('x', async () => 7)).toBe(7);
  });

  it('hands the stale value to the loader, which may keep it', async () => {
    let time = 0;
    const cache = new FreshCache<{ v: number }>({ changeMark: () => 0, maxAgeMs: 1000, maxEntries: 5, clock: () => time });
    const first = await cache.get('k', async () => ({ v: 1 }));
    time += 1000;
    const seen: Array<{ v: number } | undefined> = [];
    const again = await cache.get('k', async (stale) => {
      seen.push(stale);
      return stale ?? { v: 2 };
    });
    expect(seen).toEqual([first]);
    expect(again).toBe(first);
  });

  it('treats a clock that went back as expired', async () => {
    let time = 5000;
    let loads = 0;
    const cache = new FreshCache<number>({ changeMark: () => 0, maxAgeMs: 1000, maxEntries: 5, clock: () => time });
    await cache.get('k', async () => ++loads);
    time = 1000;
    await cache.get('k', async () => ++loads);
    expect(loads).toBe(2);
  });

  it('drops the oldest entries beyond maxEntries', async () => {
    const c = setup(2);
    await c.get('a');
    await c.get('b');
    await c.get('c');
    expect(c.loads()).toBe(3);
    await c.get('c');
    await c.get('b');
    expect(c.loads()).toBe(3);
    await c.get('a');
    expect(c.loads()).toBe(4);
  });
});

describe('FreshCache under concurrent readers', () => {
  it('loads once for readers arriving while a load is under way', async () => {
    let loads = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const cache = new FreshCache<number>({ changeMark: () => 0, maxAgeMs: 1000, maxEntries: 5, clock: () => 0 });
    const readers = Array.from({ length: 20 }, () =>
      cache.get('k', async () => {
        loads++;
        await gate;
        return 42;
      }),
    );
    release();
    expect(await Promise.all(readers)).toEqual(Array(20).fill(42));
    expect(loads).toBe(1);
  });

  it('does not hand a reader a load that began before a write it could have seen', async () => {
    let mark = 0;
    let loads = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const cache = new FreshCache<number>({ changeMark: () => mark, maxAgeMs: 1000, maxEntries: 5, clock: () => 0 });
    const load = async () => {
      loads++;
      const seen = mark;
      await gate;
      return seen;
    };
    const before = cache.get('k', load);
    mark++; // this process commits a write while the first load is under way
    const after = cache.get('k', load);
    release();
    expect(await before).toBe(0);
    expect(await after).toBe(1);
    expect(loads).toBe(2);
  });

  it('lets a failed load fail only its own readers, and the next reader load again', async () => {
    let attempt = 0;
    const cache = new FreshCache<number>({ changeMark: () => 0, maxAgeMs: 1000, maxEntries: 5, clock: () => 0 });
    const load = async () => {
      attempt++;
      if (attempt === 1) throw new Error('gone');
      return 7;
    };
    const [a, b] = await Promise.allSettled([cache.get('k', load), cache.get('k', load)]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    expect(await cache.get('k', load)).toBe(7);
  });
});
