// The API for people: GET /api, a page of examples made from the site itself, and /openapi.json
// beside it for tools.

import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.js';
import { DocsExampleSource, SIGNING_EXAMPLE } from './docs-examples.js';
import { embedSnippet } from './embed-snippet.js';
import { CORS_HEADERS, cachePolicies, DOCUMENT_MAX_AGE, LIST_MAX_AGE, LIST_STALE_WHILE_REVALIDATE, notModified } from './http-cache.js';
import { API_VERSION, openApiDocument } from './openapi.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './schemas.js';

/** Where the letter examples point when the site has published nothing yet (they answer 404 then). */
const PLACEHOLDER_SLUG = 'example-letter';

export const apiDocsRoutes: FastifyPluginAsync<{ config: Config; now: () => Date; verifierKey: string }> = async (
  app,
  { config, now, verifierKey },
) => {
  const policies = cachePolicies(config);
  // The examples are this site's own answers: each is asked of the app in-process, as a client would.
  const source = new DocsExampleSource({
    base: config.PUBLIC_URL,
    now,
    request: async (url, headers) => {
      const res = await app.inject({ method: 'GET', url, headers });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    },
  });

  app.get('/api', async (_request, reply) => {
    const examples = await source.examples();
    return reply.view('api/docs', {
      pageTitle: 'Press API',
      description: 'Live signature counts, letters and public signatures as JSON, with badges, embeds and a feed.',
      nav: 'api',
      base: config.PUBLIC_URL,
      slug: examples.slug ?? PLACEHOLDER_SLUG,
      hasLetter: examples.slug !== null,
      embed: embedSnippet(config.PUBLIC_URL, examples.slug ?? PLACEHOLDER_SLUG),
      examples,
      signing: { body: JSON.stringify(SIGNING_EXAMPLE.body), answer: JSON.stringify(SIGNING_EXAMPLE.answer) },
      verifierKey,
      version: API_VERSION,
      maxPage: MAX_PAGE_SIZE,
      defaultPage: DEFAULT_PAGE_SIZE,
      countMaxAge: config.COUNT_MAX_AGE,
      countStale: config.COUNT_STALE_WHILE_REVALIDATE,
      listMaxAge: LIST_MAX_AGE,
      listStale: LIST_STALE_WHILE_REVALIDATE,
      documentMaxAge: DOCUMENT_MAX_AGE,
    });
  });

  // Tools often look for the document at the root; same bytes as /api/v1/openapi.json.
  app.get('/openapi.json', async (request, reply) => {
    const document = openApiDocument(app);
    reply.headers(CORS_HEADERS).header('cache-control', policies.documents);
    if (notModified(request, reply, document.etag)) return reply;
    return reply.type('application/json; charset=utf-8').send(document.body);
  });
};
