// The language of the pages: ?lang=xx (remembered in a cookie), else the cookie, else
// Accept-Language, else English; <html lang dir>, the switcher, hreflang alternates and the
// canonical address per language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';

let t: TestApp;
const SITE = 'http://127.0.0.1:3000';

beforeAll(async () => {
  t = await makeTestApp();
  await seedLetter(t.app, { slug: 'fair-pay' });
});

afterAll(async () => {
  await t.close();
});

const htmlTag = (body: string) => /<html[^>]*>/.exec(body)?.[0];

describe('choosing the language', () => {
  it('?lang=fr answers in French and remembers it in a cookie for a year', async () => {
    const res = await t.app.inject('/?lang=fr');
    expect(res.statusCode).toBe(200);
    expect(htmlTag(res.body)).toBe('<html lang="fr" dir="ltr">');
    expect(res.headers['set-cookie']).toBe('lang=fr; Max-Age=31536000; Path=/; SameSite=Lax');
    expect(res.headers.vary).toBe('Accept-Language, Cookie');
    expect(res.body).toContain('Aller au contenu');
  });

  it('the cookie chooses when the address does not, over Accept-Language', async () => {
    const res = await t.app.inject({ url: '/', headers: { cookie: 'lang=de', 'accept-language': 'es' } });
    expect(htmlTag(res.body)).toBe('<html lang="de" dir="ltr">');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('Accept-Language chooses without ?lang or a cookie (a region counts as its language)', async () => {
    const res = await t.app.inject({ url: '/', headers: { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.8' } });
    expect(htmlTag(res.body)).toBe('<html lang="fr" dir="ltr">');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('an unknown ?lang is ignored: English, or what else was chosen, and no cookie', async () => {
    const plain = await t.app.inject('/?lang=zz');
    expect(plain.statusCode).toBe(200);
    expect(htmlTag(plain.body)).toBe('<html lang="en" dir="ltr">');
    expect(plain.headers['set-cookie']).toBeUndefined();
    const withHeader = await t.app.inject({ url: '/?lang=%3Cscript%3E', headers: { 'accept-language': 'es' } });
    expect(withHeader.statusCode).toBe(200);
    expect(htmlTag(withHeader.body)).toBe('<html lang="es" dir="ltr">');
  });

  it('Arabic is right to left', async () => {
    const res = await t.app.inject('/letters/fair-pay?lang=ar');
    expect(res.statusCode).toBe(200);
    expect(htmlTag(res.body)).toBe('<html lang="ar" dir="rtl">');
  });

  it('error pages are in the chosen language too', async () => {
    const res = await t.app.inject({ url: '/no/such/page', headers: { 'accept-language': 'de' } });
    expect(res.statusCode).toBe(404);
    expect(htmlTag(res.body)).toBe('<html lang="de" dir="ltr">');
  });

  it('a form sent back with errors keeps the language', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/letters/fair-pay/sign',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'lang=es' },
      payload: 'name=&email=nope',
    });
    expect(res.statusCode).toBe(422);
    expect(htmlTag(res.body)).toBe('<html lang="es" dir="ltr">');
    // Its switcher leads to the letter's page, which GET serves, not to the form's address.
    expect(res.body).toContain('href="/letters/fair-pay?lang=fr"');
  });

  it('the press API sets no cookie', async () => {
    const res = await t.app.inject('/api/v1/letters?lang=fr');
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('the letter page in each language', () => {
  it('is rendered and kept once per language', async () => {
    const english = await t.app.inject('/letters/fair-pay');
    const french = await t.app.inject('/letters/fair-pay?lang=fr');
    const again = await t.app.inject('/letters/fair-pay');
    expect(htmlTag(english.body)).toBe('<html lang="en" dir="ltr">');
    expect(htmlTag(french.body)).toBe('<html lang="fr" dir="ltr">');
    expect(htmlTag(again.body)).toBe('<html lang="en" dir="ltr">');
  });

  it('names its canonical address in the language shown and, on a letter, the languages it can be read in as alternates', async () => {
    const german = await t.app.inject('/letters/fair-pay?lang=de&utm_source=x');
    expect(german.body).toContain(`<link rel="canonical" href="${SITE}/letters/fair-pay?lang=de">`);
    const english = await t.app.inject('/letters/fair-pay');
    expect(english.body).toContain(`<link rel="canonical" href="${SITE}/letters/fair-pay">`);
    for (const body of [german.body, english.body]) {
      expect(body).toContain(`<link rel="alternate" hreflang="en" href="${SITE}/letters/fair-pay">`);
      // This letter has no translation: no other language reads it (test/integration/letter-languages.test.ts has one that does).
      for (const locale of ['fr', 'de', 'es', 'ar']) expect(body).not.toContain(`hreflang="${locale}" href="${SITE}`);
      expect(body).toContain(`<link rel="alternate" hreflang="x-default" href="${SITE}/letters/fair-pay">`);
    }
  });

  it('has a switcher naming each language in itself, linking to this page in it', async () => {
    const res = await t.app.inject('/letters/fair-pay?lang=fr&utm_source=x');
    const nav = /<nav class="language-switcher"[\s\S]*?<\/nav>/.exec(res.body)?.[0] ?? '';
    const links = [...nav.matchAll(/<a href="([^"]+)" hreflang="(\w+)" lang="(\w+)"( aria-current="true")?>([^<]+)<\/a>/g)].map((m) => ({
      href: m[1],
      hreflang: m[2],
      lang: m[3],
      current: Boolean(m[4]),
      name: m[5],
    }));
    expect(links).toEqual([
      { href: '/letters/fair-pay?lang=en', hreflang: 'en', lang: 'en', current: false, name: 'English' },
      { href: '/letters/fair-pay?lang=fr', hreflang: 'fr', lang: 'fr', current: true, name: 'Français' },
      { href: '/letters/fair-pay?lang=de', hreflang: 'de', lang: 'de', current: false, name: 'Deutsch' },
      { href: '/letters/fair-pay?lang=es', hreflang: 'es', lang: 'es', current: false, name: 'Español' },
      { href: '/letters/fair-pay?lang=ar', hreflang: 'ar', lang: 'ar', current: false, name: 'العربية' },
    ]);
  });

  it('keeps other query parameters of a page in its switcher links', async () => {
    const res = await t.app.inject('/?page=2&lang=de');
    expect(res.body).toContain('href="/?page=2&amp;lang=fr"');
  });
});
