// Updates to signers in the language each consented in: the words around the organizers' text
// (heading, footer, unsubscribe link) follow the wording of the consent recorded with the
// signature; the update's own subject and text are the organizers', unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { signedInOrganizer } from '../helpers/organizer.js';
import { latestLinks } from '../helpers/signers.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { confirmAndSend, deliverUpdate, writeUpdate } from '../helpers/updates.js';

let smtp: SmtpSink;
let t: TestApp;
let letterId: number;

beforeAll(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url, UPDATES_PER_SECOND: '1000', SPIKE_GUARD: 'off' }, { startBackground: false });
  letterId = (await seedLetter(t.app, { collective: 'artists-united' })).id;
});

afterAll(async () => {
  await t.close();
  await smtp.stop();
});

/** Signs through the API in a language (Accept-Language) with the updates box, and confirms. */
async function signIn(language: string, name: string, email: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/letters/fair-pay/signatures',
    headers: { 'accept-language': language },
    payload: { name, email, updates: true },
  });
  expect(res.statusCode).toBe(202);
  const { verify } = await latestLinks(t, email);
  expect((await t.app.inject({ method: 'POST', url: String(verify) })).statusCode).toBe(200);
}

describe('an update in each signer’s language', () => {
  it('wraps the organizers’ text in the words of the language each signer consented in', async () => {
    await signIn('de', 'Greta Becker', 'greta@example.org');
    await signIn('ar', 'Layla Haddad', 'layla@example.org');
    await signIn('en', 'Ada Lovelace', 'ada@example.org');
    expect(await t.one('SELECT updates_consent_wording FROM signatures WHERE email = ?', 'greta@example.org')).toBe('updates-v1-de');

    const { browser } = await signedInOrganizer(t, { email: 'owner@example.org', collective: 'artists-united' });
    const id = await writeUpdate(browser, letterId, { subject: 'We delivered the letter', body: 'Handed over **today**.' });
    await confirmAndSend(browser, letterId, id);
    await deliverUpdate(t, id);

    const german = await smtp.waitFor('greta@example.org', /We delivered the letter/);
    expect(german.subject).toBe('We delivered the letter');
    expect(german.text).toContain('Neuigkeit zu „Fair pay for artists“');
    expect(german.text).toContain('Handed over today.');
    expect(german.text).toContain('Neuigkeiten zu diesem Brief abbestellen');
    expect(german.html).toContain('<html lang="de" dir="ltr">');

    const arabic = await smtp.waitFor('layla@example.org', /We delivered the letter/);
    expect(arabic.html).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.text).toContain('إلغاء الاشتراك في مستجدات هذه الرسالة');

    const english = await smtp.waitFor('ada@example.org', /We delivered the letter/);
    expect(english.text).toContain('Update on "Fair pay for artists"');
    expect(english.text).toContain('Unsubscribe from this letter’s updates');
  });
});
