// The counter check and its repair while people keep confirming: the check must never report a
// confirmation committing between its queries as drift, and a repair must never lose one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findDrift } from '../../src/signatures/counter-check.js';
import { letterCount, makeTestApp, recount, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { latestLinks } from '../helpers/signers.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' });
  await seedLetter(t.app);
});
afterEach(async () => {
  await t.close();
});

/** Signs `n` people up and returns their confirmation links (not yet followed). */
async function pendingLinks(n: number): Promise<string[]> {
  const links: string[] = [];
  for (let i = 0; i < n; i++) {
    const email = `racer${i}@check.example`;
    const signed = await signViaApi(t, 'fair-pay', { name: `Racer Number${i}`, email, country: i % 2 ? 'FR' : 'DE' });
    expect(signed.statusCode).toBe(202);
    const { verify } = await latestLinks(t, email);
    if (!verify) throw new Error(`no link for ${email}`);
    links.push(verify);
  }
  return links;
}

/** Follows the links four at a time, running `during` alongside each batch. */
async function confirmAll(links: string[], during: () => Promise<void>): Promise<void> {
  for (let i = 0; i < links.length; i += 4) {
    const batch = links.slice(i, i + 4).map(async (url) => {
      const res = await t.app.inject({ method: 'POST', url });
      expect(res.statusCode).toBe(200);
    });
    await Promise.all([...batch, during()]);
  }
}

describe('the counter check during confirmations', () => {
  it('finds no drift while confirmations commit between its queries', async () => {
    const links = await pendingLinks(40);
    const reports: unknown[] = [];
    let confirming = true;
    const checking = (async () => {
      for (let n = 0; confirming && n < 1000; n++) reports.push(...(await findDrift(t.store)));
    })();
    await confirmAll(links, async () => {});
    confirming = false;
    await checking;
    expect(reports).toEqual([]);
    expect(await letterCount(t, 'fair-pay')).toBe(40);
  });

  it('repairs without losing a confirmation made meanwhile', async () => {
    const links = await pendingLinks(40);
    await confirmAll(links, async () => {
      // A broken counter first, so that every repair really rewrites the tables.
      await t.sql('UPDATE letter_count_slots SET count = count + 5');
      expect(await t.app.services.counters.repair()).not.toEqual([]);
    });
    expect(await findDrift(t.store)).toEqual([]);
    expect(await letterCount(t, 'fair-pay')).toBe(40);
    expect(await recount(t, 'fair-pay')).toBe(40);
  });

  it('finds and repairs drift in the country and hour breakdowns', async () => {
    await confirmAll(await pendingLinks(6), async () => {});
    // A slot of its own for each change, as every process adds to slots of its own.
    const [{ letterId, hour } = { letterId: 0, hour: 0 }] = await t.sql<{ letterId: number; hour: number }>(
      'SELECT letter_id AS "letterId", hour FROM letter_hour_counts LIMIT 1',
    );
    await t.sql("INSERT INTO letter_country_counts (letter_id, country, slot, count) VALUES (?, 'FR', 999, 2)", letterId);
    await t.sql('INSERT INTO letter_hour_counts (letter_id, hour, slot, count) VALUES (?, ?, 999, -1)', letterId, hour);
    await t.sql("DELETE FROM letter_country_counts WHERE country = 'DE'");
    const found = (await findDrift(t.store)).map((d) => [d.counter, d.counter === 'hour' ? 'an hour' : d.key, d.stored, d.actual]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['country', 'FR', 5, 3],
        ['country', 'DE', 0, 3],
        ['hour', 'an hour', 5, 6],
      ]),
    );
    expect(found).toHaveLength(3);
    await t.app.services.counters.repair();
    expect(await findDrift(t.store)).toEqual([]);
  });
});
