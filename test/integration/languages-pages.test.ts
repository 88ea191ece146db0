// The public pages and the signer's mail in the reader's language: words, numbers, country names
// and their order, form errors, the updates consent recorded in the language shown, and the
// confirmation mail (subject and body) through a real SMTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPDATE_CONSENT_WORDINGS } from '../../src/domain/update-consent.js';
import { makeTestApp, seedLetter, signFormBody, type TestApp } from '../helpers/app.js';
import { linkIn, SmtpSink } from '../helpers/smtp-sink.js';

let t: TestApp;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: sink.url });
  await seedLetter(t.app, { slug: 'fair-pay', goal: 20_000 });
});

afterAll(async () => {
  await t.close();
  await sink.stop();
});

/** The signing form as sent from a page shown in a language (its hidden `lang`). */
function sendForm(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/letters/fair-pay/sign',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: signFormBody(t.config, 'fair-pay', fields, t.clock.now().getTime() - 60_000),
  });
}

const optionNames = (body: string) =>
  [...(/<select id="sign-country"[\s\S]*?<\/select>/.exec(body)?.[0] ?? '').matchAll(/<option value="([A-Z]{2})"[^>]*>([^<]+)</g)].map(
    (m) => ({ code: m[1] as string, name: m[2] as string }),
  );

describe('the letter page in French', () => {
  it('is written in French, with numbers as French writes them', async () => {
    const res = await t.app.inject('/letters/fair-pay?lang=fr');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Signer cette lettre');
    expect(res.body).toContain('Ajoutez votre nom');
    expect(res.body).not.toContain('Add your name');
    // 20 000 with the narrow no-break space French uses between thousands.
    expect(res.body).toContain(`sur un objectif de ${new Intl.NumberFormat('fr-FR').format(20_000)}`);
    expect(res.body).toContain(UPDATE_CONSENT_WORDINGS['updates-v1-fr']);
    expect(res.body).toContain('<input type="hidden" name="lang" value="fr">');
  });

  it('names the countries in French, in French order', async () => {
    const options = optionNames((await t.app.inject('/letters/fair-pay?lang=fr')).body);
    expect(options.length).toBeGreaterThan(200);
    expect(options.find((o) => o.code === 'DE')?.name).toBe('Allemagne');
    const names = options.map((o) => o.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'fr')));
    const english = optionNames((await t.app.inject('/letters/fair-pay?lang=en')).body);
    expect(english.find((o) => o.code === 'DE')?.name).toBe('Germany');
  });

  it('gives Arabic its own words and plural forms', async () => {
    const res = await t.app.inject('/letters/fair-pay?lang=ar');
    expect(res.body).toContain('وقّع هذه الرسالة');
    // No signatures yet: Arabic's "zero" form.
    expect(res.body).toContain(
      `<span class="count-label">توقيع من هدف قدره ${new Intl.NumberFormat('ar-u-nu-latn').format(20_000)}</span>`,
    );
  });
});

describe('signing in a language', () => {
  it('sends the form back in the language it was shown in, with field errors in it', async () => {
    const res = await sendForm({ lang: 'fr', name: '', email: 'nope' }, { 'accept-language': 'de' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<html lang="fr" dir="ltr">');
    expect(res.body).toContain('Veuillez saisir votre nom.');
    expect(res.body).toContain('Veuillez saisir une adresse e-mail valide');
    expect(res.body).toContain('Veuillez vérifier ces champs');
  });

  it('records the updates wording of the language shown, and mails the confirmation in it', async () => {
    const res = await sendForm({ lang: 'fr', name: 'Camille Martin', email: 'camille@example.org', updates: 'on' });
    expect(res.statusCode).toBe(303);
    expect(await t.one('SELECT updates_consent_wording FROM signatures WHERE email = ?', 'camille@example.org')).toBe('updates-v1-fr');

    const mail = await sink.waitFor('camille@example.org');
    expect(mail.subject).toBe('Confirmez votre signature\u00a0: Fair pay for artists');
    expect(mail.text).toContain('Bonjour Camille Martin,');
    expect(mail.text).toContain('Veuillez confirmer votre signature de la lettre ouverte «\u00a0Fair pay for artists\u00a0».');
    expect(mail.html).toContain('<html lang="fr" dir="ltr">');
    expect(mail.html).toContain('Confirmer ma signature');
    // The link is the same whatever the language.
    expect(linkIn(mail, 'verify')).toMatch(/^\/verify\//);
  });

  it('mails Arabic right to left, and English when the page was English', async () => {
    await sendForm({ lang: 'ar', name: 'Layla Haddad', email: 'layla@example.org' });
    const arabic = await sink.waitFor('layla@example.org');
    expect(arabic.subject).toBe('أكِّد توقيعك: Fair pay for artists');
    expect(arabic.html).toContain('<html lang="ar" dir="rtl">');

    await sendForm({ name: 'Ada Lovelace', email: 'ada@example.org', updates: 'on' });
    const english = await sink.waitFor('ada@example.org');
    expect(english.subject).toBe('Confirm your signature: Fair pay for artists');
    expect(await t.one('SELECT updates_consent_wording FROM signatures WHERE email = ?', 'ada@example.org')).toBe('updates-v1');
  });

  it('words the API’s field errors in the language asked for, English by default', async () => {
    const english = await t.app.inject({ method: 'POST', url: '/api/v1/letters/fair-pay/signatures', payload: { email: 'x@example.org' } });
    expect(english.statusCode).toBe(422);
    expect(english.json().error.fields.name).toBe('Please enter your name.');
    const german = await t.app.inject({
      method: 'POST',
      url: '/api/v1/letters/fair-pay/signatures',
      headers: { 'accept-language': 'de' },
      payload: { email: 'x@example.org' },
    });
    expect(german.json().error.fields.name).toBe('Bitte geben Sie Ihren Namen ein.');
  });
});

describe('error pages in a language', () => {
  it('say what happened in the reader’s language', async () => {
    const res = await t.app.inject('/letters/no-such-letter?lang=es');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Página no encontrada');
    expect(res.body).toContain('No hay ninguna carta abierta en esta dirección.');
  });

  it('say what a request the framework refused means, not its English detail', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/letters/fair-pay/sign',
      headers: { 'content-type': 'application/json', cookie: 'lang=fr' },
      payload: '{not json',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<html lang="fr" dir="ltr">');
    expect(res.body).toContain('Nous n’avons pas compris cette demande.');
  });

  it('keep the English message in the JSON API', async () => {
    const res = await t.app.inject({ url: '/api/v1/letters/no-such-letter', headers: { 'accept-language': 'fr' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/^[\x20-\x7e]+$/);
  });
});
