// A letter's public log over HTTP, as C2SP tlog-tiles lays it out below the prefix
// /letters/:slug/log: the checkpoint, hash tiles and entry bundles. Read from anywhere (CORS open);
// full tiles never change and are cached for a year, the checkpoint and partial tiles for seconds.
import type { FastifyPluginAsync, RouteShorthandOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cachePolicies, etagOf, notModified, readOnlyHeaders } from '../api/http-cache.js';
import type { Config } from '../config.js';
import { slug } from '../http/params.js';
import type { LogService } from './log-service.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Text and bytes only: nothing may load, nothing may frame it. */
const LOG_CSP = "default-src 'none'; frame-ancestors 'none'";
const lean: RouteShorthandOptions = { config: { securityHeaders: 'none' } };

const tileParams = z.object({ slug, '*': z.string().max(64) });

export const logRoutes: FastifyPluginAsync<{ log: LogService; config: Config }> = async (root, { log, config }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const policies = cachePolicies(config);
  const headers = readOnlyHeaders(config, LOG_CSP);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });

  app.get('/letters/:slug/log/checkpoint', { ...lean, schema: { params: z.object({ slug }) } }, async (request, reply) => {
    const { note } = await log.checkpoint(request.params.slug);
    reply.header('cache-control', policies.counts);
    if (notModified(request, reply, etagOf(note))) return reply;
    return reply.type('text/plain; charset=utf-8').send(note);
  });

  // Full tiles come back as the same buffer while kept: their validator is computed once.
  const etags = new WeakMap<Buffer, string>();
  app.get('/letters/:slug/log/tile/*', { ...lean, schema: { params: tileParams } }, async (request, reply) => {
    const tile = await log.tile(request.params.slug, request.params['*']);
    reply.header('cache-control', tile.full ? IMMUTABLE : policies.counts);
    let etag = etags.get(tile.body);
    if (!etag) {
      etag = etagOf(tile.body);
      etags.set(tile.body, etag);
    }
    if (notModified(request, reply, etag)) return reply;
    return reply.type('application/octet-stream').send(tile.body);
  });
};
