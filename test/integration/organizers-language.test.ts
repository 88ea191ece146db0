// An organizer's own language: chosen on the account page, it decides the language of their
// pages (over the browser's, under an explicit ?lang) and of the mail the site sends them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { Browser, signedInOrganizer } from '../helpers/organizer.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { writeUpdate } from '../helpers/updates.js';

let smtp: SmtpSink;
let t: TestApp;

beforeEach(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url });
  await seedLetter(t.app);
});

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

const htmlLang = (body: string) => /<html lang="([a-z]+)" dir="([a-z]+)"/.exec(body)?.slice(1);

/** A signed-in owner of the seeded letter's collective who chose `language` on the account page. */
async function organizerIn(language: string, email = 'ana@example.org') {
  const { browser } = await signedInOrganizer(t, { email, name: 'Ana Lima', collective: 'artists-united', role: 'owner' });
  await browser.get('/organize/account');
  const saved = await browser.post('/organize/account/language', { language });
  expect(saved.statusCode).toBe(303);
  return browser;
}

describe('an organizer’s language', () => {
  it('is English until chosen, then every organizer page speaks it, whatever the browser asks for', async () => {
    const { browser } = await signedInOrganizer(t, { email: 'ana@example.org', collective: 'artists-united', role: 'owner' });
    const before = await browser.get('/organize');
    expect(htmlLang(before.body)).toEqual(['en', 'ltr']);
    expect(before.body).toContain('<h1>Your letters</h1>');

    await browser.get('/organize/account');
    expect((await browser.post('/organize/account/language', { language: 'fr' })).headers.location).toBe(
      '/organize/account?notice=language_saved',
    );
    const account = await browser.get('/organize/account?notice=language_saved');
    expect(htmlLang(account.body)).toEqual(['fr', 'ltr']);
    expect(account.body).toContain('Langue enregistrée');
    expect(account.body).toContain('<option value="fr" lang="fr" selected>Français</option>');

    // The browser's own preference no longer decides: the account's does.
    const dashboard = await t.app.inject({
      method: 'GET',
      url: '/organize',
      headers: { cookie: browser.jar.header(), 'accept-language': 'de-DE,de;q=0.9' },
    });
    expect(htmlLang(dashboard.body)).toEqual(['fr', 'ltr']);
    expect(dashboard.body).toContain('<h1>Vos lettres</h1>');
    expect(dashboard.body).toContain('Fair pay for artists');
    expect(dashboard.body).toContain('>Propriétaire<');
    expect(dashboard.body).toContain('>Publiée<');
    expect(dashboard.body).not.toContain('Your letters');

    const letterId = (await t.sql<{ id: number }>('SELECT id FROM letters ORDER BY id LIMIT 1'))[0]?.id;
    const overview = await browser.get(`/organize/letters/${letterId}`);
    expect(overview.body).toContain('Vue d’ensemble');
    expect(overview.body).toContain('Exporter les signatures');

    // Form messages too: the zod schemas' keys are put into the account's language.
    await browser.get(`/organize/letters/${letterId}/edit`);
    const refused = await browser.post(`/organize/letters/${letterId}/edit`, { title: '', body: '' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Veuillez saisir un titre.');
    expect(refused.body).toContain('Veuillez vérifier ces champs');

    expect(await t.sql("SELECT action, before, after FROM audit_log WHERE action = 'organizer.language'")).toEqual([
      { action: 'organizer.language', before: '{"language":"en"}', after: '{"language":"fr"}' },
    ]);
  });

  it('gives way to an explicit ?lang on the address, for that page only', async () => {
    const browser = await organizerIn('fr');
    const german = await browser.get('/organize?lang=de');
    expect(htmlLang(german.body)).toEqual(['de', 'ltr']);
    expect(german.body).toContain('<h1>Ihre Briefe</h1>');
    const arabic = await browser.get('/organize?lang=ar');
    expect(htmlLang(arabic.body)).toEqual(['ar', 'rtl']);
    expect(arabic.body).toContain('<h1>رسائلك</h1>');
    // The lang cookie ?lang left behind does not outrank the account.
    expect(htmlLang((await browser.get('/organize')).body)).toEqual(['fr', 'ltr']);
  });

  it('refuses a language the site does not speak, and keeps the one chosen', async () => {
    const browser = await organizerIn('es');
    const refused = await browser.post('/organize/account/language', { language: 'xx' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Elija uno de los idiomas ofrecidos.');
    expect(await t.sql('SELECT language FROM organizers')).toEqual([{ language: 'es' }]);
  });
});

describe('organizer mail in the organizer’s language', () => {
  it('sends the password reset link in the account’s language, subject included', async () => {
    await organizerIn('fr');
    const anonymous = new Browser(t);
    await anonymous.get('/reset');
    expect((await anonymous.post('/reset', { email: 'ana@example.org' })).statusCode).toBe(200);
    const mail = await smtp.waitFor('ana@example.org', /Réinitialisez votre mot de passe Undersigned/);
    expect(mail.text).toContain('Bonjour Ana Lima,');
    expect(mail.text).toContain('Choisir un nouveau mot de passe:');
    expect(mail.text).toContain('pendant 2 heures');
    expect(mail.html).toContain('<html lang="fr" dir="ltr">');
    expect(mail.html).not.toContain('Reset your');
  });

  it('wraps the test of an update in the organizer’s language, the organizers’ own text as written', async () => {
    const browser = await organizerIn('fr');
    const letterId = (await t.sql<{ id: number }>('SELECT id FROM letters ORDER BY id LIMIT 1'))[0]?.id ?? 0;
    await writeUpdate(browser, letterId, { subject: 'We delivered it', body: 'Handed over **today**.' }, 'test');
    const mail = await smtp.waitFor('ana@example.org', /\[Test\] We delivered it/);
    expect(mail.text).toMatch(/TEST\s*:\s*vous seul avez reçu ce\s+message/);
    expect(mail.text).toContain('Handed over');
  });

  it('writes an invitation in the language of the page the inviter sent it from', async () => {
    const owner = await organizerIn('fr', 'owner@example.org');
    await owner.get('/organize/collectives/artists-united/members');
    expect(
      (await owner.post('/organize/collectives/artists-united/members', { email: 'mo@example.org', role: 'moderator' })).statusCode,
    ).toBe(303);
    const mail = await smtp.waitFor('mo@example.org', /vous invite à rejoindre Artists United sur Undersigned/);
    expect(mail.text).toContain(
      'Ana Lima vous invite à rejoindre Artists United sur Undersigned en tant que Modérateur (La file de modération et l’export des signatures).',
    );
    expect(mail.text).toContain('pendant 7 jours');

    // From an Arabic page, in Arabic and right to left.
    await owner.get('/organize/collectives/artists-united/members?lang=ar');
    await owner.post('/organize/collectives/artists-united/members?lang=ar', { email: 'sara@example.org', role: 'editor' });
    const arabic = await smtp.waitFor('sara@example.org', /يدعوك إلى Artists United على Undersigned/);
    expect(arabic.html).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.text).toContain('بصفة محرِّر');
  });
});
