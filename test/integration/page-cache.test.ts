// The letter page is rendered once per change and shared between readers (src/letters/page-cache.ts):
// it must still show every change at once, a current form stamp that never shortens the minimum
// fill time, and what depends on the time.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFormStamp, sharedStampTime } from '../../src/domain/form-stamp.js';
import { makeTestApp, seedLetter, signViaApi, signViaForm, type TestApp } from '../helpers/app.js';
import { queuedMail } from '../helpers/signers.js';

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp({ SIGN_MIN_FILL_MS: '2000' }, { startBackground: false });
  await seedLetter(t.app);
});

afterEach(async () => {
  await t.close();
});

const page = async () => {
  const res = await t.app.inject('/letters/fair-pay');
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  return res.body;
};

const stampIn = (html: string) => /name="started" value="([^"]+)"/.exec(html)?.[1];

async function signAndConfirm(name: string, email: string) {
  expect((await signViaApi(t, 'fair-pay', { name, email, country: 'FR' })).statusCode).toBe(202);
  const text = (await queuedMail(t, email, 'verify'))?.text ?? '';
  const token = /\/verify\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  expect((await t.app.inject({ method: 'POST', url: `/verify/${token}` })).statusCode).toBe(200);
}

/** A write through a connection of its own (SQLite: another handle on the file; PostgreSQL: the test's own pool). */
async function fromAnotherProcess(query: string, ...params: unknown[]) {
  const store = t.config.store;
  if (store.kind !== 'sqlite') {
    await t.sql(query, ...params);
    return;
  }
  const other = new Database(store.path);
  try {
    other.prepare(query).run(...params.map((p) => (p instanceof Date ? p.getTime() : p)));
  } finally {
    other.close();
  }
}

describe('the cached letter page', () => {
  it('shows a confirmation on the next request', async () => {
    const before = await page();
    expect(before).toMatch(/class="count">0</);
    expect(await page()).toBe(before);
    await signAndConfirm('Grace Hopper', 'grace@example.org');
    const after = await page();
    expect(after).toMatch(/class="count">1</);
    expect(after).toContain('Grace Hopper');
    expect(after).toContain('France');
  });

  it('stamps the form with the end of the tenth of a second it is served in, and the form accepts it', async () => {
    // Half-way through a second, so the window's end is 100 ms ahead at most.
    t.clock.advance(1050 - (t.clock.now().getTime() % 1000));
    const servedAt = t.clock.now().getTime();
    const first = stampIn(await page());
    expect(first).toBe(createFormStamp(t.config.SESSION_SECRET, 'fair-pay', sharedStampTime(servedAt, 100)));
    expect(sharedStampTime(servedAt, 100)).toBe(servedAt + 50);
    t.clock.advance(20);
    expect(stampIn(await page())).toBe(first);
    t.clock.advance(3000);
    const html = await page();
    const second = stampIn(html);
    expect(second).toBe(createFormStamp(t.config.SESSION_SECRET, 'fair-pay', sharedStampTime(t.clock.now().getTime(), 100)));
    expect(second).not.toBe(first);
    expect(html.split(second as string)).toHaveLength(2);
    // Submitted three seconds after this page was served: a person, not a bot.
    t.clock.advance(3000);
    const res = await signViaForm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org', started: second as string });
    expect(res.statusCode).toBe(303);
    expect(await t.one('SELECT count(*) FROM signatures')).toBe(1);
  });

  it('never shortens the minimum fill time by sharing a stamp', async () => {
    t.clock.advance(1050 - (t.clock.now().getTime() % 1000));
    const stamp = stampIn(await page()) as string;
    // Exactly the minimum after the page was served: the stamp is 50 ms younger, so too soon.
    t.clock.advance(2000);
    await signViaForm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org', started: stamp });
    expect(await t.one('SELECT count(*) FROM signatures')).toBe(0);
    t.clock.advance(50);
    await signViaForm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org', started: stamp });
    expect(await t.one('SELECT count(*) FROM signatures')).toBe(1);
  });

  it('follows the clock: a deadline that passes closes the form', async () => {
    await seedLetter(t.app, { slug: 'soon', closes_at: new Date(t.clock.now().getTime() + 10_000) });
    const open = await t.app.inject('/letters/soon');
    expect(open.body).toContain('Add your name');
    t.clock.advance(20_000);
    const closed = await t.app.inject('/letters/soon');
    expect(closed.body).not.toContain('Add your name');
    expect(closed.body).toContain('no longer takes signatures');
  });

  it('sees writes from another process within a second', async () => {
    expect(await page()).toContain('Fair pay for artists');
    const updatedAt = await t.one("SELECT updated_at FROM letters WHERE slug = 'fair-pay'");
    await fromAnotherProcess("UPDATE letters SET title = 'Fair pay, now', updated_at = ? WHERE slug = 'fair-pay'", new Date(updatedAt + 1));
    // A second later on the app's clock.
    t.clock.advance(1100);
    expect(await page()).toContain('Fair pay, now');
  });

  it('still answers 404 for letters that do not exist, and drafts', async () => {
    await seedLetter(t.app, { slug: 'hidden-draft', status: 'draft' });
    expect((await t.app.inject('/letters/nope')).statusCode).toBe(404);
    expect((await t.app.inject('/letters/hidden-draft')).statusCode).toBe(404);
  });
});
