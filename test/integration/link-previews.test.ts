// Sharing a letter: the share links on its page, the link-preview tags, and the PNG card they name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardCache } from '../../src/api/link-card.js';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';

let t: TestApp;
let letterId: number;
const TITLE = 'Fair pay & "credit" for <artists>';

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off', PUBLIC_URL: 'https://letters.example' }, { startBackground: false });
  letterId = (await seedLetter(t.app, { title: TITLE, summary: 'Artists ask to be paid.' })).id;
});

afterEach(async () => {
  await t.close();
});

async function setCount(count: number) {
  await t.sql(
    'UPDATE letter_count_slots SET count = CASE WHEN slot = 0 THEN ? ELSE 0 END, updated_at = ? WHERE letter_id = ?',
    count,
    new Date(1_780_000_000_000 + count),
    letterId,
  );
  // Written under the app (PostgreSQL: another connection): seen once the caches' second is up.
  t.clock.advance(1000);
}

function metaContent(html: string, key: string): string | undefined {
  const re = new RegExp(`<meta (?:property|name)="${key.replace(/[:.]/g, '\\$&')}" content="([^"]*)">`);
  return re
    .exec(html)?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'");
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the letter page', () => {
  it("has share links with the letter's absolute address, and no scripts from elsewhere", async () => {
    const html = (await t.app.inject('/letters/fair-pay')).body;
    const url = 'https://letters.example/letters/fair-pay';
    const hrefs = [...html.matchAll(/<li><a href="([^"]+)" rel="noopener"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(hrefs.map((h) => new URL(h).protocol + (new URL(h).host || ''))).toEqual([
      'https:mastodonshare.com',
      'https:bsky.app',
      'https:x.com',
      'https:www.facebook.com',
      'https:www.linkedin.com',
      'https:wa.me',
      'mailto:',
    ]);
    for (const href of hrefs) expect(decodeURIComponent(href)).toContain(url);
    expect(html).toContain(`<input id="share-url" class="share-url" type="url" value="${url}" readonly>`);
    // Scripts only from this site.
    for (const m of html.matchAll(/<script[^>]*src="([^"]+)"/g)) expect(m[1]!.startsWith('/static/')).toBe(true);
  });

  it('tells link previews the title, summary, address and an absolute card URL that names the count step', async () => {
    await setCount(42);
    const html = (await t.app.inject('/letters/fair-pay')).body;
    expect(metaContent(html, 'og:title')).toBe(TITLE);
    expect(metaContent(html, 'og:description')).toBe('Artists ask to be paid.');
    expect(metaContent(html, 'og:url')).toBe('https://letters.example/letters/fair-pay');
    expect(metaContent(html, 'og:type')).toBe('article');
    expect(metaContent(html, 'twitter:card')).toBe('summary_large_image');
    expect(metaContent(html, 'twitter:title')).toBe(TITLE);
    expect(metaContent(html, 'og:image:width')).toBe('1200');
    expect(metaContent(html, 'og:image:height')).toBe('630');
    expect(metaContent(html, 'og:image:alt')).toContain(TITLE);
    const image = metaContent(html, 'og:image')!;
    expect(image).toMatch(/^https:\/\/letters\.example\/letters\/fair-pay\/card\.png\?v=[a-z0-9-]+$/);
    expect(metaContent(html, 'twitter:image')).toBe(image);

    // Within the step the URL stays; across it, it changes.
    await setCount(49);
    expect(metaContent((await t.app.inject('/letters/fair-pay')).body, 'og:image')).toBe(image);
    await setCount(50);
    expect(metaContent((await t.app.inject('/letters/fair-pay')).body, 'og:image')).not.toBe(image);
  });

  it("has no share links on a draft's preview and no card for it", async () => {
    await seedLetter(t.app, { slug: 'a-draft', title: 'Draft', status: 'draft' });
    expect((await t.app.inject('/letters/a-draft/card.png')).statusCode).toBe(404);
    expect((await t.app.inject('/letters/no-such-letter/card.png')).statusCode).toBe(404);
  });
});

describe('card.png', () => {
  it('is a 1200×630 PNG, cacheable, with an ETag that answers 304', async () => {
    await setCount(11_204);
    const res = await t.app.inject('/letters/fair-pay/card.png?v=anything');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(pngSize(res.rawPayload)).toEqual({ width: 1200, height: 630 });
    const etag = res.headers.etag as string;
    const again = await t.app.inject({ url: '/letters/fair-pay/card.png', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('is redrawn when the count crosses a step, and only then', async () => {
    await setCount(120);
    const first = await t.app.inject('/letters/fair-pay/card.png');
    await setCount(199);
    const within = await t.app.inject('/letters/fair-pay/card.png');
    expect(within.headers.etag).toBe(first.headers.etag);
    expect(within.rawPayload.equals(first.rawPayload)).toBe(true);
    await setCount(200);
    const crossed = await t.app.inject('/letters/fair-pay/card.png');
    expect(crossed.headers.etag).not.toBe(first.headers.etag);
    expect(crossed.rawPayload.equals(first.rawPayload)).toBe(false);
    expect(pngSize(crossed.rawPayload)).toEqual({ width: 1200, height: 630 });
  });
});

describe('CardCache', () => {
  it('draws a key once, sharing a render in flight, and draws again for a new key', async () => {
    const drawn: string[] = [];
    const cache = new CardCache(async (facts) => {
      drawn.push(facts.title);
      return Buffer.from(facts.title);
    });
    const facts = (title: string) => async () => ({ title, collective: 'C', signatureCount: 1 });
    const [a, b] = await Promise.all([cache.get('k1', facts('one')), cache.get('k1', facts('one again'))]);
    expect(a).toBe(b);
    expect(await cache.get('k1', facts('later'))).toBe(a);
    expect(drawn).toEqual(['one']);
    await cache.get('k2', facts('two'));
    expect(drawn).toEqual(['one', 'two']);
  });

  it('does not keep a failed render', async () => {
    let fail = true;
    const cache = new CardCache(async () => {
      if (fail) throw new Error('no fonts');
      return Buffer.from('ok');
    });
    const facts = async () => ({ title: 't', collective: 'c', signatureCount: 0 });
    await expect(cache.get('k', facts)).rejects.toThrow('no fonts');
    fail = false;
    expect((await cache.get('k', facts)).toString()).toBe('ok');
  });
});
