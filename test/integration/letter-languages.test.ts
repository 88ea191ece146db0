// A letter in several languages, as readers and signers meet it: the reader's language when the
// letter has a text in it, else its own with a note; a translation of an earlier text says so;
// hreflang names the languages it can be read in; a signature records the language and version
// it was given on, and counts once whatever the language.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, signViaForm, type TestApp } from '../helpers/app.js';
import { htmlProblems } from '../helpers/html.js';
import { latestLinks, queuedMail } from '../helpers/signers.js';

let t: TestApp;
const SITE = 'http://127.0.0.1:3000';

const FRENCH = {
  language: 'fr' as const,
  title: 'Un salaire juste pour les artistes',
  summary: 'Les artistes demandent à être payés.',
  addressee: 'Example Corp',
  body: 'Nous, soussignés, demandons un **salaire juste**.',
};

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { startBackground: false });
  await seedLetter(t.app, { translations: [FRENCH] });
});

afterEach(async () => {
  await t.close();
});

const page = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const article = (body: string) => /<article[^>]*>/.exec(body)?.[0] ?? '';
const hidden = (body: string, name: string) => new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(body)?.[1];

describe('the letter page', () => {
  it('shows the French text at ?lang=fr and with Accept-Language: fr, marked as French', async () => {
    for (const res of [await page('/letters/fair-pay?lang=fr'), await page('/letters/fair-pay', { 'accept-language': 'fr-FR,fr;q=0.9' })]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<h1 id="letter-title" dir="auto">Un salaire juste pour les artistes</h1>');
      expect(res.body).toContain('<strong>salaire juste</strong>');
      expect(res.body).not.toContain('fair pay');
      expect(res.body).toContain('<title>Un salaire juste pour les artistes · Undersigned</title>');
      expect(res.body).toContain('<meta name="description" content="Les artistes demandent à être payés.">');
      expect(res.body).toContain('<p class="addressee">À l’attention de Example Corp</p>');
      expect(article(res.body)).toContain('lang="fr" dir="ltr"');
      // The form says what it showed: the French text of version 1.
      expect(hidden(res.body, 'language')).toBe('fr');
      expect(hidden(res.body, 'version')).toBe('1');
      // The other language it can be read in, named in itself.
      expect(res.body).toContain('<a href="/letters/fair-pay?lang=en" hreflang="en" lang="en">English</a>');
    }
  });

  it('lists the languages the letter can be read in as alternates, and no other', async () => {
    const res = await page('/letters/fair-pay?lang=fr');
    const alternates = [...res.body.matchAll(/<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">/g)].map((m) => [m[1], m[2]]);
    expect(alternates).toEqual([
      ['en', `${SITE}/letters/fair-pay`],
      ['fr', `${SITE}/letters/fair-pay?lang=fr`],
      ['x-default', `${SITE}/letters/fair-pay`],
    ]);
  });

  it('shows the letter’s own text, with a note in the reader’s language, when it has none in theirs', async () => {
    const res = await page('/letters/fair-pay', { 'accept-language': 'de' });
    expect(res.body).toContain('<html lang="de" dir="ltr">');
    expect(res.body).toContain('<h1 id="letter-title" dir="auto">Fair pay for artists</h1>');
    expect(res.body).toContain('Dieser Brief liegt nicht auf Deutsch vor. Er wird in seiner Originalsprache angezeigt: Englisch.');
    expect(article(res.body)).toContain('lang="en" dir="ltr"');
    // Inside the English text, the interface's words say they are German.
    expect(res.body).toContain('<p class="addressee" lang="de" dir="ltr">An <span lang="en" dir="ltr">Example Corp</span></p>');
    expect(hidden(res.body, 'language')).toBe('en');
    const arabic = await page('/letters/fair-pay?lang=ar');
    expect(arabic.body).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.body).toContain('هذه الرسالة غير متوفرة باللغة العربية');
    // The English text keeps its own direction inside the right-to-left page.
    expect(article(arabic.body)).toContain('lang="en" dir="ltr"');
  });

  it('uses the letter’s own language when the reader chose none', async () => {
    await seedLetter(t.app, {
      slug: 'salaire',
      language: 'fr',
      title: 'Un salaire juste',
      body: 'Nous demandons un salaire juste.',
      translations: [{ language: 'en', title: 'Fair pay', summary: '', addressee: '', body: 'We ask for fair pay.' }],
    });
    const none = await page('/letters/salaire');
    expect(none.body).toContain('<html lang="fr" dir="ltr">');
    expect(none.body).toContain('<h1 id="letter-title" dir="auto">Un salaire juste</h1>');
    const english = await page('/letters/salaire', { 'accept-language': 'en' });
    expect(english.body).toContain('<html lang="en" dir="ltr">');
    expect(english.body).toContain('<h1 id="letter-title" dir="auto">Fair pay</h1>');
  });

  it('says when a translation was made for an earlier text, linking to the letter’s own', async () => {
    t.clock.advance(1000);
    await seedLetter(t.app, { body: 'We ask for fair pay, and now.', translations: [] });
    expect(await t.sql("SELECT version FROM letters WHERE slug = 'fair-pay'")).toEqual([{ version: 2 }]);
    const res = await page('/letters/fair-pay?lang=fr');
    expect(res.body).toContain('<h1 id="letter-title" dir="auto">Un salaire juste pour les artistes</h1>');
    expect(res.body).toContain('Cette traduction a été faite pour une version antérieure de la lettre\u00a0; le texte a changé depuis.');
    expect(res.body).toContain('<a href="/letters/fair-pay?lang=en" hreflang="en">Lire le texte original en anglais</a>');
    // Signing here signs the text shown: version 1, in French.
    expect(hidden(res.body, 'version')).toBe('1');
    const english = await page('/letters/fair-pay?lang=en');
    expect(english.body).not.toContain('version antérieure');
    expect(english.body).not.toContain('This translation was made');
    expect(hidden(english.body, 'version')).toBe('2');
  });
});

describe('the letter page in several languages is valid HTML', () => {
  it('translated, translated from an earlier text, and with the note of a language it is not in (right to left too)', async () => {
    const urls = ['/letters/fair-pay?lang=fr', '/letters/fair-pay?lang=de', '/letters/fair-pay?lang=ar'];
    t.clock.advance(1000);
    await seedLetter(t.app, { body: 'New words.', translations: [] });
    for (const url of [...urls, '/letters/fair-pay?lang=fr']) {
      const res = await page(url);
      expect(res.statusCode).toBe(200);
      expect(await htmlProblems(res.body), url).toEqual([]);
    }
  });
});

describe('signing in a language', () => {
  it('records the language and version signed, and counts one signature per person whatever the language', async () => {
    expect(
      (await signViaForm(t, 'fair-pay', { name: 'Amélie Durand', email: 'amelie@example.org', language: 'fr', version: '1', lang: 'fr' }))
        .statusCode,
    ).toBe(303);
    expect(await t.sql("SELECT language, letter_version AS version, status FROM signatures WHERE email = 'amelie@example.org'")).toEqual([
      { language: 'fr', version: 1, status: 'pending' },
    ]);
    // Mailed in the language of the page (French here), naming the letter as she read it.
    expect((await queuedMail(t, 'amelie@example.org'))?.subject).toBe(
      'Confirmez votre signature\u00a0: Un salaire juste pour les artistes',
    );
    const { verify } = await latestLinks(t, 'amelie@example.org');
    expect((await t.app.inject({ method: 'POST', url: verify! })).statusCode).toBe(200);

    // The same person, on the English page (later: a repeat within a minute mails nothing): no
    // second signature, an "already signed" mail.
    t.clock.advance(5 * 60_000);
    expect(
      (await signViaForm(t, 'fair-pay', { name: 'Amelie Durand', email: 'Amelie@Example.org', language: 'en', version: '1' })).statusCode,
    ).toBe(303);
    expect(await t.sql("SELECT language, status FROM signatures WHERE email_key = 'amelie@example.org'")).toEqual([
      { language: 'fr', status: 'verified' },
    ]);
    expect((await queuedMail(t, null))?.kind).toBe('already_signed');
    expect(await t.one("SELECT count(*) FROM signatures WHERE letter_id = (SELECT id FROM letters WHERE slug = 'fair-pay')")).toBe(1);
    const api = JSON.parse((await page('/api/v1/letters/fair-pay?lang=fr')).body) as { signature_count: number };
    expect(api.signature_count).toBe(1);
  });

  it('records the letter’s own language and current version when the form names none, or names what never was', async () => {
    await signViaForm(t, 'fair-pay', { name: 'No Language', email: 'none@example.org' });
    await signViaForm(t, 'fair-pay', { name: 'Odd Language', email: 'odd@example.org', language: 'xx', version: '99' });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/letters/fair-pay/signatures',
      payload: { name: 'Api Signer', email: 'api@example.org' },
    });
    expect(await t.sql('SELECT email, language, letter_version AS version FROM signatures ORDER BY id')).toEqual([
      { email: 'none@example.org', language: 'en', version: 1 },
      { email: 'odd@example.org', language: 'en', version: 1 },
      { email: 'api@example.org', language: 'en', version: 1 },
    ]);
  });

  it('a form sent back with errors shows the same language', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/letters/fair-pay/sign?lang=fr',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ name: '', email: 'x', language: 'fr', version: '1', started: 'bad' }).toString(),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<h1 id="letter-title" dir="auto">Un salaire juste pour les artistes</h1>');
  });
});
