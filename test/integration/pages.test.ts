// The public pages, rendered by the real app on a fresh database with migrations applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await makeTestApp();
  await seedLetter(t.app, { slug: 'older', title: 'The older letter', summary: 'Older summary.' });
  t.clock.advance(60_000);
  await seedLetter(t.app, {
    slug: 'newer',
    title: 'The newer letter',
    collective: 'writers-guild',
    collective_name: 'Writers Guild',
    goal: 1000,
    notable: [
      { name: 'Second Person', description: 'poet' },
      { name: 'First Person', description: 'painter' },
    ],
    body: 'Hello <script>alert(1)</script>\n\n[bad](javascript:alert(1)) and [good](https://example.org)\n\n<img src=x onerror=alert(2)>',
  });
  await seedLetter(t.app, { slug: 'secret-draft', title: 'A secret draft', status: 'draft' });
  await seedLetter(t.app, { slug: 'finished', title: 'A finished letter', status: 'closed' });
});

afterAll(async () => {
  await t.close();
});

describe('migrations', () => {
  it('are applied to an empty database at start', async () => {
    for (const table of [
      'collectives',
      'letters',
      'signatures',
      'signature_events',
      'outbox',
      'letter_count_slots',
      'letter_country_counts',
    ]) {
      expect(await t.one(`SELECT count(*) FROM ${table}`)).toBeGreaterThanOrEqual(0);
    }
    if (t.store.dialect === 'sqlite') {
      expect(await t.one('PRAGMA journal_mode')).toBe('wal');
      expect(await t.one('PRAGMA foreign_keys')).toBe(1);
    }
  });
});

describe('home page', () => {
  it('lists published and closed letters, newest first, never drafts', async () => {
    const res = await t.app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('The newer letter');
    expect(res.body).toContain('Writers Guild');
    expect(res.body).not.toContain('A secret draft');
    expect(res.body.indexOf('A finished letter')).toBeLessThan(res.body.indexOf('The older letter'));
    expect(res.body.indexOf('The newer letter')).toBeLessThan(res.body.indexOf('The older letter'));
    expect(res.body).toMatch(/<progress class="goal" max="1000" value="0"/);
  });
});

describe('letter page', () => {
  it('shows the letter, its collective, notables in curated order and the form', async () => {
    const res = await t.app.inject('/letters/newer');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1 id="letter-title" dir="auto">The newer letter</h1>');
    expect(res.body).toContain('To Example Corp');
    expect(res.body.indexOf('Second Person')).toBeLessThan(res.body.indexOf('First Person'));
    expect(res.body).toContain('action="/letters/newer/sign"');
    expect(res.body).toMatch(/<label for="sign-name">/);
    expect(res.body).toContain('<option value="GB">');
  });

  it('never lets script or javascript: links through the Markdown', async () => {
    const res = await t.app.inject('/letters/newer');
    expect(res.body).not.toMatch(/<script>alert/);
    expect(res.body).not.toMatch(/href="javascript:/);
    expect(res.body).not.toMatch(/<img[^>]*onerror/);
    // The raw HTML is shown as text, escaped.
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).toContain('href="https://example.org"');
  });

  it('is 404 for drafts and unknown slugs, with a friendly page', async () => {
    for (const url of ['/letters/secret-draft', '/letters/nope', '/letters/UPPER', '/letters/..%2f..%2fetc', '/letters/a%00b']) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).not.toContain('A secret draft');
    }
    const res = await t.app.inject('/letters/secret-draft');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Back to all letters');
  });

  it('shows a closed letter with its counts and no form', async () => {
    const res = await t.app.inject('/letters/finished');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('A finished letter');
    expect(res.body).toContain('closed on');
    expect(res.body).not.toContain('action="/letters/finished/sign"');
  });
});

describe('static assets and headers', () => {
  it('serves versioned assets with long-lived caching', async () => {
    const page = await t.app.inject('/');
    const href = /href="(\/static\/css\/site\.css\?v=[0-9a-f]{12})"/.exec(page.body)?.[1];
    expect(href).toBeDefined();
    const css = await t.app.inject(href!);
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toContain('max-age=31536000');
    expect(css.headers['cache-control']).toContain('immutable');
  });

  it('sends a strict CSP and other security headers', async () => {
    const res = await t.app.inject('/letters/newer');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('sends the same headers on pages no route answers: not found and malformed addresses', async () => {
    const page = await t.app.inject('/');
    for (const url of ['/nothing-here', '/letters/%E0%A4%A']) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      for (const name of ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy']) {
        expect(res.headers[name], `${url} ${name}`).toBe(page.headers[name]);
      }
    }
  });

  it('answers unknown routes with a 404 page, and unknown API routes with JSON', async () => {
    const page = await t.app.inject('/nothing-here');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Page not found');
    const api = await t.app.inject('/api/v1/nothing');
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
    expect(api.headers['access-control-allow-origin']).toBe('*');
  });
});
