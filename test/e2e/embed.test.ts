/// <reference lib="dom" />
// The embed card as documented (api/embed-snippet.ts), pasted into another site's article: no
// wider than the article's column on a phone, and tall enough that nothing of the card is cut,
// with the longest collective and title the card allows.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBED_MAX_WIDTH_PX, embedSnippet } from '../../src/api/embed-snippet.js';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { addConfirmed } from '../helpers/signers.js';
import { chromiumAvailable, DESKTOP, launchBrowser, PHONE, screenshot } from './browser.js';

const run = chromiumAvailable();
let t: TestApp;
let news: FastifyInstance;
let browser: Browser;
let newsUrl: string;

const LONG_TITLE =
  'An open letter to the ministers of culture of every European country on fair pay, moral rights and the training of models on our work without consent';

beforeAll(async () => {
  if (!run) return;
  t = await makeTestApp({ RATE_LIMIT: 'off' }, { startBackground: false });
  const short = await seedLetter(t.app);
  const long = await seedLetter(t.app, {
    slug: 'long-letter',
    title: LONG_TITLE,
    collective: 'federation',
    collective_name: 'The International Federation of Illustrators, Translators and Comic Artists',
    goal: 1_000_000,
  });
  for (const letter of [short, long]) await addConfirmed(t, letter.id, 'Ada Lindqvist', t.clock.now());
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;

  // A news site on another origin: an article column with the usual phone padding.
  news = Fastify();
  news.get('/:slug', async (request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html lang="en"><meta name="viewport" content="width=device-width, initial-scale=1"><title>News</title>' +
          '<body style="margin: 0"><article id="column" style="padding: 0 16px; max-width: 680px; margin: 0 auto">' +
          `<h1>A story</h1><p>Text before.</p>${embedSnippet(base, (request.params as { slug: string }).slug).replace('<iframe ', '<iframe id="card" ')}<p>Text after.</p>` +
          '</article></body></html>',
      ),
  );
  await news.listen({ port: 0, host: '127.0.0.1' });
  newsUrl = `http://127.0.0.1:${(news.server.address() as { port: number }).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await news?.close();
  await t?.close();
});

describe.runIf(run)('the documented embed snippet', () => {
  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    for (const slug of ['fair-pay', 'long-letter']) {
      it(`fits its column and its card at ${name} width (${slug})`, async () => {
        const page = await browser.newPage({ viewport });
        await page.goto(`${newsUrl}/${slug}`);
        const frame = page.frameLocator('#card');
        await expect.poll(async () => (await frame.locator('.count').textContent())?.trim(), { timeout: 10_000 }).toBe('1');
        const box = await page.evaluate(() => {
          const column = document.getElementById('column')!;
          const style = getComputedStyle(column);
          const content = column.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
          const iframe = document.getElementById('card') as HTMLIFrameElement;
          return { content, width: iframe.getBoundingClientRect().width, inner: iframe.clientHeight };
        });
        expect(box.width, name).toBeLessThanOrEqual(box.content);
        expect(box.width, name).toBeLessThanOrEqual(EMBED_MAX_WIDTH_PX);
        if (name === 'phone') expect(box.width).toBe(box.content);
        const card = await frame.locator('html').evaluate((html) => ({
          scrollHeight: html.scrollHeight,
          scrollWidth: html.scrollWidth,
          clientWidth: html.clientWidth,
          // The last line of the card, the fine print, ends inside the frame.
          lastLine: document.querySelector('.embed-card .fine-print')!.getBoundingClientRect().bottom,
        }));
        expect(card.scrollHeight, `${name} ${slug}`).toBeLessThanOrEqual(box.inner);
        expect(card.lastLine, `${name} ${slug}`).toBeLessThanOrEqual(box.inner);
        expect(card.scrollWidth, `${name} ${slug}`).toBeLessThanOrEqual(card.clientWidth);
        await screenshot(page, `embed-${name}-${slug}`);
        await page.close();
      });
    }
  }
});
