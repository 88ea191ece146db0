/// <reference lib="dom" />
// An organizer translates a letter in a real browser: the Translations tab, the editor with its
// preview, accessible at 390 and 1280 px, and readers then get the translation.
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { axeViolations, chromiumAvailable, DESKTOP, e2eSession, PHONE, screenshot } from './browser.js';

const run = chromiumAvailable();
const dir = `/tmp/undersigned-e2e-organizer-translations-${process.pid}`;
const dbUrl = `file:${dir}/e2e.db`;
const PASSWORD = 'four random words here';

const e2e = e2eSession({ DATABASE_URL: dbUrl, SEED_DEMO: 'false' });

describe.skipIf(!run)('translating a letter in a browser', () => {
  it('adds a French translation with a preview, and readers of French get it', async () => {
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/pay-the-testers.md`;
    writeFileSync(
      file,
      '---\nslug: pay-the-testers\ntitle: Pay the testers\ncollective: e2e-collective\nstatus: published\n---\n\nWe ask to be **paid**.\n',
    );
    const env = { DATABASE_URL: dbUrl, PUBLIC_URL: e2e.server.url };
    expect((await runCli(['import-letter', file], env)).code).toBe(0);
    const created = await runCli(
      ['create-organizer', '--email', 'translator@e2e.example', '--name', 'Tess', '--collective', 'e2e-collective', '--role', 'editor'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const signin = /https?:\/\/\S+\/signin\/[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0];

    const context = await e2e.browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await page.goto(signin!);
      await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('New password again').fill(PASSWORD);
      await page.getByRole('button', { name: /password/i }).click();
      await page.getByRole('heading', { name: 'Your letters' }).waitFor();

      await page.getByRole('link', { name: 'Pay the testers' }).first().click();
      await page.getByRole('link', { name: 'Translations' }).click();
      await page.getByText('No translations yet.').waitFor();
      for (const viewport of [PHONE, DESKTOP]) {
        await page.setViewportSize(viewport);
        const violations = await axeViolations(page);
        expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
      }
      await page.getByLabel('Language of the translation').selectOption('fr');
      await page.getByRole('button', { name: 'Write it' }).click();
      await page.getByRole('heading', { name: 'Translation into French' }).waitFor();

      await page.getByLabel('Title', { exact: true }).fill('Payez les testeurs');
      await page.getByLabel('Text', { exact: true }).fill('Nous demandons à être **payés**.');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.locator('.preview strong').getByText('payés').waitFor();
      for (const viewport of [PHONE, DESKTOP]) {
        await page.setViewportSize(viewport);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        const violations = await axeViolations(page);
        expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
        await screenshot(page, `translation-editor-${viewport.width}`);
      }
      await page.getByRole('button', { name: 'Save the translation' }).click();
      await page.getByText('Translation saved.').waitFor();
      await page.getByText('Up to date (version 1)').waitFor();

      await page.goto(`${e2e.server.url}/letters/pay-the-testers?lang=fr`);
      expect(await page.locator('#letter-title').textContent()).toBe('Payez les testeurs');
      expect(await page.getAttribute('article.letter-text', 'lang')).toBe('fr');
    } finally {
      await context.close();
    }
  });
});
