// The world map of signers: on the letter page (with the country list as its text alternative)
// and as /letters/:slug/map.svg.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { addConfirmed } from '../helpers/signers.js';
import { findAll, parseXml, textOf, type XmlElement } from '../helpers/xml.js';

let t: TestApp;
let letterId: number;

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { startBackground: false });
  letterId = (await seedLetter(t.app)).id;
});

afterEach(async () => {
  await t.close();
});

async function addSigners(n: number, country: string) {
  for (let i = 0; i < n; i++) {
    await addConfirmed(t, letterId, `Signer ${country} ${i}`, new Date('2026-06-01T10:00:00Z'), {
      email: `s-${country}-${i}@example.org`,
      country,
    });
  }
  t.clock.advance(1000);
}

/** The path whose title names this country, with its fill. */
function country(svg: XmlElement, name: string): { fill: string; title: string } | undefined {
  const path = findAll(svg, 'path').find((p) => textOf(findAll(p, 'title')[0]!).startsWith(`${name}:`));
  return path && { fill: path.attrs.fill as string, title: textOf(findAll(path, 'title')[0]!) };
}

describe('map.svg', () => {
  it('is valid SVG with every country titled, those with signers shaded, and a summary for screen readers', async () => {
    await addSigners(12, 'FR');
    await addSigners(1, 'JP');
    const res = await t.app.inject('/letters/fair-pay/map.svg');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    const svg = parseXml(res.body);
    expect(svg.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(svg.attrs.role).toBe('img');
    expect(svg.attrs['aria-label']).toBe(
      'World map of signatures by country: 13 signatures from 2 countries; most from France (12), Japan (1).',
    );
    expect(findAll(svg, 'path').length).toBeGreaterThan(150);
    const france = country(svg, 'France');
    const japan = country(svg, 'Japan');
    const brazil = country(svg, 'Brazil');
    expect(france).toEqual({ fill: '#df9187', title: 'France: 12 signatures' });
    expect(japan).toEqual({ fill: '#efb3ab', title: 'Japan: 1 signature' });
    expect(brazil).toEqual({ fill: '#e6e2d9', title: 'Brazil: no signatures' });
    // The legend names every step.
    expect(findAll(svg, 'text').map(textOf)).toEqual(['Signatures:', 'None', '1–9', '10–99', '100–999', '1,000–9,999', '10,000 or more']);
  });

  it('answers 304 to its ETag, and a new ETag once the counts change', async () => {
    await addSigners(2, 'DE');
    const first = await t.app.inject('/letters/fair-pay/map.svg');
    const etag = first.headers.etag as string;
    expect((await t.app.inject({ url: '/letters/fair-pay/map.svg', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    await addSigners(1, 'IT');
    const changed = await t.app.inject({ url: '/letters/fair-pay/map.svg', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(country(parseXml(changed.body), 'Italy')?.title).toBe('Italy: 1 signature');
  });

  it('is 404 for drafts and unknown letters', async () => {
    await seedLetter(t.app, { slug: 'a-draft', title: 'Draft', status: 'draft' });
    expect((await t.app.inject('/letters/a-draft/map.svg')).statusCode).toBe(404);
    expect((await t.app.inject('/letters/nothing-here/map.svg')).statusCode).toBe(404);
  });
});

describe('the letter page', () => {
  it('shows the map after the country list as an image of the map file, described by the list, with a legend', async () => {
    await addSigners(3, 'GB');
    const html = (await t.app.inject('/letters/fair-pay')).body;
    const list = html.indexOf('<ul class="countries" id="country-list">');
    const map = html.indexOf('<img class="world-map"');
    expect(list).toBeGreaterThan(0);
    expect(map).toBeGreaterThan(list);
    const img = /<img class="world-map" src="([^"]+)" alt="([^"]+)" aria-describedby="country-list"/.exec(html);
    expect(img?.[2]).toBe('World map of signatures by country: 3 signatures from 1 country; most from United Kingdom (3).');
    // The image is the map file in the page's language, without the legend the page draws in HTML.
    const src = (img?.[1] ?? '').replaceAll('&amp;', '&');
    expect(src).toMatch(/^\/letters\/fair-pay\/map\.svg\?lang=en&legend=none&v=\d+$/);
    const file = await t.app.inject(src);
    expect(file.statusCode).toBe(200);
    expect(country(parseXml(file.body), 'United Kingdom')?.title).toBe('United Kingdom: 3 signatures');
    expect(file.body).not.toContain('Signatures:');
    expect(html).toContain('<ul class="map-legend"');
    expect(html).toContain('href="/letters/fair-pay/map.svg"');
  });

  it('names the countries in the reader’s language', async () => {
    await addSigners(2, 'DE');
    const html = (await t.app.inject('/letters/fair-pay?lang=fr')).body;
    expect(html).toMatch(/<img class="world-map" src="\/letters\/fair-pay\/map\.svg\?lang=fr&amp;legend=none/);
    const file = await t.app.inject('/letters/fair-pay/map.svg?lang=fr&legend=none');
    // French puts a (no-break) space before the colon.
    expect(file.body).toMatch(/<title>Allemagne\s?: 2 signatures<\/title>/);
    expect((await t.app.inject('/letters/fair-pay/map.svg?lang=xx')).statusCode).toBe(400);
  });

  it('has no map while no signer gave a country', async () => {
    expect((await t.app.inject('/letters/fair-pay')).body).not.toContain('world-map');
  });
});
