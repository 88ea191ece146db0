// The API's numbers come from counter tables kept in the signing transactions. After a random
// (seeded, bounded) mix of signing, confirming, withdrawing and moderating, every number the API
// shows must equal a recount from the signatures table.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModerationAction } from '../../src/signatures/signature-repo.js';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { latestLinks, moderate, seededRandom } from '../helpers/signers.js';

let t: TestApp;
const letters: Record<string, number> = {};

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { startBackground: false });
  letters['fair-pay'] = (await seedLetter(t.app)).id;
  letters['second-letter'] = (await seedLetter(t.app, { slug: 'second-letter', title: 'Second', duplicate_names: 'allow' })).id;
});

afterEach(async () => {
  await t.close();
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const COUNTRIES = ['GB', 'FR', 'US', 'DE', null] as const;
// Fewer names than people: some confirmations collide by name and are held for review.
const NAMES = [
  'Ada Byron',
  'Alan Turing',
  'Grace Hopper',
  'Edsger Dijkstra',
  'Barbara Liskov',
  'Donald Knuth',
  'Frances Allen',
  'Ken Thompson',
  'Radia Perlman',
  'John Backus',
  'Margaret Hamilton',
  'Tony Hoare',
  'Hedy Lamarr',
  'Dennis Ritchie',
  'Karen Sparck Jones',
  'Niklaus Wirth',
];
const PEOPLE = Array.from({ length: 40 }, (_, i) => ({ name: NAMES[i % NAMES.length]!, email: `person${i}@example.org` }));
// Approving is commoner than marking fraud, which is final.
const ACTIONS: ModerationAction[] = ['approve', 'approve', 'reject', 'hide', 'unhide', 'fraudulent'];

async function randomOperations(seed: number, steps: number) {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const tally: Record<string, number> = {};
  for (let step = 0; step < steps; step++) {
    const slug = pick(Object.keys(letters));
    const person = pick(PEOPLE);
    const roll = random();
    let op: string;
    if (roll < 0.3) {
      op = 'sign';
      await signViaApi(t, slug, { ...person, country: pick(COUNTRIES), public: random() < 0.8 });
    } else if (roll < 0.6) {
      op = 'verify';
      // Mostly someone who is waiting to confirm, sometimes anyone (old or used links).
      const waiting = await emailsWith(letters[slug]!, ['pending']);
      const { verify } = await latestLinks(t, waiting.length > 0 && random() < 0.8 ? pick(waiting) : person.email);
      if (verify) await t.app.inject({ method: 'POST', url: verify });
    } else if (roll < 0.72) {
      op = 'withdraw';
      const counted = await emailsWith(letters[slug]!, ['verified', 'held']);
      const { withdraw } = await latestLinks(t, counted.length > 0 && random() < 0.8 ? pick(counted) : person.email);
      if (withdraw) await t.app.inject({ method: 'POST', url: withdraw });
    } else if (roll < 0.9) {
      op = 'moderate';
      const rows = await t.sql<{ id: number }>('SELECT id FROM signatures WHERE letter_id = ? ORDER BY id', letters[slug]);
      if (rows.length > 0) {
        await moderate(t, pick(rows).id, pick(ACTIONS));
      }
    } else {
      op = 'time';
      // Up to a day and a half: signatures land in many hour and day buckets.
      t.clock.advance(Math.floor(random() * 36 * HOUR));
    }
    tally[op] = (tally[op] ?? 0) + 1;
    // Small steps too, so several confirmations share an hour.
    t.clock.advance(Math.floor(random() * 20 * 60_000));
  }
  return tally;
}

async function emailsWith(letterId: number, statuses: string[]): Promise<string[]> {
  const rows = await t.sql<{ email: string }>(
    `SELECT email FROM signatures WHERE letter_id = ? AND status IN (${statuses.map(() => '?').join(', ')}) ORDER BY id`,
    letterId,
    ...statuses,
  );
  return rows.map((r) => r.email);
}

/** What the numbers should be, recounted from the signatures table. */
async function recount(letterId: number) {
  // The confirmed signatures themselves (times as milliseconds, flags as 1/0 on both databases),
  // counted and bucketed here.
  const verified = await t.sql<{ country: string | null; verified_at: number; is_public: number; hidden: number }>(
    "SELECT country, verified_at, is_public, hidden FROM signatures WHERE letter_id = ? AND status = 'verified'",
    letterId,
  );
  const total = verified.length;
  const byCountry: Record<string, number> = {};
  for (const r of verified) if (r.country !== null) byCountry[r.country] = (byCountry[r.country] ?? 0) + 1;
  const series = (size: number) => {
    const buckets = new Map<number, number>();
    for (const r of verified) {
      const start = r.verified_at - (r.verified_at % size);
      buckets.set(start, (buckets.get(start) ?? 0) + 1);
    }
    let cumulative = 0;
    return [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([start, n]) => {
        cumulative += n;
        return { start: new Date(start).toISOString(), count: n, cumulative };
      });
  };
  const listed = verified.filter((r) => r.is_public === 1 && r.hidden === 0).length;
  return { total, byCountry, hourly: series(HOUR), daily: series(DAY), listed };
}

async function listedViaApi(slug: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const res = await t.app.inject(`/api/v1/letters/${slug}/signatures?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
    const body = res.json() as { data: unknown[]; next_cursor: string | null };
    count += body.data.length;
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  return count;
}

describe('counters against a recount', () => {
  it.each([1, 2, 3, 42])('match after random operations (seed %i), at every checkpoint', async (seed) => {
    const random = seededRandom(seed);
    const tally: Record<string, number> = {};
    for (let checkpoint = 0; checkpoint < 4; checkpoint++) {
      for (const [op, n] of Object.entries(await randomOperations(Math.floor(random() * 1e9), 80))) tally[op] = (tally[op] ?? 0) + n;
      await expectCountersMatch();
    }
    // The mix really happened: every kind of operation ran.
    for (const op of ['sign', 'verify', 'withdraw', 'moderate', 'time']) expect(tally[op], op).toBeGreaterThan(0);
  });
});

async function expectCountersMatch() {
  {
    let totalCounted = 0;
    for (const slug of Object.keys(letters)) {
      const expected = await recount(letters[slug]!);
      totalCounted += expected.total;

      const count = (await t.app.inject(`/api/v1/letters/${slug}/count`)).json();
      expect(count.signature_count, `${slug} count`).toBe(expected.total);

      const detail = (await t.app.inject(`/api/v1/letters/${slug}`)).json();
      expect(detail.signature_count).toBe(expected.total);
      expect(detail.signatures_by_country, `${slug} countries`).toEqual(expected.byCountry);

      const hourly = (await t.app.inject(`/api/v1/letters/${slug}/timeseries?interval=hour`)).json();
      expect(hourly.buckets, `${slug} hourly`).toEqual(expected.hourly);
      const daily = (await t.app.inject(`/api/v1/letters/${slug}/timeseries?interval=day`)).json();
      expect(daily.buckets, `${slug} daily`).toEqual(expected.daily);
      expect(daily.buckets.at(-1)?.cumulative ?? 0).toBe(expected.total);

      expect(await listedViaApi(slug), `${slug} listed`).toBe(expected.listed);
    }
    const recounts = await Promise.all(Object.keys(letters).map(async (s) => [s, await recount(letters[s]!)] as const));
    console.log(recounts.map(([s, r]) => [s, r.total, r.hourly.length]));
    // Something was actually counted, or the comparison would be empty.
    expect(totalCounted).toBeGreaterThan(0);
  }
}
