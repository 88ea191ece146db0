// The press API's contract: every field of every endpoint, every status code, through HTTP
// against a real database (SQLite or PostgreSQL).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LETTER_BODY, makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { latestLinks, moderate, signAndConfirm } from '../helpers/signers.js';

let t: TestApp;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { startBackground: false });
  await seedLetter(t.app, {
    closes_at: new Date('2026-12-31T23:59:00Z'),
    milestones: [
      { count: 3, text: '' },
      { count: 100, text: 'We deliver the letter' },
    ],
    notable: [
      { name: 'Zadie Notable', description: 'Novelist' },
      { name: 'Ada Notable', description: '' },
    ],
  });
});

afterEach(async () => {
  await t.close();
});

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const json = <T = Record<string, unknown>>(res: { body: string }) => JSON.parse(res.body) as T;

async function signers() {
  await signAndConfirm(t, 'fair-pay', { name: 'Grace Hopper', email: 'grace@example.org', country: 'US', title: 'Admiral' });
  t.clock.advance(60_000);
  await signAndConfirm(t, 'fair-pay', { name: 'Alan Turing', email: 'alan@example.org', country: 'GB', organisation: 'Bletchley' });
  t.clock.advance(60_000);
  await signAndConfirm(t, 'fair-pay', { name: 'Private Person', email: 'private@example.org', country: 'GB', public: false });
  t.clock.advance(60_000);
  // Signed but never confirmed: not counted, not listed.
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/letters/fair-pay/signatures',
    payload: { name: 'Pending Pat', email: 'pat@example.org' },
  });
}

describe('GET /api/v1/letters', () => {
  it('lists published and closed letters with every documented field, never drafts', async () => {
    t.clock.advance(1000);
    await seedLetter(t.app, { slug: 'closed-one', title: 'A closed letter', status: 'closed', goal: null });
    t.clock.advance(1000);
    await seedLetter(t.app, { slug: 'secret-draft', title: 'Draft', status: 'draft' });
    const res = await get('/api/v1/letters');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = json<{ data: Array<Record<string, unknown>>; next_cursor: unknown }>(res);
    expect(body.next_cursor).toBeNull();
    expect(body.data.map((l) => l.slug)).toEqual(['closed-one', 'fair-pay']);
    const [closed, fair] = body.data;
    expect(Object.keys(fair!).sort()).toEqual(
      ['closes_at', 'goal', 'published_at', 'signature_count', 'slug', 'status', 'title', 'updated_at', 'url'].sort(),
    );
    expect(fair).toEqual({
      slug: 'fair-pay',
      title: 'Fair pay for artists',
      status: 'published',
      signature_count: 0,
      goal: 1000,
      url: 'http://127.0.0.1:3000/letters/fair-pay',
      published_at: '2026-06-01T12:00:00.000Z',
      closes_at: '2026-12-31T23:59:00.000Z',
      updated_at: '2026-06-01T12:00:00.000Z',
    });
    expect(closed).toMatchObject({ slug: 'closed-one', status: 'closed', goal: null, closes_at: null });
    expect(closed!.published_at).toMatch(ISO_UTC);
    expect(closed!.updated_at).toMatch(ISO_UTC);
  });

  it('sorts a letter without a publication date last, with published_at null', async () => {
    t.clock.advance(1000);
    await seedLetter(t.app, { slug: 'closed-one', title: 'A closed letter', status: 'closed' });
    await t.sql("UPDATE letters SET published_at = NULL WHERE slug = 'closed-one'");
    // Written under the app (PostgreSQL: another connection): seen once the cache's second is up.
    t.clock.advance(1000);
    const first = json<{ data: Array<{ slug: string; published_at: unknown }>; next_cursor: string }>(await get('/api/v1/letters?limit=1'));
    expect(first.data.map((l) => l.slug)).toEqual(['fair-pay']);
    const second = json<{ data: Array<{ slug: string; published_at: unknown }>; next_cursor: unknown }>(
      await get(`/api/v1/letters?limit=1&cursor=${first.next_cursor}`),
    );
    expect(second.data).toMatchObject([{ slug: 'closed-one', published_at: null }]);
    expect(second.next_cursor).toBeNull();
  });

  it('pages with limit and an opaque cursor', async () => {
    for (let i = 1; i <= 4; i++) {
      t.clock.advance(1000);
      await seedLetter(t.app, { slug: `letter-${i}`, title: `Letter ${i}` });
    }
    const first = json<{ data: Array<{ slug: string }>; next_cursor: string }>(await get('/api/v1/letters?limit=2'));
    expect(first.data.map((l) => l.slug)).toEqual(['letter-4', 'letter-3']);
    expect(typeof first.next_cursor).toBe('string');
    const second = json<{ data: Array<{ slug: string }>; next_cursor: string }>(
      await get(`/api/v1/letters?limit=2&cursor=${first.next_cursor}`),
    );
    expect(second.data.map((l) => l.slug)).toEqual(['letter-2', 'letter-1']);
    const third = json<{ data: Array<{ slug: string }>; next_cursor: string | null }>(
      await get(`/api/v1/letters?limit=2&cursor=${second.next_cursor}`),
    );
    expect(third.data.map((l) => l.slug)).toEqual(['fair-pay']);
    expect(third.next_cursor).toBeNull();
  });
});

