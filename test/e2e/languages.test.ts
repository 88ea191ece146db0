/// <reference lib="dom" />
// The site in Arabic in a real browser: right to left and mirrored, on a phone and a desktop,
// checked with axe; no sideways scrolling; the language switcher reached and used by keyboard.
import { describe, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, DESKTOP, e2eSession, PHONE, screenshot } from './browser.js';

const run = chromiumAvailable();
const SLUG = 'statement-on-ai-training';
const dir = `/tmp/undersigned-e2e-languages-${process.pid}`;

const e2e = e2eSession({ DATABASE_URL: `file:${dir}/e2e.db`, LOG_LEVEL: 'warn' });

describe.skipIf(!run)('the letter page in Arabic', () => {
  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`reads right to left on a ${name}, accessible and without sideways scrolling`, async () => {
      const context = await e2e.browser.newContext({ viewport });
      const page = await context.newPage();
      try {
        await page.goto(`${e2e.server.url}/letters/${SLUG}?lang=ar`);
        expect(await page.getAttribute('html', 'dir')).toBe('rtl');
        expect(await page.getAttribute('html', 'lang')).toBe('ar');
        await expect.poll(() => page.locator('.sign-form button[type="submit"]').textContent()).toBe('وقّع هذه الرسالة');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        // Mirrored: text starts at the right edge, and on a desktop the signing box sits left of
        // the letter instead of right.
        const title = await page.locator('#letter-title').boundingBox();
        expect(title && title.x + title.width).toBeGreaterThan(viewport.width / 2);
        if (name === 'desktop') {
          const letter = await page.locator('.letter-text').boundingBox();
          const aside = await page.locator('.letter-aside').boundingBox();
          expect(aside && letter && aside.x < letter.x).toBe(true);
        }
        const violations = await axeViolations(page);
        expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
        await screenshot(page, `letter-ar-${name}`);
      } finally {
        await context.close();
      }
    });
  }

  it('lets a keyboard reach the language switcher and change the language', async () => {
    const context = await e2e.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    try {
      await page.goto(`${e2e.server.url}/letters/${SLUG}?lang=ar`);
      let reached = false;
      for (let presses = 0; presses < 30 && !reached; presses++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.getAttribute('hreflang') === 'fr');
      }
      expect(reached).toBe(true);
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
      expect(await page.getAttribute('html', 'dir')).toBe('ltr');
      expect(new URL(page.url()).pathname).toBe(`/letters/${SLUG}`);
      // Remembered: the next page without ?lang is French too.
      await page.goto(`${e2e.server.url}/`);
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
    } finally {
      await context.close();
    }
  });
});
