// For people who would rather look: the count badge, the embeddable card, the Atom feed, the
// chart and country breakdown on the letter page, and the API docs page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { addConfirmed, signAndConfirm } from '../helpers/signers.js';
import { findAll, parseXml, textOf } from '../helpers/xml.js';

let t: TestApp;
let letterId: number;
const HOSTILE_TITLE = `Fair pay & "credit" for <artists> who'd sign`;

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { startBackground: false });
  letterId = (await seedLetter(t.app, { title: HOSTILE_TITLE, summary: 'Pay <b>us</b> & credit us' })).id;
});

afterEach(async () => {
  await t.close();
});

async function addSignatures(n: number, at: Date, country: string | null = 'GB') {
  for (let i = 0; i < n; i++) {
    const email = `bulk-${at.getTime()}-${i}-${country}@example.org`;
    const name = `Bulk Signer ${at.getTime()} ${i} ${country}`;
    await addConfirmed(t, letterId, name, at, { email, country });
  }
}

/** No inline styles or scripts anywhere: the site's CSP (style-src 'self', script-src 'self') would refuse them. */
function expectNoInlineStyleOrScript(html: string) {
  // Inside the tags only: a snippet shown as code (the embed's, for another site) is text.
  const tags = [...html.matchAll(/<[^>]*>/g)].map((m) => m[0]).join('\n');
  expect(tags).not.toMatch(/\sstyle\s*=/i);
  expect(tags).not.toMatch(/<style[\s>]/i);
  expect(tags).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
  expect(tags).not.toMatch(/\son[a-z]+\s*=/i);
}

describe('badge.svg', () => {
  it('is well-formed SVG saying "N signatures", with an escaped accessible name', async () => {
    await addSignatures(3, new Date('2026-06-01T10:00:00Z'));
    const res = await t.app.inject('/letters/fair-pay/badge.svg');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const svg = parseXml(res.body);
    expect(svg.name).toBe('svg');
    expect(svg.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(svg.attrs['aria-label']).toBe(`${HOSTILE_TITLE}: 3 signatures`);
    expect(textOf(findAll(svg, 'title')[0]!)).toBe(`${HOSTILE_TITLE}: 3 signatures`);
    expect(findAll(svg, 'text').map(textOf)).toEqual(['3', 'signatures']);
    expect(res.body).not.toMatch(/\sstyle=/);
  });

  it('is sized for its number, however large, and says "signature" for one', async () => {
    const widths: number[] = [];
    for (const count of [0, 1, 42, 12_873, 1_234_567, 2_000_000_000]) {
      await t.sql(
        'UPDATE letter_count_slots SET count = CASE WHEN slot = 0 THEN ? ELSE 0 END, updated_at = ? WHERE letter_id = ?',
        count,
        new Date(1_780_000_000_000 + count),
        letterId,
      );
      // Written under the app (PostgreSQL: another connection): seen once the cache's second is up.
      t.clock.advance(1000);
      const svg = parseXml((await t.app.inject('/letters/fair-pay/badge.svg')).body);
      const width = Number(svg.attrs.width);
      const texts = findAll(svg, 'text');
      const rects = findAll(svg, 'rect').filter((r) => r.attrs.fill !== '#fff');
      // The two segments fill the badge exactly, and each text fits inside its segment.
      expect(Number(rects[0]!.attrs.width) + Number(rects[1]!.attrs.width)).toBe(width);
      expect(Number(texts[0]!.attrs.textLength)).toBeLessThan(Number(rects[0]!.attrs.width));
      expect(Number(texts[1]!.attrs.textLength)).toBeLessThan(Number(rects[1]!.attrs.width));
      expect(textOf(texts[0]!)).toBe(new Intl.NumberFormat('en-GB').format(count));
      expect(textOf(texts[1]!)).toBe(count === 1 ? 'signature' : 'signatures');
      widths.push(width);
    }
    // More digits, wider badge.
    expect(widths[3]!).toBeGreaterThan(widths[2]!);
    expect(widths[4]!).toBeGreaterThan(widths[3]!);
    expect(widths[5]!).toBeGreaterThan(widths[4]!);
  });

  it('is 404 for drafts and unknown letters', async () => {
    await seedLetter(t.app, { slug: 'a-draft', title: 'Draft', status: 'draft' });
    expect((await t.app.inject('/letters/a-draft/badge.svg')).statusCode).toBe(404);
    expect((await t.app.inject('/letters/nope/badge.svg')).statusCode).toBe(404);
  });
});

describe('embed card', () => {
  it('may be framed by any site, unlike every other page', async () => {
    const embed = await t.app.inject('/letters/fair-pay/embed');
    expect(embed.statusCode).toBe(200);
    const csp = String(embed.headers['content-security-policy']);
    expect(csp).toContain('frame-ancestors *');
    expect(csp).not.toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(embed.headers['x-frame-options']).toBeUndefined();

    for (const url of ['/letters/fair-pay', '/api', '/']) {
      const page = await t.app.inject(url);
      expect(String(page.headers['content-security-policy']), url).toContain("frame-ancestors 'none'");
      expect(page.headers['x-frame-options'], url).toBe('SAMEORIGIN');
    }
  });

  it('shows the title, the count and a link to sign, self-contained', async () => {
    await addSignatures(2, new Date('2026-06-01T10:00:00Z'));
    const html = (await t.app.inject('/letters/fair-pay/embed')).body;
    expect(html).toContain('Fair pay &amp; &quot;credit&quot; for &lt;artists&gt; who&#39;d sign');
    expect(html).toMatch(/class="count">2</);
    expect(html).toContain('href="http://127.0.0.1:3000/letters/fair-pay#sign" target="_blank" rel="noopener"');
    expect(html).toContain('data-count-url="/api/v1/letters/fair-pay/count"');
    expect(html).not.toContain('class="site-header"');
    expectNoInlineStyleOrScript(html);
    // Only our own stylesheet and script.
    for (const src of html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)) {
      expect((await t.app.inject(src[1]!)).statusCode).toBe(200);
    }
  });

  it('offers reading, not signing, once a letter is closed; 404 for drafts', async () => {
    await seedLetter(t.app, { slug: 'closed-one', title: 'Closed', status: 'closed' });
    const html = (await t.app.inject('/letters/closed-one/embed')).body;
    expect(html).toContain('Read the letter');
    expect(html).not.toContain('#sign');
    await seedLetter(t.app, { slug: 'a-draft', title: 'Draft', status: 'draft' });
    expect((await t.app.inject('/letters/a-draft/embed')).statusCode).toBe(404);
  });
});

