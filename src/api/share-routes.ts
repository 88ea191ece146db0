// For people who would rather look than read: a count badge for any page, an embeddable card,
// and the Atom feed of letters. All cacheable, all readable from other origins.

import type { Eta } from 'eta';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import { isSignable } from '../domain/letter-rules.js';
import { slugParams } from '../http/params.js';
import { LOCALES } from '../i18n/locales.js';
import { translatorFor } from '../i18n/translator.js';
import type { PublicLetters } from '../letters/public-letters.js';
import { atomFeed } from './atom-feed.js';
import { type Badge, renderBadge } from './badge.js';
import { cachePolicies, DOCUMENT_MAX_AGE, etagOf, etagOnSend, notModified, readOnlyHeaders } from './http-cache.js';
import { CardCache, cardKey } from './link-card.js';
import type { CountRow } from './press-repo.js';
import type { CountSnapshot, FeedRow, PressService } from './press-service.js';
import { renderWorldMap } from './world-map.js';

const SVG_TYPE = 'image/svg+xml; charset=utf-8';

const mapQuery = z.object({
  lang: z.enum(LOCALES).optional(),
  legend: z.enum(['shown', 'none']).optional(),
  /** The page's count when it linked the file: a new count is a new address for caches. */
  v: z.string().max(20).optional(),
});
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';
/** A card changes only when the count crosses a step: previews may keep it a few minutes. */
const CARD_CACHE_CONTROL = `public, max-age=${DOCUMENT_MAX_AGE}, stale-while-revalidate=${DOCUMENT_MAX_AGE * 4}`;

export interface ShareRouteServices {
  press: PressService;
  letters: PublicLetters;
  eta: Eta;
  config: Config;
  now: () => Date;
}

export const shareRoutes: FastifyPluginAsync<ShareRouteServices> = async (root, services) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { press, config } = services;
  const policies = cachePolicies(config);
  // Validators for answers built per request (the embed page); the others name their own.
  app.addHook('onSend', etagOnSend);

  // Badges go on news pages and can see a lot of traffic: one indexed read, reused SVG, a few headers of its own.
  const badgeHeaders = readOnlyHeaders(config, "default-src 'none'", { embeddable: true });
  const badges = new WeakMap<CountSnapshot, Badge>();
  app.get(
    '/letters/:slug/badge.svg',
    { config: { securityHeaders: 'none' }, logLevel: 'warn', schema: { params: slugParams } },
    async (request, reply) => {
      reply.headers(badgeHeaders);
      const snapshot = await press.count(request.params.slug);
      reply.header('cache-control', policies.counts);
      if (notModified(request, reply, `"b${snapshot.etag.slice(1)}`)) return reply;
      let badge = badges.get(snapshot);
      if (!badge) {
        badge = renderBadge(services.eta, snapshot.head.signatureCount, snapshot.head.title);
        badges.set(snapshot, badge);
      }
      return reply.type(SVG_TYPE).send(badge.svg);
    },
  );

  // The link-preview card (og:image). The page's tag names the count step (?v=), and the card is
  // drawn once per step; the query is only there to make previews fetch a new URL.
  const cards = new CardCache();
  const cardHeaders = readOnlyHeaders(config, "default-src 'none'", { embeddable: true });
  app.get(
    '/letters/:slug/card.png',
    { config: { securityHeaders: 'none' }, logLevel: 'warn', schema: { params: slugParams } },
    async (request, reply) => {
      reply.headers(cardHeaders);
      const { head } = await press.count(request.params.slug);
      const key = cardKey(head);
      reply.header('cache-control', CARD_CACHE_CONTROL);
      if (notModified(request, reply, `"card-${key}"`)) return reply;
      const png = await cards.get(key, async () => {
        const letter = await services.letters.publicLetter(request.params.slug);
        return { title: letter.title, collective: letter.collective.name, signatureCount: head.signatureCount };
      });
      return reply.type('image/png').send(png);
    },
  );

  // The world map of signers by country, for journalists to reuse. Redrawn only when the counts
  // were re-read (the same array is returned while nothing changed), validated by its bytes.
  // `?lang=` names the countries in that language; `?legend=none` leaves the legend to the page
  // that shows the file as an image (the letter page, whose legend is HTML).
  const maps = new WeakMap<CountRow[], Map<string, { svg: string; etag: string }>>();
  app.get(
    '/letters/:slug/map.svg',
    { config: { securityHeaders: 'none' }, logLevel: 'warn', schema: { params: slugParams, querystring: mapQuery } },
    async (request, reply) => {
      reply.headers(badgeHeaders);
      const { head } = await press.count(request.params.slug);
      const counts = await press.countryCounts(head.id);
      const { lang = 'en', legend = 'shown' } = request.query;
      let variants = maps.get(counts);
      if (!variants) {
        variants = new Map();
        maps.set(counts, variants);
      }
      let map = variants.get(`${lang}:${legend}`);
      if (!map) {
        const svg = renderWorldMap(counts, { legend: legend === 'shown', translator: translatorFor(lang) });
        map = { svg, etag: etagOf(svg) };
        variants.set(`${lang}:${legend}`, map);
      }
      reply.header('cache-control', policies.lists);
      if (notModified(request, reply, map.etag)) return reply;
      return reply.type(SVG_TYPE).send(map.svg);
    },
  );

  // The one page other sites may frame: the site's CSP with frame-ancestors opened, and no
  // X-Frame-Options. Styles and the count refresh come from our own files, never inline.
  app.get('/letters/:slug/embed', { config: { securityHeaders: 'embed' }, schema: { params: slugParams } }, async (request, reply) => {
    const letter = await services.letters.publicLetter(request.params.slug);
    reply.header('cache-control', policies.counts);
    return reply.view('letters/embed', {
      letter,
      letterUrl: press.letterUrl(letter.slug),
      countUrl: `/api/v1/letters/${letter.slug}/count`,
      signable: isSignable(letter, services.now()),
    });
  });

  // The feed is rebuilt only when the letters it lists were re-read (see PressService.feed).
  const feedHeaders = readOnlyHeaders(config, "default-src 'none'");
  const feeds = new WeakMap<FeedRow[], { xml: string; etag: string }>();
  app.get('/letters.atom', { config: { securityHeaders: 'none' } }, async (request, reply) => {
    reply.headers(feedHeaders);
    const rows = await press.feed();
    let feed = feeds.get(rows);
    if (!feed) {
      const xml = renderFeed(rows);
      feed = { xml, etag: etagOf(xml) };
      feeds.set(rows, feed);
    }
    reply.header('cache-control', policies.documents);
    if (notModified(request, reply, feed.etag)) return reply;
    return reply.type(ATOM_TYPE).send(feed.xml);
  });

  function renderFeed(rows: FeedRow[]): string {
    return atomFeed(services.eta, {
      siteUrl: config.PUBLIC_URL,
      selfUrl: `${config.PUBLIC_URL}/letters.atom`,
      title: 'Undersigned: open letters',
      fallbackUpdated: new Date(0),
      entries: rows.map((row) => {
        const published = row.publishedAt ?? row.createdAt;
        const changes = [published, row.editedAt, row.closedAt].filter((d): d is Date => d !== null);
        return {
          url: press.letterUrl(row.slug),
          title: row.title,
          summary: row.summary,
          author: row.collectiveName,
          published,
          updated: new Date(Math.max(...changes.map((d) => d.getTime()))),
          closed: row.status === 'closed',
        };
      }),
    });
  }
};
