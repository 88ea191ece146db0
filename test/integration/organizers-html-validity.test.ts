// The organizer pages and the API docs are valid HTML in English and in Arabic (right to left),
// checked with html-validate's recommended rules as the public pages are (html-validity.test.ts).
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { type Browser, signedInOrganizer } from '../helpers/organizer.js';
import { addConfirmed } from '../helpers/signers.js';

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // Pages start `<!doctype html>` in lower case, as the HTML standard's own examples do.
    'doctype-style': 'off',
    // A list of checkboxes sends its ticks under one name (ids=1&ids=2), as forms always have.
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
    // Tables and code that may scroll sideways are focusable regions with a name, so a keyboard
    // can scroll them (axe's scrollable-region rule); <section> would add a landmark per table.
    'prefer-native-element': ['error', { exclude: ['region'] }],
  },
});

let t: TestApp;
let letterId = 0;

beforeAll(async () => {
  t = await makeTestApp();
  const letter = await seedLetter(t.app, { slug: 'fair-pay', notable: [{ name: 'Zadie Smith', description: 'novelist' }] });
  letterId = letter.id;
  for (const name of ['Ada Lindqvist', 'Kwame Asante']) await addConfirmed(t, letter.id, name, t.clock.now(), { updates: true });
});

afterAll(async () => {
  await t.close();
});

async function ownerIn(locale: string): Promise<Browser> {
  const { browser } = await signedInOrganizer(t, { email: `owner-${locale}@example.org`, collective: 'artists-united', role: 'owner' });
  await browser.get('/organize/account');
  expect((await browser.post('/organize/account/language', { language: locale })).statusCode).toBe(303);
  return browser;
}

describe.each(['en', 'ar'])('organizer pages in %s', (locale) => {
  it('are valid HTML', async () => {
    const browser = await ownerIn(locale);
    const base = `/organize/letters/${letterId}`;
    const pages: Array<[string, () => ReturnType<Browser['get']>, number]> = [
      ['dashboard', () => browser.get('/organize'), 200],
      ['account', () => browser.get('/organize/account'), 200],
      ['overview', () => browser.get(base), 200],
      ['new letter', () => browser.get('/organize/letters/new'), 200],
      ['editor', () => browser.get(`${base}/edit`), 200],
      ['editor with errors', () => browser.post(`${base}/edit`, { title: '', body: '![](https://img.example/a.jpg)' }), 422],
      ['confirm closing', () => browser.post(`${base}/status`, { to: 'closed' }), 200],
      ['moderation', () => browser.get(`${base}/moderation`), 200],
      ['signatures', () => browser.get(`${base}/signatures`), 200],
      ['notables', () => browser.get(`${base}/notables?q=Ada`), 200],
      ['updates', () => browser.get(`${base}/updates`), 200],
      ['members', () => browser.get('/organize/collectives/artists-united/members'), 200],
      ['audit log', () => browser.get('/organize/collectives/artists-united/audit'), 200],
      ['API docs', () => browser.get(`/api?lang=${locale}`), 200],
    ];
    const problems: string[] = [];
    for (const [name, load, status] of pages) {
      const res = await load();
      expect(res.statusCode, `${name}: ${res.body.slice(0, 300)}`).toBe(status);
      expect(res.body, name).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
      const report = await validator.validateString(res.body);
      for (const result of report.results) {
        for (const m of result.messages) problems.push(`${name} ${m.line}:${m.column} ${m.ruleId}: ${m.message} (${m.selector ?? ''})`);
      }
    }
    expect(problems).toEqual([]);
  });
});
