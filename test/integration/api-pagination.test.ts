// Keyset pagination under concurrent signing: people sign (and withdraw) between page fetches,
// and following next_cursor still shows every signature exactly once, in order.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { addConfirmed, moderate, seededRandom, signAndConfirm } from '../helpers/signers.js';

let t: TestApp;
let letterId: number;

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { startBackground: false });
  letterId = (await seedLetter(t.app)).id;
});

afterEach(async () => {
  await t.close();
});

interface Page {
  data: Array<{ name: string; signed_at: string }>;
  next_cursor: string | null;
}

async function page(url: string): Promise<Page> {
  const res = await t.app.inject(url);
  expect(res.statusCode, url).toBe(200);
  return res.json();
}

const label = (i: number) => `Signer ${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`;

describe('signature pages under concurrent signing', () => {
  it('never repeats or skips a signature while others sign and withdraw between fetches', async () => {
    const random = seededRandom(7);
    const start = t.clock.now().getTime();
    // 60 listed signatures over the past hours, many sharing a timestamp (ties are broken by id),
    // plus private and hidden ones that must never show.
    const listed = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const at = new Date(start - Math.floor(i / 4) * 600_000);
      await addConfirmed(t, letterId, label(i), at);
      listed.add(label(i));
    }
    await addConfirmed(t, letterId, 'Private Signer', new Date(start - 1000), { isPublic: false });
    const hidden = await addConfirmed(t, letterId, 'Hidden Signer', new Date(start - 2000));
    await moderate(t, hidden.id, 'hide');

    const seen: string[] = [];
    const removed = new Set<string>();
    let cursor: string | null = null;
    let fetches = 0;
    let added = 0;
    do {
      const current: Page = await page(`/api/v1/letters/fair-pay/signatures?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...current.data.map((s) => s.name));
      cursor = current.next_cursor;
      fetches++;
      // Between fetches: new people sign (through the API and the emailed link, or imported
      // with the current time), sometimes in the same millisecond as the newest signature.
      if (random() < 0.7) t.clock.advance(Math.floor(random() * 5000));
      await signAndConfirm(t, 'fair-pay', { name: `Late Comer ${added}`, email: `late${added}@example.org` });
      added++;
      await addConfirmed(t, letterId, `Imported Late ${added}`, t.clock.now());
      // And someone not yet seen withdraws: they must simply disappear, not shift the pages.
      const candidates = [...listed].filter((n) => !seen.includes(n) && !removed.has(n));
      const leaving = candidates[Math.floor(random() * candidates.length)];
      if (leaving && random() < 0.5) {
        const id = await t.one('SELECT id FROM signatures WHERE name = ?', leaving);
        await moderate(t, id, 'reject');
        removed.add(leaving);
      }
    } while (cursor && fetches < 50);

    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length); // no duplicates
    const expected = [...listed].filter((n) => !removed.has(n));
    expect(seen.filter((n) => listed.has(n)).sort()).toEqual(expected.sort()); // no gaps
    // Everything signed after the first fetch is newer than the cursor: none of it shows up later.
    expect(seen.filter((n) => !listed.has(n))).toEqual([]);
    expect(seen).not.toContain('Private Signer');
    expect(seen).not.toContain('Hidden Signer');
    expect(removed.size).toBeGreaterThan(0);

    // A fresh walk now sees the newcomers first, then the same older ones.
    const fresh: string[] = [];
    cursor = null;
    fetches = 0;
    do {
      const current: Page = await page(`/api/v1/letters/fair-pay/signatures?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      fresh.push(...current.data.map((s) => s.name));
      cursor = current.next_cursor;
    } while (cursor && ++fetches < 10);
    expect(fresh.length).toBe(expected.length + 2 * added);
    expect(fresh.slice(2 * added).sort()).toEqual(expected.sort());
  });

  it('keeps newest-first order across pages, ties included', async () => {
    const at = new Date('2026-05-31T10:00:00Z');
    for (let i = 0; i < 9; i++) await addConfirmed(t, letterId, label(i), at);
    const names: string[] = [];
    const stamps: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 10; n++) {
      const current: Page = await page(`/api/v1/letters/fair-pay/signatures?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      names.push(...current.data.map((s) => s.name));
      stamps.push(...current.data.map((s) => s.signed_at));
      cursor = current.next_cursor;
      if (!cursor) break;
    }
    // Same timestamp: the later signature (higher id) first.
    expect(names).toEqual([...Array(9).keys()].reverse().map(label));
    expect(new Set(stamps)).toEqual(new Set(['2026-05-31T10:00:00.000Z']));
  });

  it('ends with next_cursor null exactly when the last page is full', async () => {
    for (let i = 0; i < 4; i++) await addConfirmed(t, letterId, label(i), new Date(Date.UTC(2026, 4, 1, i)));
    const first = await page('/api/v1/letters/fair-pay/signatures?limit=2');
    expect(first.next_cursor).not.toBeNull();
    const second = await page(`/api/v1/letters/fair-pay/signatures?limit=2&cursor=${first.next_cursor}`);
    expect(second.data).toHaveLength(2);
    expect(second.next_cursor).toBeNull();
    const all = await page('/api/v1/letters/fair-pay/signatures?limit=4');
    expect(all.next_cursor).toBeNull();
  });
});

describe('letter pages under concurrent publishing', () => {
  it('shows each letter once while new letters are published between fetches', async () => {
    const original = new Set(['fair-pay']);
    for (let i = 0; i < 11; i++) {
      t.clock.advance(60_000);
      await seedLetter(t.app, { slug: `letter-${i}`, title: `Letter ${i}` });
      original.add(`letter-${i}`);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let n = 0;
    do {
      const res = await t.app.inject(`/api/v1/letters?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json() as { data: Array<{ slug: string }>; next_cursor: string | null };
      seen.push(...body.data.map((l) => l.slug));
      cursor = body.next_cursor;
      t.clock.advance(60_000);
      await seedLetter(t.app, { slug: `breaking-${n}`, title: `Breaking ${n}` });
    } while (cursor && ++n < 20);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...original].sort());
  });
});
