/// <reference lib="dom" />
// The signatories page and the "Did you mean …?" question in a real browser, at phone and desktop
// widths: accessible (axe), nothing wider than the screen, and everything works without JavaScript.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, DESKTOP, e2eSession, PHONE, screenshot } from './browser.js';

const run = chromiumAvailable();
const SLUG = 'statement-on-ai-training';
const dir = `/tmp/undersigned-e2e-signatories-${process.pid}`;

const e2e = e2eSession({ DATABASE_URL: `file:${dir}/e2e.db`, SIGN_MIN_FILL_MS: '0', LOG_LEVEL: 'warn' });

async function expectAccessible(page: Page, name: string) {
  const violations = await axeViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name}: wider than the screen`).toBeLessThanOrEqual(0);
}

async function newPage(browser: Browser, viewport: { width: number; height: number }, javascript: boolean) {
  const context = await browser.newContext({ viewport, javaScriptEnabled: javascript });
  return { context, page: await context.newPage() };
}

describe.skipIf(!run)('all signatories, and a mistyped address, in a browser', () => {
  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`goes from the letter to every signatory and searches their names on a ${name}`, async () => {
      const { context, page } = await newPage(e2e.browser, viewport, true);
      await page.goto(`${e2e.server.url}/letters/${SLUG}`);
      await page.getByRole('link', { name: /^See all [\d,]+ signator/ }).click();
      await page.getByRole('heading', { name: 'Signatories', level: 1 }).waitFor();
      await expectAccessible(page, `signatories ${name}`);
      await screenshot(page, `signatories-${name}`);
      const first = await page.locator('#all-title + ul .who').first().textContent();
      expect(first).toBeTruthy();
      // Search for the first listed name's first word, typed without accents and in capitals.
      const word = (first as string).split(/\s+/)[0]!.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
      await page.getByLabel('Search names').fill(word);
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Search' }).click()]);
      await expect.poll(() => page.url()).toContain(`q=${encodeURIComponent(word)}`);
      await expect(page.getByRole('status').textContent()).resolves.toMatch(/signator(y|ies) match/);
      expect(await page.locator('#all-title + ul .who').allTextContents()).toContain(first);
      await expectAccessible(page, `signatories search ${name}`);
      await screenshot(page, `signatories-search-${name}`);
      await context.close();
    });
  }

  it('asks "Did you mean …?" and takes the fix in one tap, without JavaScript, then shows where the mail went', async () => {
    const { context, page } = await newPage(e2e.browser, PHONE, false);
    await page.goto(`${e2e.server.url}/letters/${SLUG}`);
    await page.getByLabel('Your name').fill('Lena Typo');
    await page.getByLabel('Email address').fill('lena.typo@gmial.com');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign this letter' }).click()]);
    await page.getByText('Did you mean').waitFor();
    expect(await page.getByLabel('Your name').inputValue()).toBe('Lena Typo');
    await screenshot(page, 'email-suggestion-phone');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Use lena.typo@gmail.com' }).click()]);
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('We sent it to lena.typo@gmail.com.');
    expect(page.url()).not.toContain('lena');
    await screenshot(page, 'check-email-address-phone');
    await e2e.smtp.waitFor('lena.typo@gmail.com', /Confirm your signature/);
    await context.close();
  });

  it('keeps the address as typed when asked to, by keyboard, and the question passes axe', async () => {
    const { context, page } = await newPage(e2e.browser, DESKTOP, true);
    await page.goto(`${e2e.server.url}/letters/${SLUG}`);
    await page.getByLabel('Your name').fill('Kim Keep');
    await page.getByLabel('Email address').fill('kim.keep@hotnail.com');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign this letter' }).click()]);
    await page.getByText('Did you mean').waitFor();
    await expectAccessible(page, 'email suggestion');
    // The fix has the focus; one Tab reaches "Keep".
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Use kim.keep@hotmail.com');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('We sent it to kim.keep@hotnail.com.');
    await expectAccessible(page, 'check email with address');
    await context.close();
  });
});
