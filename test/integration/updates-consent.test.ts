// Consent to updates is given at signing, by an unticked box (form) or "updates": true (API),
// and recorded with the signature: when, and which words were shown.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UPDATE_CONSENT_WORDINGS } from '../../src/domain/update-consent.js';
import { makeTestApp, seedLetter, signViaApi, signViaForm, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await seedLetter(t.app);
});
afterEach(async () => {
  await t.close();
});

function consentOf(email: string) {
  return t
    .sql<{ at: number | null; wording: string | null }>(
      'SELECT updates_consent_at AS at, updates_consent_wording AS wording FROM signatures WHERE email = ?',
      email,
    )
    .then((rows) => rows[0]);
}

describe('consent to updates', () => {
  it('is an unticked box on the form, and its words are the ones recorded', async () => {
    const page = await t.app.inject('/letters/fair-pay');
    const box = /<input id="sign-updates"[^>]*>/.exec(page.body)?.[0];
    expect(box).toContain('name="updates"');
    expect(box).not.toContain('checked');
    expect(page.body).toContain(UPDATE_CONSENT_WORDINGS['updates-v1']);

    expect((await signViaForm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org', updates: 'on' })).statusCode).toBe(303);
    expect((await signViaForm(t, 'fair-pay', { name: 'Grace Hopper', email: 'grace@example.org' })).statusCode).toBe(303);
    expect(await consentOf('ada@example.org')).toEqual({ at: t.clock.now().getTime(), wording: 'updates-v1' });
    expect(await consentOf('grace@example.org')).toEqual({ at: null, wording: null });
  });

  it('is "updates": true in the API, documented, and nothing else consents', async () => {
    expect((await signViaApi(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org', updates: true })).statusCode).toBe(202);
    expect((await signViaApi(t, 'fair-pay', { name: 'Alan Turing', email: 'alan@example.org', updates: false })).statusCode).toBe(202);
    expect((await signViaApi(t, 'fair-pay', { name: 'Grace Hopper', email: 'grace@example.org' })).statusCode).toBe(202);
    const wrong = await signViaApi(t, 'fair-pay', { name: 'Tim Berners', email: 'tim@example.org', updates: 'yes' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.fields).toHaveProperty('updates');
    expect(await consentOf('ada@example.org')).toMatchObject({ wording: 'updates-v1' });
    expect((await consentOf('alan@example.org'))?.at).toBeNull();
    expect((await consentOf('grace@example.org'))?.at).toBeNull();
    expect(await t.one('SELECT count(*) AS n FROM signatures WHERE email = ?', 'tim@example.org')).toBe(0);

    const openapi = (await t.app.inject('/openapi.json')).json();
    expect(JSON.stringify(openapi.components.schemas.NewSignatureInput.properties.updates)).toMatch(/"type":"boolean"/);
  });

  it('signing again with the box ticked consents; without it, an earlier consent stays', async () => {
    await signViaApi(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org', updates: true });
    const first = await consentOf('ada@example.org');
    t.clock.advance(120_000);
    await signViaApi(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    expect(await consentOf('ada@example.org')).toEqual(first);

    await signViaApi(t, 'fair-pay', { name: 'Grace Hopper', email: 'grace@example.org' });
    t.clock.advance(120_000);
    await signViaForm(t, 'fair-pay', { name: 'Grace Hopper', email: 'grace@example.org', updates: 'on' });
    expect(await consentOf('grace@example.org')).toEqual({ at: t.clock.now().getTime(), wording: 'updates-v1' });
  });

  it('keeps what was ticked when the form comes back with an error', async () => {
    const res = await signViaForm(t, 'fair-pay', { name: '', email: 'ada@example.org', updates: 'on' });
    expect(res.statusCode).toBe(422);
    expect(/<input id="sign-updates"[^>]*>/.exec(res.body)?.[0]).toContain('checked');
  });
});
