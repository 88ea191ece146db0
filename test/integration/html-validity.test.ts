// Every public page is valid HTML, in English and in Arabic (right to left): each page is rendered
// by the app and checked with html-validate's recommended rules, less one (below).
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsubscribeTokens } from '../../src/domain/unsubscribe-token.js';
import { makeTestApp, seedLetter, signFormBody, signViaApi, type TestApp } from '../helpers/app.js';
import { addConfirmed, latestLinks } from '../helpers/signers.js';

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // The one exception: pages start `<!doctype html>` in lower case, as the HTML standard's own
    // examples do; the rule only wants upper case.
    'doctype-style': 'off',
  },
});

let t: TestApp;
const pages = new Map<string, { method?: 'GET' | 'POST'; url: string; payload?: string; status: number }>();

beforeAll(async () => {
  t = await makeTestApp();
  const letter = await seedLetter(t.app, {
    slug: 'fair-pay',
    goal: 20_000,
    notable: [{ name: 'Zadie Smith', description: 'novelist' }],
  });
  for (const name of ['Ada Lindqvist', 'Kwame Asante']) await addConfirmed(t, letter.id, name, t.clock.now(), { updates: true });
  const withUpdates = await addConfirmed(t, letter.id, 'Layla Haddad', t.clock.now(), { updates: true });
  await seedLetter(t.app, { slug: 'finished', title: 'A finished letter', status: 'closed' });

  await signViaApi(t, 'fair-pay', { name: 'Camille Martin', email: 'camille@example.org' });
  const camille = await latestLinks(t, 'camille@example.org');
  await signViaApi(t, 'fair-pay', { name: 'Grace Hopper', email: 'grace@example.org' });
  const grace = await latestLinks(t, 'grace@example.org');
  await t.app.inject({ method: 'POST', url: String(grace.verify) });

  const form = (fields: Record<string, string>) => signFormBody(t.config, 'fair-pay', fields, t.clock.now().getTime() - 60_000);
  const unsubscribe = `/unsubscribe/${new UnsubscribeTokens(t.config.SESSION_SECRET).tokenFor(withUpdates.id)}`;
  const entries: Array<[string, { method?: 'GET' | 'POST'; url: string; payload?: string; status: number }]> = [
    ['home', { url: '/', status: 200 }],
    ['letter', { url: '/letters/fair-pay', status: 200 }],
    ['closed letter', { url: '/letters/finished', status: 200 }],
    ['versions', { url: '/letters/fair-pay/versions', status: 200 }],
    ['embed', { url: '/letters/fair-pay/embed', status: 200 }],
    ['form with errors', { method: 'POST', url: '/letters/fair-pay/sign', payload: form({ name: '', email: 'nope' }), status: 422 }],
    ['check your email', { url: '/letters/fair-pay/signed', status: 200 }],
    ['confirm', { url: String(camille.verify), status: 200 }],
    ['thanks', { url: String(grace.verify), status: 200 }],
    ['withdraw', { url: String(grace.withdraw), status: 200 }],
    ['unknown link', { url: '/verify/not-a-token', status: 404 }],
    ['unsubscribe', { url: unsubscribe, status: 200 }],
    ['not found', { url: '/no/such/page', status: 404 }],
    ['no such letter', { url: '/letters/no-such-letter', status: 404 }],
  ];
  for (const [name, page] of entries) pages.set(name, page);
});

afterAll(async () => {
  await t.close();
});

describe.each(['en', 'ar'])('public pages in %s', (locale) => {
  it('are valid HTML', async () => {
    expect(pages.size).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const [name, page] of pages) {
      const res = await t.app.inject({
        method: page.method ?? 'GET',
        url: page.url,
        headers: { cookie: `lang=${locale}`, ...(page.payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        payload: page.payload,
      });
      expect(res.statusCode, `${name}: ${res.body.slice(0, 300)}`).toBe(page.status);
      expect(res.body, name).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
      const report = await validator.validateString(res.body);
      for (const result of report.results) {
        for (const m of result.messages) problems.push(`${name} ${m.line}:${m.column} ${m.ruleId}: ${m.message} (${m.selector ?? ''})`);
      }
    }
    expect(problems).toEqual([]);
  });
});