describe('GET /api/v1/letters/:slug', () => {
  it('has every documented field, notables in curated order, and countries from the counters', async () => {
    await signers();
    const res = await get('/api/v1/letters/fair-pay');
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(Object.keys(body).sort()).toEqual(
      [
        'addressee',
        'body',
        'closes_at',
        'collective',
        'goal',
        'language',
        'languages',
        'log',
        'milestones',
        'notable_signatories',
        'published_at',
        'signature_count',
        'signatures_by_country',
        'slug',
        'status',
        'summary',
        'text_language',
        'title',
        'updated_at',
        'url',
        'version',
      ].sort(),
    );
    expect(body).toMatchObject({
      slug: 'fair-pay',
      title: 'Fair pay for artists',
      summary: 'Artists ask to be paid.',
      addressee: 'Example Corp',
      body: LETTER_BODY,
      text_language: 'en',
      language: 'en',
      version: 1,
      languages: [{ code: 'en', translates_version: 1, current: true }],
      status: 'published',
      collective: { slug: 'artists-united', name: 'Artists United' },
      signature_count: 3,
      goal: 1000,
      published_at: '2026-06-01T12:00:00.000Z',
      closes_at: '2026-12-31T23:59:00.000Z',
      url: 'http://127.0.0.1:3000/letters/fair-pay',
      // Reached once the count is there: three signatures reach the first.
      milestones: [
        { count: 3, text: '', reached: true },
        { count: 100, text: 'We deliver the letter', reached: false },
      ],
      // Curated order (not alphabetical); none has signed, so none is verified.
      notable_signatories: [
        { name: 'Zadie Notable', description: 'Novelist', verified: false },
        { name: 'Ada Notable', description: '', verified: false },
      ],
      // The private signer counts here; the pending one does not. Largest first.
      signatures_by_country: { GB: 2, US: 1 },
      // Its public log, as of its latest checkpoint (none yet: the integrator has not run).
      log: {
        origin: '127.0.0.1:3000/letters/fair-pay',
        verifier_key: expect.stringMatching(/^127\.0\.0\.1:3000\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/),
        checkpoint_url: 'http://127.0.0.1:3000/letters/fair-pay/log/checkpoint',
        size: 0,
      },
    });
    expect((body.log as { verifier_key: string }).verifier_key).toBe(t.app.services.log.verifierKey);
    await t.app.services.log.integrate();
    expect(json<{ log: { size: number } }>(await get('/api/v1/letters/fair-pay')).log.size).toBe(3);
    expect(Object.keys(body.signatures_by_country as object)).toEqual(['GB', 'US']);
    expect(body.updated_at).toBe(new Date(t.clock.now().getTime() - 60_000).toISOString());
  });

  it('marks a notable signatory verified when the entry is tied to a confirmed signature', async () => {
    await signAndConfirm(t, 'fair-pay', { name: 'Ada Notable', email: 'ada@example.org' });
    // Promotion is an organizer feature; the API only reads whether the entry has a signature.
    const id = await t.one("SELECT id FROM signatures WHERE email = 'ada@example.org'");
    await t.sql("UPDATE notable_signatories SET signature_id = ? WHERE name = 'Ada Notable'", id);
    // Signing under a notable's name was held for review; once approved, the entry is hers.
    await moderate(t, id, 'approve');
    const body = json<{ notable_signatories: Array<{ name: string; verified: boolean }> }>(await get('/api/v1/letters/fair-pay'));
    expect(body.notable_signatories).toEqual([
      { name: 'Zadie Notable', description: 'Novelist', verified: false },
      { name: 'Ada Notable', description: '', verified: true },
    ]);
  });

  it('reads the country breakdown from letter_country_counts, not from the signatures', async () => {
    await signers();
    // Tamper with the counter only: the API must show the counter's value.
    await t.sql(
      "UPDATE letter_country_counts SET count = CASE WHEN slot = (SELECT min(slot) FROM letter_country_counts WHERE country = 'US') THEN 41 ELSE 0 END WHERE country = 'US'",
    );
    t.clock.advance(1000);
    const body = json<{ signatures_by_country: Record<string, number> }>(await get('/api/v1/letters/fair-pay'));
    expect(body.signatures_by_country).toEqual({ US: 41, GB: 2 });
  });
});

