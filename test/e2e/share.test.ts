/// <reference lib="dom" />
// Sharing, milestones and the map on a letter page in a real browser, on a phone and a desktop:
// visible before signing, no horizontal scrolling at 390 px, axe-clean, and the copy button with
// and without JavaScript.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signAt } from '../helpers/server.js';
import { linkIn } from '../helpers/smtp-sink.js';
import { axeViolations, chromiumAvailable, DESKTOP, e2eSession, PHONE, screenshot } from './browser.js';

const run = chromiumAvailable();
const SLUG = 'statement-on-ai-training';
const dir = `/tmp/undersigned-e2e-share-${process.pid}`;

const e2e = e2eSession({ DATABASE_URL: `file:${dir}/e2e.db`, LOG_LEVEL: 'warn' });

/** Signs through the API and confirms from the mail, so the letter has counted signers in some countries. */
async function confirmedSigner(email: string, country: string) {
  const res = await fetch(`${e2e.server.url}/api/v1/letters/${SLUG}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Share ${country} ${email.length}`, email, country }),
    signal: AbortSignal.timeout(10_000),
  });
  expect(res.status).toBe(202);
  const mail = await e2e.smtp.waitFor(email, /Confirm your signature/);
  const confirmed = await fetch(`${e2e.server.url}${linkIn(mail, 'verify')}`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  expect(confirmed.status).toBe(200);
}

async function expectNoHorizontalScroll(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, 'the page scrolls sideways').toBeLessThanOrEqual(width);
}

describe.skipIf(!run)('sharing, milestones and the map', () => {
  let signed = false;
  async function withSigners() {
    if (signed) return;
    await confirmedSigner('share-gb@e2e.example', 'GB');
    await confirmedSigner('share-fr@e2e.example', 'FR');
    expect((await signAt(e2e.server, SLUG, { name: 'Pending Person', email: 'pending@e2e.example' })).status).toBe(202);
    signed = true;
  }

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`shows share links before the form, the next milestone and the map on a ${name}, axe-clean`, async () => {
      await withSigners();
      const context = await e2e.browser.newContext({
        viewport,
        isMobile: name === 'phone',
        hasTouch: name === 'phone',
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      const page = await context.newPage();
      await page.goto(`${e2e.server.url}/letters/${SLUG}`);

      const share = page.getByRole('region', { name: 'Share this letter' });
      for (const network of ['Mastodon', 'Bluesky', 'X', 'Facebook', 'LinkedIn', 'WhatsApp', 'Email']) {
        await expect.poll(() => share.getByRole('link', { name: new RegExp(`^${network}\\b`) }).isVisible()).toBe(true);
      }
      // Before signing: on a phone, above the form in reading order; on a desktop, in view beside it.
      const shareTop = (await share.boundingBox())!.y;
      const formTop = (await page.locator('#sign').boundingBox())!.y;
      if (name === 'phone') expect(shareTop).toBeLessThan(formTop);
      else expect(shareTop).toBeLessThan(viewport.height);

      await expect.poll(() => page.getByText('Next milestone: 100 signatures').isVisible()).toBe(true);
      const map = page.locator('img.world-map');
      await map.scrollIntoViewIfNeeded();
      // Loaded lazily from the map file, and drawn: the image has its size.
      await expect.poll(() => map.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(960);
      expect(await map.getAttribute('aria-describedby')).toBe('country-list');
      expect(await map.getAttribute('alt')).toMatch(/^World map of signatures by country: .*France/);

      // Copy link: the button appears with JavaScript, copies, and says so in a live region.
      await page.getByRole('button', { name: 'Copy link' }).click();
      await expect.poll(() => page.locator('.share-status').textContent()).toBe('Link copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(new RegExp(`/letters/${SLUG}$`));

      await expectNoHorizontalScroll(page);
      const violations = await axeViolations(page);
      expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
      await screenshot(page, `share-${name}`);
      await context.close();
    }, 60_000);
  }

  it('offers the link to select and copy without JavaScript', async () => {
    const context = await e2e.browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/letters/${SLUG}`);
    const field = page.getByLabel('Link to this letter');
    expect(await field.inputValue()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/letters/${SLUG}$`));
    expect(await field.getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('button', { name: 'Copy link' }).count()).toBe(0);
    await expectNoHorizontalScroll(page);
    await context.close();
  }, 60_000);

  it('serves the preview card the page names', async () => {
    const html = await (await fetch(`${e2e.server.url}/letters/${SLUG}`)).text();
    const image = /<meta property="og:image" content="([^"]+)">/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    expect(image).toBeDefined();
    const res = await fetch(image!, { signal: AbortSignal.timeout(20_000) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).readUInt32BE(16)).toBe(1200);
  }, 60_000);
});
