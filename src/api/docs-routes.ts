// The API for people: GET /api, a page of examples, and /openapi.json beside it for tools.
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.js';
import { docsExamples } from './docs-examples.js';
import { CORS_HEADERS, cachePolicies, DOCUMENT_MAX_AGE, LIST_MAX_AGE, LIST_STALE_WHILE_REVALIDATE, notModified } from './http-cache.js';
import { API_VERSION, openApiDocument } from './openapi.js';
import type { PressService } from './press-service.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './schemas.js';

export const apiDocsRoutes: FastifyPluginAsync<{ press: PressService; config: Config; verifierKey: string }> = async (
  app,
  { press, config, verifierKey },
) => {
  const policies = cachePolicies(config);

  app.get('/api', async (_request, reply) => {
    // A real slug makes every example work when pasted; a placeholder when nothing is published.
    const newest = (await press.letters(1)).data[0];
    const slug = newest?.slug ?? 'example-letter';
    return reply.view('api/docs', {
      pageTitle: 'Press API',
      description: 'Live signature counts, letters and public signatures as JSON, with badges, embeds and a feed.',
      nav: 'api',
      base: config.PUBLIC_URL,
      slug,
      hasLetter: newest !== undefined,
      examples: docsExamples(config.PUBLIC_URL, slug, verifierKey),
      verifierKey,
      json: (value: unknown) => JSON.stringify(value, null, 2),
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