describe('GET /api/v1/letters/:slug?lang=', () => {
  const french = {
    language: 'fr' as const,
    title: 'Un salaire juste',
    summary: 'Payez les artistes.',
    addressee: 'Example Corp',
    body: 'Nous demandons un **salaire juste**.',
  };
  const german = {
    language: 'de' as const,
    title: 'Gerechte Bezahlung',
    summary: '',
    addressee: 'Example Corp',
    body: 'Wir fordern **gerechte Bezahlung**.',
  };

  it('gives the text in the language asked for when there is a translation, the same counts, and an ETag per language', async () => {
    await seedLetter(t.app, { translations: [french, german] });
    await signers();
    const english = await get('/api/v1/letters/fair-pay');
    const res = await get('/api/v1/letters/fair-pay?lang=fr');
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(body).toMatchObject({
      title: 'Un salaire juste',
      summary: 'Payez les artistes.',
      addressee: 'Example Corp',
      body: 'Nous demandons un **salaire juste**.',
      text_language: 'fr',
      language: 'en',
      languages: [
        { code: 'en', translates_version: 1, current: true },
        { code: 'de', translates_version: 1, current: true },
        { code: 'fr', translates_version: 1, current: true },
      ],
    });
    // Counts do not depend on the language.
    const { title: _t, summary: _s, body: _b, text_language: _l, ...rest } = body;
    const { title: _t2, summary: _s2, body: _b2, text_language: _l2, ...englishRest } = json(english);
    expect(rest).toEqual(englishRest);
    expect(body.signature_count).toBe(3);
    // Each language is its own representation: its own validator, and a 304 only for its own.
    expect(res.headers.etag).not.toBe(english.headers.etag);
    expect((await get('/api/v1/letters/fair-pay?lang=fr', { 'if-none-match': String(res.headers.etag) })).statusCode).toBe(304);
    expect((await get('/api/v1/letters/fair-pay', { 'if-none-match': String(res.headers.etag) })).statusCode).toBe(200);
    // Accept-Language is not read: the URL alone decides.
    const asked = await get('/api/v1/letters/fair-pay', { 'accept-language': 'fr' });
    expect(json(asked).text_language).toBe('en');
    expect(asked.headers.etag).toBe(english.headers.etag);
  });

  it('falls back to the letter’s own language without a translation, refuses an unknown code, and says when a translation is out of date', async () => {
    await seedLetter(t.app, { translations: [french] });
    const spanish = json(await get('/api/v1/letters/fair-pay?lang=es'));
    expect(spanish).toMatchObject({ title: 'Fair pay for artists', text_language: 'en' });
    const unknown = await get('/api/v1/letters/fair-pay?lang=pt');
    expect(unknown.statusCode).toBe(400);
    expect(json<{ error: { code: string } }>(unknown).error.code).toBe('bad_request');
    // New words in English make version 2; the French text was made from version 1.
    t.clock.advance(1000);
    await seedLetter(t.app, { body: 'New words.', translations: [] });
    const after = json(await get('/api/v1/letters/fair-pay?lang=fr'));
    expect(after).toMatchObject({
      title: 'Un salaire juste',
      text_language: 'fr',
      version: 2,
      languages: [
        { code: 'en', translates_version: 2, current: true },
        { code: 'fr', translates_version: 1, current: false },
      ],
    });
  });
});

