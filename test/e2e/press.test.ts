/// <reference lib="dom" />
// The press features in a real browser: the docs page and the letter page's chart pass axe and
// the CSP (a violation shows up as a console error), and another site can frame the embed card
// and show the badge.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { addConfirmed } from '../helpers/signers.js';
import { axeViolations, chromiumAvailable, DESKTOP, launchBrowser, PHONE, screenshot } from './browser.js';

const run = chromiumAvailable();
let t: TestApp;
let news: FastifyInstance;
let browser: Browser;
let base: string;
let newsUrl: string;
const COUNT = 57;

beforeAll(async () => {
  if (!run) return;
  t = await makeTestApp({ RATE_LIMIT: 'off' }, { startBackground: false });
  const letter = await seedLetter(t.app, { notable: [{ name: 'Zadie Notable', description: 'Novelist' }] });
  const countries = ['GB', 'GB', 'FR', 'US', 'DE', null];
  for (let i = 0; i < COUNT; i++) {
    const name = `Signer ${i}`;
    const email = `signer${i}@example.org`;
    await addConfirmed(t, letter.id, name, new Date(Date.UTC(2026, 4, 20 + Math.floor(i / 6), 9)), {
      email,
      country: countries[i % countries.length] ?? null,
    });
  }
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;

  // Another site, on another origin, that frames the card and shows the badge.
  news = Fastify();
  news.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><title>News</title><body><h1>A story</h1>` +
          `<iframe id="card" src="${base}/letters/fair-pay/embed" width="360" height="260" title="Open letter"></iframe>` +
          `<img id="badge" src="${base}/letters/fair-pay/badge.svg" alt="Signatures"></body></html>`,
      ),
  );
  news.get('/page', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><title>News</title><iframe id="page" src="${base}/letters/fair-pay" title="x"></iframe></html>`,
      ),
  );
  await news.listen({ port: 0, host: '127.0.0.1' });
  newsUrl = `http://127.0.0.1:${(news.server.address() as { port: number }).port}/`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await news?.close();
  await t?.close();
});

async function open(url: string, viewport: { width: number; height: number }) {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors };
}

async function expectAccessible(page: Page, name: string) {
  const violations = await axeViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

describe.runIf(run)('press pages in a browser', () => {
  it('the API docs page is accessible on phone and desktop, and breaks no CSP rule', async () => {
    for (const [name, viewport] of [
      ['docs-phone', PHONE],
      ['docs-desktop', DESKTOP],
    ] as const) {
      const { page, errors } = await open(`${base}/api`, viewport);
      await expectAccessible(page, name);
      await screenshot(page, name);
      // Nothing wider than the screen: long URLs and code wrap or scroll inside their box.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, name).toBeLessThanOrEqual(0);
      expect(errors, name).toEqual([]);
      await page.close();
    }
  });

  it('the letter page draws its chart and country bars under the CSP', async () => {
    const { page, errors } = await open(`${base}/letters/fair-pay`, DESKTOP);
    const chart = await page.locator('svg.chart').boundingBox();
    expect(chart?.width).toBeGreaterThan(200);
    expect(chart?.height).toBeGreaterThan(50);
    // The area is filled by the stylesheet (no inline style): a computed colour, not the default black.
    const fill = await page.locator('svg.chart path.area').evaluate((el) => getComputedStyle(el).fill);
    expect(fill).not.toBe('rgb(0, 0, 0)');
    const bars = await page.locator('.countries svg.bar rect').evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().width));
    expect(bars.length).toBeGreaterThan(1);
    expect(bars[0]!).toBeGreaterThan(bars[bars.length - 1]!);
    await expectAccessible(page, 'letter');
    await page.locator('#chart-title').scrollIntoViewIfNeeded();
    await screenshot(page, 'letter-chart');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the chart’s labels are at least 12 CSS px at phone and desktop widths, beside the lines they name', async () => {
    for (const [name, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      const { page, errors } = await open(`${base}/letters/fair-pay`, viewport);
      const labels = await page.locator('.chart-box span').evaluateAll((spans) =>
        spans.map((span) => ({
          text: span.textContent?.trim() ?? '',
          fontSize: Number.parseFloat(getComputedStyle(span).fontSize),
          height: span.getBoundingClientRect().height,
        })),
      );
      expect(labels.length, name).toBe(5);
      for (const label of labels) {
        expect(label.fontSize, `${name}: ${label.text}`).toBeGreaterThanOrEqual(12);
        expect(label.height, `${name}: ${label.text}`).toBeGreaterThanOrEqual(12);
      }
      // The top and bottom y labels sit on the plot's top and bottom edges (their grid lines).
      const fit = await page.evaluate(() => {
        const svg = document.querySelector('svg.chart')!.getBoundingClientRect();
        const ys = Array.from(document.querySelectorAll('.chart-y span')).map((s) => s.getBoundingClientRect());
        const middle = (r: DOMRect) => r.top + r.height / 2;
        return { top: middle(ys[0]!) - svg.top, bottom: middle(ys[ys.length - 1]!) - svg.bottom, width: svg.width };
      });
      expect(Math.abs(fit.top), name).toBeLessThanOrEqual(2);
      expect(Math.abs(fit.bottom), name).toBeLessThanOrEqual(2);
      expect(fit.width, name).toBeGreaterThan(200);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, name).toBeLessThanOrEqual(0);
      await page.locator('#chart-title').scrollIntoViewIfNeeded();
      await screenshot(page, `letter-chart-${name}`);
      expect(errors, name).toEqual([]);
      await page.close();
    }
  });

  it('another site can frame the embed card and show the badge', async () => {
    const { page, errors } = await open(newsUrl, DESKTOP);
    const frame = page.frameLocator('#card');
    await expect.poll(async () => (await frame.locator('.count').textContent())?.trim(), { timeout: 10_000 }).toBe(String(COUNT));
    await expect(frame.locator('a.button').getAttribute('href')).resolves.toBe('http://127.0.0.1:3000/letters/fair-pay#sign');
    const badge = await page.locator('#badge').evaluate(async (img: HTMLImageElement) => {
      if (!img.complete) await new Promise((resolve) => img.addEventListener('load', resolve, { once: true }));
      return { width: img.naturalWidth, height: img.naturalHeight };
    });
    expect(badge.height).toBe(20);
    expect(badge.width).toBeGreaterThan(60);
    await screenshot(page, 'embed-on-another-site');
    // The news site has no favicon; anything else would be a refused frame or resource.
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
    await page.close();
  });

  it('the site’s own pages still refuse to be framed elsewhere', async () => {
    const { page, errors } = await open(`${newsUrl}page`, DESKTOP);
    await expect.poll(() => errors.some((e) => e.includes("frame-ancestors 'none'")), { timeout: 10_000 }).toBe(true);
    expect(await page.frameLocator('#page').locator('#letter-title').count()).toBe(0);
    await page.close();
  });
});
