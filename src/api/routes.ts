// GET /api/v1/*: the press API. Parsing and serializing go through the zod schemas (the same
// ones the OpenAPI document is built from); the service does the rest.
import type { FastifyPluginAsync, RouteShorthandOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import { cachePolicies, notModified, PREFLIGHT_HEADERS, readOnlyHeaders } from './http-cache.js';
import { JSON_TYPE, jsonSender } from './json-reply.js';
import { jsonResponse, openApiDocument, TAGS } from './openapi.js';
import type { PressService } from './press-service.js';
import {
  apiError,
  letterCount,
  letterDetail,
  letterList,
  letterQuery,
  pageQuery,
  signatureList,
  signaturesQuery,
  slugParams,
  timeseries,
  timeseriesQuery,
} from './schemas.js';

/** JSON is never a document to render: nothing may load, nothing may frame it. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

// These read-only routes set the few security headers that matter for JSON themselves
// (readOnlyHeaders), not the site's page set: every header is paid for on every poll.
const lean: RouteShorthandOptions = { config: { securityHeaders: 'none' } };

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export const pressApiRoutes: FastifyPluginAsync<{ press: PressService; config: Config }> = async (root, { press, config }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  // Polls are not logged one by one (two lines each at info would flood the log in a spike), and
  // they share one logger instead of a child per request: warnings and errors are still logged,
  // and the error handler names the request id itself.
  const level = LEVELS[Math.max(LEVELS.indexOf(root.log.level), LEVELS.indexOf('warn'))] as string;
  const pollLogger = root.log.child({}, { level });
  app.setChildLoggerFactory(() => pollLogger);

  const policies = cachePolicies(config);
  const headers = readOnlyHeaders(config, API_CSP);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });

  const sendLetterList = jsonSender(letterList, '/letters');
  const sendLetter = jsonSender(letterDetail, '/letters/:slug');
  const sendCount = jsonSender(letterCount, '/letters/:slug/count');
  const sendSignatures = jsonSender(signatureList, '/letters/:slug/signatures');
  const sendTimeseries = jsonSender(timeseries, '/letters/:slug/timeseries');

  const badRequest = jsonResponse(apiError, 'A malformed parameter (`bad_request`) or cursor (`bad_cursor`).');
  const failures = { 400: badRequest, 404: jsonResponse(apiError, 'No such letter, or it is not published (`not_found`).') };

  app.get(
    '/letters',
    {
      ...lean,
      schema: {
        tags: [TAGS.letters],
        summary: 'Published and closed letters',
        description: 'Newest first, keyset-paginated: follow `next_cursor` until it is null.',
        querystring: pageQuery,
        response: { 200: jsonResponse(letterList, 'A page of letters.'), 400: badRequest },
      },
    },
    async (request, reply) =>
      sendLetterList(request, reply, await press.letters(request.query.limit, request.query.cursor), policies.lists),
  );

  app.get(
    '/letters/:slug',
    {
      ...lean,
      schema: {
        tags: [TAGS.letters],
        summary: 'One letter',
        description:
          'With its text (in `?lang` when it has a translation into it), the languages it can be read in, its collective, notable signatories in the organizers’ order, and counted signatures per country.',
        params: slugParams,
        querystring: letterQuery,
        response: { 200: jsonResponse(letterDetail, 'The letter.'), ...failures },
      },
    },
    // The ETag is a hash of the body, so each language has its own; the language comes from the
    // query string alone (never Accept-Language), so the URL is the whole cache key.
    async (request, reply) => sendLetter(request, reply, await press.letter(request.params.slug, request.query.lang), policies.lists),
  );

  // The hot path newsrooms poll: no SQLite read while nothing was written, a reused encoding,
  // and a 304 (no body at all) for pollers that already have the current count.
  app.get(
    '/letters/:slug/count',
    {
      ...lean,
      // Parsed like every route: measured at about 0.4 µs a request, 1 % of what the poll costs.
      schema: {
        tags: [TAGS.letters],
        summary: 'The live signature count',
        description: 'Cheap to poll: answers If-None-Match with 304 until the count or the letter changes.',
        params: slugParams,
        response: { 200: jsonResponse(letterCount, 'The count (304 when If-None-Match matches).'), ...failures },
      },
    },
    async (request, reply) => {
      const snapshot = await press.count(request.params.slug);
      return sendCount(request, reply, snapshot.data, policies.counts, snapshot.etag);
    },
  );

  app.get(
    '/letters/:slug/signatures',
    {
      ...lean,
      schema: {
        tags: [TAGS.signatures],
        summary: 'Public signatures',
        description:
          'Newest first, keyset-paginated by confirmation time: signatures added while you page appear on the first page, ' +
          'never as duplicates or gaps further on. Signers who asked not to be listed are counted but not shown; emails never are. ' +
          'With `q`, only the names that match it.',
        params: slugParams,
        querystring: signaturesQuery,
        response: { 200: jsonResponse(signatureList, 'A page of signatures.'), ...failures },
      },
    },
    async (request, reply) =>
      sendSignatures(
        request,
        reply,
        await press.signatures(request.params.slug, request.query.limit, request.query.cursor, request.query.q),
        policies.lists,
      ),
  );

  app.get(
    '/letters/:slug/timeseries',
    {
      ...lean,
      schema: {
        tags: [TAGS.letters],
        summary: 'Signatures over time',
        description: 'Net confirmed signatures per UTC hour or day, with the running total, from counters kept as people sign.',
        params: slugParams,
        querystring: timeseriesQuery,
        response: { 200: jsonResponse(timeseries, 'The buckets.'), ...failures },
      },
    },
    async (request, reply) =>
      sendTimeseries(request, reply, await press.timeseries(request.params.slug, request.query.interval), policies.lists),
  );

  app.get('/openapi.json', lean, async (request, reply) => {
    const document = openApiDocument(app);
    reply.header('cache-control', policies.documents);
    if (notModified(request, reply, document.etag)) return reply;
    return reply.type(JSON_TYPE).send(document.body);
  });

  // CORS preflight (a cross-origin fetch that sends If-None-Match itself). Reading is open to
  // every origin; signing is not offered cross-origin, so browsers keep it on our own pages.
  app.options('/*', lean, async (_request, reply) => {
    reply.headers(PREFLIGHT_HEADERS);
    return reply.code(204).send();
  });
};