describe('letters.atom', () => {
  it('is a well-formed Atom feed of published and closed letters, escaped, without drafts', async () => {
    t.clock.advance(60_000);
    await seedLetter(t.app, { slug: 'closed-one', title: 'Closed <now>', status: 'closed' });
    await seedLetter(t.app, { slug: 'a-draft', title: 'Secret draft', status: 'draft' });
    const res = await t.app.inject('/letters.atom');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const feed = parseXml(res.body);
    expect(feed.name).toBe('feed');
    expect(feed.attrs.xmlns).toBe('http://www.w3.org/2005/Atom');
    for (const required of ['id', 'title', 'updated']) expect(findAll(feed, required).length, required).toBeGreaterThan(0);
    const entries = findAll(feed, 'entry');
    expect(entries.map((e) => textOf(findAll(e, 'title')[0]!))).toEqual(['Closed <now> (closed)', HOSTILE_TITLE]);
    const fair = entries[1]!;
    expect(textOf(findAll(fair, 'id')[0]!)).toBe('http://127.0.0.1:3000/letters/fair-pay');
    expect(findAll(fair, 'link')[0]!.attrs.href).toBe('http://127.0.0.1:3000/letters/fair-pay');
    expect(textOf(findAll(fair, 'summary')[0]!)).toBe('Pay <b>us</b> & credit us');
    expect(textOf(findAll(fair, 'name')[0]!)).toBe('Artists United');
    expect(textOf(findAll(fair, 'published')[0]!)).toBe('2026-06-01T12:00:00.000Z');
    expect(textOf(findAll(feed, 'updated')[0]!)).toBe('2026-06-01T12:01:00.000Z');
    expect(res.body).not.toContain('Secret draft');
  });

  it('is still well-formed with no letters and with characters XML forbids', async () => {
    await t.sql('UPDATE letters SET title = ? WHERE id = ?', 'Bell \u0007 and \uFFFE end', letterId);
    const feed = parseXml((await t.app.inject('/letters.atom')).body);
    expect(textOf(findAll(findAll(feed, 'entry')[0]!, 'title')[0]!)).toBe('Bell  and  end');
    await t.sql("UPDATE letters SET status = 'draft' WHERE id = ?", letterId);
    t.clock.advance(1000);
    expect(findAll(parseXml((await t.app.inject('/letters.atom')).body), 'entry')).toHaveLength(0);
  });
});

