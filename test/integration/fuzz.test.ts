// Property-based fuzzing of every route: whatever arrives, never a 5xx, the right kind of error
// page, and nothing stored is changed by a request that was refused.
// FUZZ_RUNS raises the number of cases (default 2,000 in `npm test`).
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { type Browser, signedInOrganizer } from '../helpers/organizer.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
let t: TestApp;
let owner: Browser;

beforeAll(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' });
  await seedLetter(t.app);
  await seedLetter(t.app, { slug: 'draft-one', status: 'draft' });
  await seedLetter(t.app, { slug: 'closed-one', status: 'closed' });
  for (let i = 0; i < 3; i++) await signViaApi(t, 'fair-pay', { name: `Existing ${i}`, email: `existing${i}@example.org`, country: 'FR' });
  owner = (await signedInOrganizer(t, { email: 'owner@example.org', collective: 'artists-united', role: 'owner' })).browser;
});

afterAll(async () => {
  await t?.close();
});

/** Everything a refused request must leave untouched (rows in a fixed order, so equal means unchanged). */
async function snapshot() {
  const rows = (query: string) => t.sql(query);
  const [signatures, letters, counts, countries, hours, outbox, notables] = await Promise.all([
    rows('SELECT id, status, hidden FROM signatures ORDER BY id'),
    rows('SELECT slug, status, version FROM letters ORDER BY id'),
    rows('SELECT letter_id, slot, count FROM letter_count_slots ORDER BY letter_id, slot'),
    rows('SELECT letter_id, country, slot, count FROM letter_country_counts ORDER BY letter_id, country, slot'),
    rows('SELECT letter_id, hour, slot, count FROM letter_hour_counts ORDER BY letter_id, hour, slot'),
    t.one('SELECT count(*) FROM outbox'),
    t.one('SELECT count(*) FROM notable_signatories'),
  ]);
  return { signatures, letters, counts, countries, hours, outbox, notables };
}

const weirdText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '%00',
    '..',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    '\u202Eevil',
    'A'.repeat(300),
    '=cmd|calc',
    '😀'.repeat(50),
    '%ff%fe',
    '1e309',
    '-1',
    '0',
    'NaN',
    'null',
    '[]',
    '{}',
    'constructor',
    '__proto__',
    'toString',
    'Ada constructor',
    'x@constructor.com',
  ),
);

const slugArb = fc.oneof(fc.constantFrom('fair-pay', 'draft-one', 'closed-one', 'nope'), weirdText);
const tokenArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 43, maxLength: 43 }),
  fc.string({ maxLength: 100 }),
  fc.constant(''),
);
const idArb = fc.oneof(fc.integer().map(String), fc.constantFrom('1', '2', '-1', '0', '99999999999999999999', 'abc', '1.5', ''), weirdText);

function fillPattern(url: string, parts: { slug: string; token: string; id: string; rest: string }): string {
  const enc = (v: string) => encodeURIComponent(v);
  return url
    .replace(/:slug/g, enc(parts.slug))
    .replace(/:token/g, enc(parts.token))
    .replace(/:[a-zA-Z]+/g, enc(parts.id))
    .replace(/\*/g, parts.rest);
}

const bodyArb = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((v) => ({ type: 'application/json', payload: JSON.stringify(v) })),
  fc
    .dictionary(
      fc.constantFrom(
        'name',
        'email',
        'title',
        'organisation',
        'country',
        'public',
        'comment',
        'website',
        'started',
        '__proto__',
        'constructor',
      ),
      weirdText,
    )
    .map((d) => ({
      type: 'application/json',
      payload: JSON.stringify(d),
    })),
  fc
    .dictionary(fc.string({ maxLength: 12 }), weirdText)
    .map((d) => ({ type: 'application/x-www-form-urlencoded', payload: new URLSearchParams(d).toString() })),
  fc.string().map((s) => ({ type: 'application/x-www-form-urlencoded', payload: s })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ type: 'application/json', payload: Buffer.from(bytes) })),
  fc
    .uint8Array({ maxLength: 200 })
    .map((bytes) => ({ type: 'application/x-www-form-urlencoded', payload: Buffer.concat([Buffer.from('name='), Buffer.from(bytes)]) })),
  fc.constantFrom(
    { type: 'application/json', payload: `${'['.repeat(20_000)}${']'.repeat(20_000)}` },
    { type: 'application/json', payload: '{"name": "x", "email": "a@b.c", "public": 1e999}' },
    { type: 'application/json', payload: '{"__proto__": {"polluted": true}, "name": "x"}' },
    { type: 'application/json', payload: 'x'.repeat(1024 * 1024) },
    { type: 'application/x-www-form-urlencoded', payload: `name=${'x'.repeat(1024 * 1024)}` },
    { type: 'application/json', payload: '{"name": "\u0000", "email": "nul\u0000@example.org"}' },
    { type: 'text/plain', payload: 'hello' },
    { type: 'application/xml', payload: '<a/>' },
    { type: 'multipart/form-data; boundary=x', payload: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nA\r\n--x--' },
    { type: 'garbage', payload: '???' },
    { type: 'application/json; charset=utf-16', payload: '{}' },
  ),
);