describe('GET /api/v1/letters/:slug/count', () => {
  it('answers slug, signature_count and updated_at from the letters row, and the latest checkpoint of its log', async () => {
    expect(json(await get('/api/v1/letters/fair-pay/count'))).toEqual({
      slug: 'fair-pay',
      signature_count: 0,
      updated_at: '2026-06-01T12:00:00.000Z',
      checkpoint: { size: 0, count: 0 },
    });
    await signers();
    const res = await get('/api/v1/letters/fair-pay/count');
    expect(res.statusCode).toBe(200);
    // Counted at once; the log catches up when the integrator runs.
    expect(json(res)).toEqual({
      slug: 'fair-pay',
      signature_count: 3,
      updated_at: new Date(t.clock.now().getTime() - 60_000).toISOString(),
      checkpoint: { size: 0, count: 0 },
    });
    await t.app.services.log.integrate();
    const after = await get('/api/v1/letters/fair-pay/count', { 'if-none-match': String(res.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(json(after)).toMatchObject({ signature_count: 3, checkpoint: { size: 3, count: 3 } });
  });

  it('follows withdrawals at once', async () => {
    const withdraw = await signAndConfirm(t, 'fair-pay', { name: 'Grace Hopper', email: 'grace@example.org' });
    expect(json<{ signature_count: number }>(await get('/api/v1/letters/fair-pay/count')).signature_count).toBe(1);
    t.clock.advance(1000);
    expect((await t.app.inject({ method: 'POST', url: withdraw })).statusCode).toBe(200);
    expect(json<{ signature_count: number }>(await get('/api/v1/letters/fair-pay/count')).signature_count).toBe(0);
  });

  it('never reads the signatures table', async () => {
    await signers();
    // The counter is the truth for this endpoint; a count(*) would say 3.
    const letterId = await t.one("SELECT id FROM letters WHERE slug = 'fair-pay'");
    const changedAt = await t.one('SELECT max(updated_at) FROM letter_count_slots WHERE letter_id = ?', letterId);
    await t.sql(
      'UPDATE letter_count_slots SET count = CASE WHEN slot = 0 THEN 999 ELSE 0 END, updated_at = ? WHERE letter_id = ?',
      new Date(changedAt + 1),
      letterId,
    );
    t.clock.advance(1000);
    expect(json<{ signature_count: number }>(await get('/api/v1/letters/fair-pay/count')).signature_count).toBe(999);
  });
});

describe('GET /api/v1/letters/:slug/signatures', () => {
  it('lists public confirmed signatures newest first with exactly the public fields', async () => {
    await signers();
    const res = await get('/api/v1/letters/fair-pay/signatures');
    expect(res.statusCode).toBe(200);
    const body = json<{ data: Array<Record<string, unknown>>; next_cursor: unknown }>(res);
    expect(body.next_cursor).toBeNull();
    const log = async (email: string) => ({
      sig: await t.one<string>('SELECT log_sig FROM signatures WHERE email = ?', email),
      salt: await t.one<string>('SELECT log_salt FROM signatures WHERE email = ?', email),
    });
    expect(body.data).toEqual([
      {
        name: 'Alan Turing',
        title: null,
        organisation: 'Bletchley',
        country: 'GB',
        signed_at: '2026-06-01T12:01:00.000Z',
        log: await log('alan@example.org'),
      },
      {
        name: 'Grace Hopper',
        title: 'Admiral',
        organisation: null,
        country: 'US',
        signed_at: '2026-06-01T12:00:00.000Z',
        log: await log('grace@example.org'),
      },
    ]);
    expect(res.body).not.toContain('@');
    expect(res.body).not.toContain('Private Person');
    expect(res.body).not.toContain('Pending Pat');
  });

  it('leaves out signatures hidden, rejected or withdrawn', async () => {
    await signers();
    const ids = await t.sql<{ id: number; name: string }>('SELECT id, name FROM signatures');
    const id = (name: string) => ids.find((r) => r.name === name)!.id;
    await moderate(t, id('Alan Turing'), 'hide');
    let names = json<{ data: Array<{ name: string }> }>(await get('/api/v1/letters/fair-pay/signatures')).data.map((s) => s.name);
    expect(names).toEqual(['Grace Hopper']);
    await moderate(t, id('Grace Hopper'), 'reject');
    names = json<{ data: Array<{ name: string }> }>(await get('/api/v1/letters/fair-pay/signatures')).data.map((s) => s.name);
    expect(names).toEqual([]);
    // Hidden still counts; rejected does not.
    expect(json<{ signature_count: number }>(await get('/api/v1/letters/fair-pay/count')).signature_count).toBe(2);
  });
});

describe('GET /api/v1/letters/:slug/timeseries', () => {
  it('gives per-bucket and cumulative counts by hour and by day', async () => {
    await signAndConfirm(t, 'fair-pay', { name: 'One Signer', email: 'one@example.org' });
    t.clock.advance(10 * 60_000);
    await signAndConfirm(t, 'fair-pay', { name: 'Two Signer', email: 'two@example.org' });
    t.clock.advance(3 * 3600_000);
    await signAndConfirm(t, 'fair-pay', { name: 'Three Signer', email: 'three@example.org' });
    t.clock.advance(24 * 3600_000);
    await signAndConfirm(t, 'fair-pay', { name: 'Four Signer', email: 'four@example.org' });

    const hourly = await get('/api/v1/letters/fair-pay/timeseries?interval=hour');
    expect(hourly.statusCode).toBe(200);
    expect(json(hourly)).toEqual({
      slug: 'fair-pay',
      interval: 'hour',
      signature_count: 4,
      updated_at: '2026-06-02T15:10:00.000Z',
      buckets: [
        { start: '2026-06-01T12:00:00.000Z', count: 2, cumulative: 2 },
        { start: '2026-06-01T15:00:00.000Z', count: 1, cumulative: 3 },
        { start: '2026-06-02T15:00:00.000Z', count: 1, cumulative: 4 },
      ],
    });
    const daily = json<{ interval: string; buckets: unknown[] }>(await get('/api/v1/letters/fair-pay/timeseries?interval=day'));
    expect(daily.interval).toBe('day');
    expect(daily.buckets).toEqual([
      { start: '2026-06-01T00:00:00.000Z', count: 3, cumulative: 3 },
      { start: '2026-06-02T00:00:00.000Z', count: 1, cumulative: 4 },
    ]);
    // Day is the default.
    expect(json(await get('/api/v1/letters/fair-pay/timeseries'))).toEqual(
      json(await get('/api/v1/letters/fair-pay/timeseries?interval=day')),
    );
  });

  it('is empty for a letter nobody has signed', async () => {
    expect(json<{ buckets: unknown[] }>(await get('/api/v1/letters/fair-pay/timeseries')).buckets).toEqual([]);
  });
});

describe('status codes', () => {
  it('answers 404 with the JSON error shape for unknown letters, drafts and impossible slugs, on every endpoint', async () => {
    await seedLetter(t.app, { slug: 'secret-draft', title: 'Draft', status: 'draft' });
    for (const slug of ['no-such-letter', 'secret-draft', 'Not%20A%20Slug', '..%2F..%2Fetc']) {
      for (const tail of ['', '/count', '/signatures', '/timeseries']) {
        const res = await get(`/api/v1/letters/${slug}${tail}`);
        expect(res.statusCode, `${slug}${tail}`).toBe(404);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(json(res)).toEqual({ error: { code: 'not_found', message: 'There is no open letter at this address.' } });
        expect(res.headers['access-control-allow-origin']).toBe('*');
      }
    }
    const unknown = await get('/api/v1/nothing-here');
    expect(unknown.statusCode).toBe(404);
    expect(json<{ error: { code: string } }>(unknown).error.code).toBe('not_found');
  });

  it.each([
    ['/api/v1/letters?limit=abc', 'bad_request'],
    ['/api/v1/letters?limit=0', 'bad_request'],
    ['/api/v1/letters?limit=101', 'bad_request'],
    ['/api/v1/letters?limit=-1', 'bad_request'],
    ['/api/v1/letters?limit=2.5', 'bad_request'],
    ['/api/v1/letters?limit=', 'bad_request'],
    ['/api/v1/letters?limit=1&limit=2', 'bad_request'],
    ['/api/v1/letters?cursor=', 'bad_request'],
    ['/api/v1/letters?cursor=forged', 'bad_cursor'],
    ['/api/v1/letters?cursor=bGV0dGVyc3wwfDk5OQ.AAAAAAAAAAAAAAAA', 'bad_cursor'],
    ['/api/v1/letters/fair-pay/signatures?limit=1000', 'bad_request'],
    ['/api/v1/letters/fair-pay/signatures?cursor=%00%01', 'bad_cursor'],
    ['/api/v1/letters/fair-pay/timeseries?interval=week', 'bad_request'],
    ['/api/v1/letters/fair-pay/timeseries?interval=', 'bad_request'],
  ])('answers 400 for %s', async (url, code) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = json<{ error: { code: string; message: string } }>(res);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(res.headers['cache-control']).toBeUndefined();
  });

  it('refuses a cursor that was edited, or that belongs to another list', async () => {
    for (let i = 0; i < 3; i++) await signAndConfirm(t, 'fair-pay', { name: `Signer ${'abc'[i]}`, email: `s${i}@example.org` });
    await seedLetter(t.app, { slug: 'other-letter', title: 'Other' });
    const page = json<{ next_cursor: string }>(await get('/api/v1/letters/fair-pay/signatures?limit=1'));
    expect((await get(`/api/v1/letters/fair-pay/signatures?limit=1&cursor=${page.next_cursor}`)).statusCode).toBe(200);
    const [body, mac] = page.next_cursor.split('.') as [string, string];
    const forged = Buffer.from(
      Buffer.from(body, 'base64url')
        .toString()
        .replace(/\|(\d+)$/, '|999999'),
    ).toString('base64url');
    for (const cursor of [`${forged}.${mac}`, `${body}.${mac.slice(0, -2)}AA`, `${body}`, `${body}.${mac}.x`]) {
      const res = await get(`/api/v1/letters/fair-pay/signatures?cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(json<{ error: { code: string } }>(res).error.code).toBe('bad_cursor');
    }
    // A signatures cursor is no good for another letter, nor for the letters list.
    expect(
      json<{ error: { code: string } }>(await get(`/api/v1/letters/other-letter/signatures?cursor=${page.next_cursor}`)).error.code,
    ).toBe('bad_cursor');
    expect((await get(`/api/v1/letters?cursor=${page.next_cursor}`)).statusCode).toBe(400);
  });

  it('ignores query parameters it does not know', async () => {
    const plain = await get('/api/v1/letters/fair-pay');
    const extra = await get('/api/v1/letters/fair-pay?utm_source=newsletter&foo[bar]=1&limit=abc');
    expect(extra.statusCode).toBe(200);
    expect(extra.body).toBe(plain.body);
    expect((await get('/api/v1/letters/fair-pay/count?callback=x')).statusCode).toBe(200);
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await t.app.inject({ method: 'HEAD', url: '/api/v1/letters/fair-pay/count' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers.etag).toBeDefined();
  });

  it('never shows an email address anywhere', async () => {
    await signers();
    for (const url of [
      '/api/v1/letters',
      '/api/v1/letters/fair-pay',
      '/api/v1/letters/fair-pay/count',
      '/api/v1/letters/fair-pay/signatures?limit=100',
      '/api/v1/letters/fair-pay/timeseries?interval=hour',
      '/letters.atom',
      '/letters/fair-pay/embed',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toMatch(/@example\.org/);
    }
  });
});

describe('signing through the API keeps its own contract', () => {
  it('answers 202, 422 with fields, 404 and 409 as before', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/letters/fair-pay/signatures',
      payload: { name: 'Ann Example', email: 'ann@example.org' },
    });
    expect(ok.statusCode).toBe(202);
    expect(json(ok)).toEqual({ status: 'pending_verification' });
    expect((await latestLinks(t, 'ann@example.org')).verify).toMatch(/^\/verify\//);

    const invalid = await t.app.inject({
      method: 'POST',
      url: '/api/v1/letters/fair-pay/signatures',
      payload: { name: '', email: 'nope', extra: 1 },
    });
    expect(invalid.statusCode).toBe(422);
    const problem = json<{ error: { code: string; message: string; fields: Record<string, string> } }>(invalid);
    expect(problem.error.code).toBe('validation_failed');
    expect(Object.keys(problem.error.fields).sort()).toEqual(['email', 'name']);

    const notObject = await t.app.inject({ method: 'POST', url: '/api/v1/letters/fair-pay/signatures', payload: [1, 2] });
    expect(notObject.statusCode).toBe(422);

    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/letters/nope/signatures',
      payload: { name: 'Ann', email: 'ann@example.org' },
    });
    expect(missing.statusCode).toBe(404);

    await seedLetter(t.app, { slug: 'closed-one', title: 'Closed', status: 'closed' });
    const closed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/letters/closed-one/signatures',
      payload: { name: 'Ann', email: 'ann@example.org' },
    });
    expect(closed.statusCode).toBe(409);
    expect(json<{ error: { code: string } }>(closed).error.code).toBe('letter_closed');
  });
});
