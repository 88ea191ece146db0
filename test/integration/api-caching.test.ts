// Caching and cross-origin reading: strong ETags, 304s, Cache-Control per kind of answer, CORS
// on every GET (errors included) and a sensible preflight.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { signAndConfirm } from '../helpers/signers.js';

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp(
    { RATE_LIMIT: 'off', SPIKE_GUARD: 'off', COUNT_MAX_AGE: '7', COUNT_STALE_WHILE_REVALIDATE: '45' },
    { startBackground: false },
  );
  await seedLetter(t.app);
  await signAndConfirm(t, 'fair-pay', { name: 'Grace Hopper', email: 'grace@example.org', country: 'US' });
});

afterEach(async () => {
  await t.close();
});

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const COUNTS = 'public, max-age=7, stale-while-revalidate=45';
const LISTS = 'public, max-age=30, stale-while-revalidate=60';
const DOCUMENTS = 'public, max-age=300';

const CACHED = [
  ['/api/v1/letters', LISTS],
  ['/api/v1/letters/fair-pay', LISTS],
  ['/api/v1/letters/fair-pay/count', COUNTS],
  ['/api/v1/letters/fair-pay/signatures', LISTS],
  ['/api/v1/letters/fair-pay/timeseries', LISTS],
  ['/api/v1/openapi.json', DOCUMENTS],
  ['/openapi.json', DOCUMENTS],
  ['/letters/fair-pay/badge.svg', COUNTS],
  ['/letters/fair-pay/embed', COUNTS],
  ['/letters.atom', DOCUMENTS],
] as const;

describe('ETag and If-None-Match', () => {
  it.each(CACHED)('%s has a strong ETag, the configured Cache-Control, and answers 304 when it matches', async (url, policy) => {
    const first = await get(url);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/ prefix
    expect(first.headers['cache-control']).toBe(policy);
    // Same bytes, same tag.
    const again = await get(url);
    expect(again.headers.etag).toBe(etag);
    expect(again.body).toBe(first.body);

    const notModified = await get(url, { 'if-none-match': etag });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    expect(notModified.headers['cache-control']).toBe(policy);
    expect(notModified.headers['content-length']).toBeUndefined();

    // Lists of tags, weak forms and * all match (If-None-Match uses the weak comparison).
    for (const header of [`"other", ${etag}`, `W/${etag}`, '*']) {
      expect((await get(url, { 'if-none-match': header })).statusCode, header).toBe(304);
    }
    expect((await get(url, { 'if-none-match': '"something-else"' })).statusCode).toBe(200);
  });

  it('changes the validator when a signature is confirmed or withdrawn, and only then', async () => {
    const urls = [
      '/api/v1/letters/fair-pay/count',
      '/api/v1/letters/fair-pay',
      '/api/v1/letters/fair-pay/timeseries',
      '/letters/fair-pay/badge.svg',
    ];
    const tags = async () => Promise.all(urls.map(async (u) => (await get(u)).headers.etag as string));
    const before = await tags();
    // A pending signature changes nothing public.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/letters/fair-pay/signatures',
      payload: { name: 'Pending Pat', email: 'pat@example.org' },
    });
    expect(await tags()).toEqual(before);

    t.clock.advance(60_000);
    const withdraw = await signAndConfirm(t, 'fair-pay', { name: 'Alan Turing', email: 'alan@example.org', country: 'GB' });
    const afterSigning = await tags();
    for (const [i, tag] of afterSigning.entries()) expect(tag, urls[i]).not.toBe(before[i]);
    const stale = await get('/api/v1/letters/fair-pay/count', { 'if-none-match': before[0]! });
    expect(stale.statusCode).toBe(200);
    expect(stale.json().signature_count).toBe(2);

    t.clock.advance(60_000);
    await t.app.inject({ method: 'POST', url: withdraw });
    const afterWithdrawal = await tags();
    for (const [i, tag] of afterWithdrawal.entries()) expect(tag, urls[i]).not.toBe(afterSigning[i]);
  });

  it('does not cache or tag errors', async () => {
    const missing = await get('/api/v1/letters/nope/count');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
    expect(missing.headers['cache-control']).toBeUndefined();
    const bad = await get('/api/v1/letters?limit=0', { 'if-none-match': '*' });
    expect(bad.statusCode).toBe(400);
  });

  it('sees a change written by another process within a second', async () => {
    expect((await get('/api/v1/letters/fair-pay/count')).json().signature_count).toBe(1);
    // The CLI or a repair job writes through its own connection, which this process cannot observe directly.
    const letterId = await t.one("SELECT id FROM letters WHERE slug = 'fair-pay'");
    const changedAt = await t.one('SELECT max(updated_at) FROM letter_count_slots WHERE letter_id = ?', letterId);
    await fromAnotherProcess(
      'UPDATE letter_count_slots SET count = CASE WHEN slot = 0 THEN 77 ELSE 0 END, updated_at = ? WHERE letter_id = ?',
      new Date(changedAt + 1),
      letterId,
    );
    // Within a second on the app's clock, polling as a newsroom would.
    let seen = 0;
    for (let waited = 0; waited <= 1000; waited += 100) {
      seen = (await get('/api/v1/letters/fair-pay/count')).json().signature_count;
      if (seen === 77) break;
      t.clock.advance(100);
    }
    expect(seen).toBe(77);
  });
});

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

describe('CORS', () => {
  // The embed card is framed, not fetched: it needs frame-ancestors (see api-share), not CORS.
  it.each([...CACHED.map(([url]) => url).filter((u) => !u.endsWith('/embed')), '/api/v1/letters/nope', '/api/v1/letters?limit=x'])(
    '%s may be read from any origin',
    async (url) => {
      const res = await get(url, { origin: 'https://news.example' });
      expect(res.headers['access-control-allow-origin']).toBe('*');
      // Never credentials with a wildcard.
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    },
  );

  it('answers a preflight for reading, and does not offer cross-origin signing', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/letters/fair-pay/count',
      headers: {
        origin: 'https://news.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'if-none-match',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('if-none-match');
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
    const signing = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/letters/fair-pay/signatures',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(signing.headers['access-control-allow-methods']).not.toContain('POST');
  });

  it('keeps the site’s pages closed to other origins', async () => {
    const page = await get('/letters/fair-pay', { origin: 'https://news.example' });
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('security headers on the lean routes', () => {
  it('sends nosniff and a locked-down CSP with JSON and SVG', async () => {
    for (const url of ['/api/v1/letters/fair-pay/count', '/api/v1/letters', '/letters/fair-pay/badge.svg', '/letters.atom']) {
      const res = await get(url);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(String(res.headers['content-security-policy']), url).toMatch(/^default-src 'none'/);
    }
  });
});

describe('logging', () => {
  it('does not log every poll, but still logs the site’s pages', async () => {
    const lines: string[] = [];
    const logged = await makeTestApp(
      { RATE_LIMIT: 'off' },
      { startBackground: false, logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } },
    );
    try {
      await seedLetter(logged.app);
      for (const url of [
        '/api/v1/letters/fair-pay/count',
        '/api/v1/letters/fair-pay',
        '/letters/fair-pay/badge.svg',
        '/api/v1/letters/nope/count',
      ]) {
        expect((await logged.app.inject(url)).statusCode, url).toBeLessThan(500);
      }
      expect(lines.filter((l) => l.includes('/api/v1/') || l.includes('badge.svg'))).toEqual([]);
      await logged.app.inject('/letters/fair-pay');
      expect(lines.some((l) => l.includes('/letters/fair-pay'))).toBe(true);
    } finally {
      await logged.close();
    }
  });
});