const queryArb = fc.dictionary(fc.constantFrom('limit', 'cursor', 'interval', 'status', 'next', 'q', 'page', 'x'), weirdText, {
  maxKeys: 3,
});

describe('fuzzing every route', () => {
  it(`survives ${RUNS} random and adversarial requests`, async () => {
    const routes = t.app.routeTable.filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(10);
    const requestArb = fc.record({
      route: fc.constantFrom(...routes),
      method: fc.oneof(fc.constant(null), fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD')),
      slug: slugArb,
      token: tokenArb,
      id: idArb,
      rest: fc.oneof(fc.constant('css/site.css'), fc.string({ maxLength: 30 })),
      body: bodyArb,
      query: queryArb,
      cookie: fc.oneof(fc.constant(undefined), weirdText),
    });
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        cases++;
        const url = fillPattern(r.route.url, r);
        const method = (r.method ?? r.route.method) as NonNullable<InjectOptions['method']>;
        const before = await snapshot();
        const res = await t.app.inject({
          method,
          url,
          query: r.query,
          ...(r.body && method !== 'GET' && method !== 'HEAD' ? { payload: r.body.payload, headers: { 'content-type': r.body.type } } : {}),
          ...(r.cookie !== undefined ? { cookies: { sid: r.cookie, _csrf: r.cookie } } : {}),
        });
        const where = `${method} ${url} → ${res.statusCode}`;
        expect(res.statusCode, where).toBeLessThan(500);
        if (res.statusCode >= 400 && method !== 'HEAD') {
          const type = String(res.headers['content-type'] ?? '');
          // The API and the letters' public logs are read by programs: their errors are JSON. The
          // path is the one the URL resolves to: a slug of ".." is a dot segment, not a letter.
          const path = new URL(url, 'http://127.0.0.1').pathname;
          if (path.startsWith('/api/') || /^\/letters\/[^/]+\/log\//.test(path)) {
            expect(type, where).toContain('application/json');
            expect(res.json().error.code, where).toBeTypeOf('string');
          } else {
            expect(type, where).toContain('text/html');
          }
          expect(res.body, where).not.toMatch(/\n\s+at .+:\d+:\d+/);
          expect(await snapshot(), where).toEqual(before);
        }
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    process.stdout.write(`fuzz: ${cases} requests across ${routes.length} routes, no 5xx\n`);
  }, 240_000);

  it(`survives ${Math.ceil(RUNS / 2)} random requests from a signed-in owner with a valid CSRF token`, async () => {
    // Signing out would end the session the rest of the run needs.
    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/organize') && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(10);
    const fieldsArb = fc.dictionary(
      fc.constantFrom(
        'title',
        'slug',
        'summary',
        'addressee',
        'body',
        'goal',
        'closes_at',
        'duplicate_names',
        'status',
        'action',
        'ids',
        'id',
        'name',
        'description',
        'email',
        'role',
        'direction',
        'q',
        'next',
      ),
      fc.oneof(weirdText, fc.array(weirdText, { maxLength: 3 })),
      { maxKeys: 6 },
    );
    const requestArb = fc.record({
      route: fc.constantFrom(...routes),
      slug: fc.oneof(fc.constantFrom('fair-pay', 'fair-pay', 'draft-one', 'closed-one'), slugArb),
      token: tokenArb,
      id: fc.oneof(fc.constantFrom('1', '2', '3', '4'), idArb),
      rest: fc.string({ maxLength: 10 }),
      fields: fieldsArb,
      query: queryArb,
    });
    const statuses = new Map<number, number>();
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        cases++;
        const url = fillPattern(r.route.url, r);
        const before = await snapshot();
        const res =
          r.route.method === 'GET'
            ? await owner.get(`${url}?${new URLSearchParams(r.query)}`)
            : await owner.post(url, r.fields as Record<string, string>);
        const where = `${r.route.method} ${url} → ${res.statusCode}`;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode, where).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(String(res.headers['content-type']), where).toMatch(/text\/html|text\/csv/);
          expect(await snapshot(), where).toEqual(before);
        }
      }),
      { numRuns: Math.ceil(RUNS / 2), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    process.stdout.write(
      `fuzz: ${cases} signed-in organizer requests across ${routes.length} routes, no 5xx (statuses ${JSON.stringify(Object.fromEntries(statuses))})\n`,
    );
  }, 240_000);
});
