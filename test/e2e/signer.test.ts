/// <reference lib="dom" />
// A signer in a real browser: phone and desktop, with and without JavaScript, by keyboard,
// and the pages checked with axe-core and saved as screenshots.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { linkIn } from '../helpers/smtp-sink.js';
import { axeViolations, chromiumAvailable, DESKTOP, e2eSession, PHONE, screenshot } from './browser.js';

const run = chromiumAvailable();
const SLUG = 'statement-on-ai-training';
/** The form asks for a second press when sent sooner than this (bot protection). */
const MIN_FILL_MS = 800;
/** What the page says to a person who sent the form that quickly. */
const PRESS_AGAIN = 'please press “Sign this letter” once more';
const dir = `/tmp/undersigned-e2e-signer-${process.pid}`;

const e2e = e2eSession({
  DATABASE_URL: `file:${dir}/e2e.db`,
  SIGN_MIN_FILL_MS: String(MIN_FILL_MS),
  LOG_LEVEL: 'warn',
});

async function apiCount(): Promise<number> {
  const res = await fetch(`${e2e.server.url}/api/v1/letters/${SLUG}/count`);
  return (await res.json()).signature_count;
}

async function pageCount(page: Page): Promise<number> {
  await page.goto(`${e2e.server.url}/letters/${SLUG}`);
  return Number(((await page.locator('.sign-box .count').textContent()) ?? '').replace(/\D/g, ''));
}

async function expectAccessible(page: Page, name: string) {
  const violations = await axeViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

function watchForScripts(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return dialogs;
}

/**
 * Sends the form as a quick person does: while the form is younger than its minimum fill time the
 * page comes back asking for another press, with what was typed kept, so press again on each such
 * page. Every press waits for the page it loads; this returns on the first one that does not ask.
 */
async function send(page: Page, press: () => Promise<void>): Promise<void> {
  for (let presses = 0; presses < 100; presses++) {
    await Promise.all([page.waitForEvent('load'), press()]);
    if (!(await page.getByText(PRESS_AGAIN).isVisible())) return;
  }
  throw new Error(`the form still asked for another press after 100 presses (minimum fill time ${MIN_FILL_MS} ms)`);
}

async function signAndConfirm(page: Page, label: string, viewport: { width: number; height: number }, options: { javascript: boolean }) {
  const email = `${label}@e2e.example`;
  const before = await apiCount();
  await page.goto(e2e.server.url);
  await screenshot(page, `home-${label}`);
  if (options.javascript) await expectAccessible(page, 'home');
  await page.getByRole('link', { name: 'Statement on generative AI training' }).click();
  await expect.poll(() => page.url()).toContain(`/letters/${SLUG}`);
  await screenshot(page, `letter-${label}`);
  if (options.javascript) await expectAccessible(page, 'letter');

  await page.getByLabel('Your name').fill(`E2E ${label}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Role or occupation').fill('Illustrator');
  await page.getByLabel('Country').selectOption('GB');
  await send(page, () => page.getByRole('button', { name: 'Sign this letter' }).click());
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await screenshot(page, `check-email-${label}`);
  if (options.javascript) await expectAccessible(page, 'check email');

  const mail = await e2e.smtp.waitFor(email, /Confirm your signature/);
  await page.goto(`${e2e.server.url}${linkIn(mail, 'verify')}`);
  await page.getByRole('button', { name: 'Confirm my signature' }).waitFor();
  await screenshot(page, `verify-${label}`);
  if (options.javascript) await expectAccessible(page, 'verify');
  expect(await apiCount()).toBe(before);

  await page.getByRole('button', { name: 'Confirm my signature' }).click();
  await page.getByRole('heading', { name: 'Thank you for signing' }).waitFor();
  await screenshot(page, `thanks-${label}`);
  if (options.javascript) await expectAccessible(page, 'thank you');
  const shown = Number(((await page.locator('[data-count]').textContent()) ?? '').replace(/\D/g, ''));
  expect(shown).toBe(before + 1);
  expect(await apiCount()).toBe(before + 1);
  expect(await pageCount(page)).toBe(before + 1);
  expect(viewport.width).toBeGreaterThan(0);
}

describe.skipIf(!run)('signing in a browser', () => {
  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`signs and confirms on a ${name}`, async () => {
      const context = await e2e.browser.newContext({ viewport, isMobile: name === 'phone', hasTouch: name === 'phone' });
      const page = await context.newPage();
      const dialogs = watchForScripts(page);
      await signAndConfirm(page, name, viewport, { javascript: true });
      expect(dialogs).toEqual([]);
      await context.close();
    }, 60_000);
  }

  it('works the same with JavaScript disabled', async () => {
    const context = await e2e.browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await signAndConfirm(page, 'nojs', PHONE, { javascript: false });
    await context.close();
  }, 60_000);

  it('shows validation messages next to the fields, keeps the input and focuses the first error', async () => {
    const context = await e2e.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/letters/${SLUG}`);
    await page.getByLabel('Email address').fill('not-an-email');
    await page.getByLabel('Role or occupation').fill('Painter');
    await send(page, () => page.getByRole('button', { name: 'Sign this letter' }).click());
    await page.locator('.error-summary').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('sign-name');
    await expect.poll(() => page.locator('#name-error').textContent()).toContain('Please enter your name');
    expect(await page.locator('#email-error').textContent()).toContain('valid email address');
    expect(await page.getByLabel('Email address').inputValue()).toBe('not-an-email');
    expect(await page.getByLabel('Role or occupation').inputValue()).toBe('Painter');
    expect(await page.getByLabel('Your name').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'validation-phone');
    await expectAccessible(page, 'validation');
    await context.close();
  }, 60_000);

  it('can be signed with the keyboard alone, with a visible focus ring', async () => {
    const context = await e2e.browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/letters/${SLUG}`);
    await page.getByLabel('Your name').focus();
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.type('Keyboard User');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sign-email');
    await page.keyboard.type('keyboard@e2e.example');
    const order: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName || ''));
      if (order.at(-1) === 'BUTTON') break;
    }
    expect(order).toEqual(['sign-title', 'sign-organisation', 'sign-country', 'sign-public', 'sign-updates', 'sign-comment', 'BUTTON']);
    // Enter on the focused button; a page asking for another press focuses the button again.
    await send(page, async () => {
      await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
      await page.keyboard.press('Enter');
    });
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await e2e.smtp.waitFor('keyboard@e2e.example');
    await context.close();
  }, 60_000);

  it('never runs a script from a hostile name', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const res = await fetch(`${e2e.server.url}/api/v1/letters/${SLUG}/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: hostile, email: 'hostile@e2e.example' }),
    });
    expect(res.status).toBe(202);
    const mail = await e2e.smtp.waitFor('hostile@e2e.example');
    const context = await e2e.browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const dialogs = watchForScripts(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${e2e.server.url}${linkIn(mail, 'verify')}`);
    await page.getByRole('button', { name: 'Confirm my signature' }).click();
    await page.getByRole('heading', { name: 'Thank you for signing' }).waitFor();
    for (const url of ['/', `/letters/${SLUG}`, `/letters/${SLUG}/embed`, '/api']) {
      await page.goto(`${e2e.server.url}${url}`);
      await page.waitForLoadState('load');
    }
    await page.goto(`${e2e.server.url}/letters/${SLUG}`);
    expect(await page.getByText(hostile).count()).toBeGreaterThan(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
