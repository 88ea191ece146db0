/// <reference lib="dom" />
// A letter in several languages in a real browser: the demo statement's French translation at
// ?lang=fr and for a browser set to French, accessible at 390 and 1280 px; a reader whose
// language it is not translated into gets the original with a note; signing on the French page
// records French and mails the signer in French.
import { describe, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, DESKTOP, e2eSession, PHONE, screenshot } from './browser.js';

const run = chromiumAvailable();
const SLUG = 'statement-on-ai-training';
const FRENCH_TITLE = 'Déclaration sur l’entraînement de l’IA générative';
const dir = `/tmp/undersigned-e2e-translations-${process.pid}`;

// A form may be sent at once: this file is about languages, not the minimum fill time.
const e2e = e2eSession({ DATABASE_URL: `file:${dir}/e2e.db`, LOG_LEVEL: 'warn', SIGN_MIN_FILL_MS: '0' });

describe.skipIf(!run)('a letter in French', () => {
  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`shows the French text at ?lang=fr on a ${name}, accessible`, async () => {
      const context = await e2e.browser.newContext({ viewport });
      const page = await context.newPage();
      try {
        await page.goto(`${e2e.server.url}/letters/${SLUG}?lang=fr`);
        expect(await page.locator('#letter-title').textContent()).toBe(FRENCH_TITLE);
        expect(await page.getAttribute('article.letter-text', 'lang')).toBe('fr');
        await expect.poll(() => page.locator('.letter-body').textContent()).toContain('Nous demandons trois choses');
        // The original, one link away, named in itself.
        expect(await page.getAttribute('.letter-languages a[hreflang="en"]', 'href')).toBe(`/letters/${SLUG}?lang=en`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        const violations = await axeViolations(page);
        expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
        await screenshot(page, `letter-fr-${name}`);
      } finally {
        await context.close();
      }
    });
  }

  it('shows it to a browser set to French without ?lang, and the original with a note to one set to German', async () => {
    const french = await e2e.browser.newContext({ viewport: PHONE, locale: 'fr-FR' });
    const german = await e2e.browser.newContext({ viewport: PHONE, locale: 'de-DE' });
    try {
      const page = await french.newPage();
      await page.goto(`${e2e.server.url}/letters/${SLUG}`);
      expect(await page.locator('#letter-title').textContent()).toBe(FRENCH_TITLE);
      const other = await german.newPage();
      await other.goto(`${e2e.server.url}/letters/${SLUG}`);
      expect(await other.getAttribute('html', 'lang')).toBe('de');
      expect(await other.locator('#letter-title').textContent()).toBe('Statement on generative AI training');
      expect(await other.locator('.letter-language').textContent()).toContain('Dieser Brief liegt nicht auf Deutsch vor');
      const violations = await axeViolations(other);
      expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    } finally {
      await french.close();
      await german.close();
    }
  });

  it('signs on the French page: the confirmation mail is in French', async () => {
    const context = await e2e.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    try {
      await page.goto(`${e2e.server.url}/letters/${SLUG}?lang=fr`);
      await page.getByLabel('Votre nom').fill('Camille Martin');
      await page.getByLabel('Adresse e-mail').fill('camille@e2e.example');
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Signer cette lettre' }).click()]);
      const mail = await e2e.smtp.waitFor('camille@e2e.example', /^Confirmez votre signature/);
      expect(mail.subject).toContain('Confirmez votre signature');
    } finally {
      await context.close();
    }
  });
});