describe('the letter page', () => {
  it('draws a cumulative chart and a country breakdown from the counters, without inline styles', async () => {
    await addSignatures(3, new Date('2026-05-20T09:15:00Z'), 'FR');
    await addSignatures(5, new Date('2026-05-25T16:40:00Z'), 'GB');
    await addSignatures(1, new Date('2026-05-30T08:00:00Z'), null);
    const html = (await t.app.inject('/letters/fair-pay')).body;
    const chartHtml = html.slice(html.indexOf('<svg class="chart"'), html.indexOf('</svg>', html.indexOf('<svg class="chart"')) + 6);
    const chart = parseXml(chartHtml);
    expect(chart.attrs.role).toBe('img');
    expect(textOf(findAll(chart, 'desc')[0]!)).toBe('From 20 May 2026 to 1 June 2026, rising to 9.');
    const line = findAll(chart, 'path').find((p) => p.attrs.class === 'line')!;
    // The line climbs (SVG y grows downwards) and never falls back.
    const ys = [...line.attrs.d!.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => Number(m[2]));
    expect(ys[0]).toBeGreaterThan(ys.at(-1)!);
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeLessThanOrEqual(ys[i - 1]!);
    // The axis labels are HTML beside the drawing (readable at any width): y top to bottom, then x.
    expect(findAll(chart, 'text')).toEqual([]);
    const box = html.slice(html.indexOf('<div class="chart-box">'), html.indexOf('<figcaption'));
    const labels = (cls: string) =>
      [...(box.split(`class="${cls}"`)[1]?.split('</div>')[0] ?? '').matchAll(/<span(?: dir="auto")?>([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(labels('chart-y')).toEqual(['10', '5', '0']);
    expect(labels('chart-x')).toEqual(['20 May 2026', '1 June 2026']);

    expect(html).toContain('id="countries-title"');
    const start = html.indexOf('<ul class="countries"');
    const countries = html.slice(start, html.indexOf('</ul>', start));
    const names = [...countries.matchAll(/<span>([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(names).toEqual(['United Kingdom', 'France']);
    expect(countries).toContain('<rect width="100.0"');
    expect(countries).toContain('<rect width="60.0"');
    expect(html).toContain('Country not given: 1.');
    expectNoInlineStyleOrScript(html.slice(html.indexOf('<main'), html.indexOf('</main>')));
  });

  it('charts by the hour while a letter is young', async () => {
    await signAndConfirm(t, 'fair-pay', { name: 'Grace Hopper', email: 'grace@example.org', country: 'US' });
    t.clock.advance(5 * 3600_000);
    const html = (await t.app.inject('/letters/fair-pay')).body;
    expect(html).toContain('counted by the hour (UTC)');
    expect(html).toContain('1 June 2026, 12:00 UTC');
  });

  it('shows neither chart nor countries before anyone has signed', async () => {
    const html = (await t.app.inject('/letters/fair-pay')).body;
    expect(html).not.toContain('class="chart"');
    expect(html).not.toContain('id="countries-title"');
  });
});

describe('GET /api', () => {
  it('documents the API in the site layout, with working curl examples for a real letter', async () => {
    const res = await t.app.inject('/api');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html).toMatch(/<a href="\/api" aria-current="page">For the press<\/a>/);
    expect(html).toContain('<h1>Signature counts you can quote, poll and embed</h1>');
    // The examples themselves are held to what they answer in api-docs.test.ts.
    expect(html).toContain('curl &#39;http://127.0.0.1:3000/api/v1/letters/fair-pay/count&#39;');
    expect(html).toContain('public, max-age=5, stale-while-revalidate=30');
    expect(html).toContain('href="/api/v1/openapi.json"');
    expect(html).toContain('src="/letters/fair-pay/badge.svg"');
    expectNoInlineStyleOrScript(html.slice(html.indexOf('<main'), html.indexOf('</main>')));
    // Headings in order: one h1, then h2s and h3s.
    const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
  });

  it('falls back to a placeholder letter when nothing is published', async () => {
    await t.sql("UPDATE letters SET status = 'draft'");
    t.clock.advance(60_000);
    const html = (await t.app.inject('/api')).body;
    expect(html).toContain('/api/v1/letters/example-letter/count');
    expect(html).not.toContain('<img src="/letters/example-letter/badge.svg"');
  });
});
