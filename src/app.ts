// The app factory: builds a ready Fastify instance from a Config and never listens.
// Registration order reads top to bottom: infrastructure, security, views, then features.
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import fastifyView from '@fastify/view';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { apiDocsRoutes } from './api/docs-routes.js';
import { swaggerOptions } from './api/openapi.js';
import { pressApiRoutes } from './api/routes.js';
import { shareRoutes } from './api/share-routes.js';
import type { Config } from './config.js';
import { createDeps, type Deps } from './deps.js';
import { letterRoutes } from './letters/routes.js';
import { devOutboxRoutes } from './mail/dev-outbox-routes.js';
import { organizerRoutes } from './organizers/routes.js';
import { registerErrorHandlers, sendProblem } from './plugins/errors.js';
import { rateLimits, registerSecurity } from './plugins/security.js';
import { applyPageHeaders } from './plugins/security-headers.js';
import { signatureApiRoutes } from './signatures/api-routes.js';
import { signatureRoutes } from './signatures/routes.js';
import { STATIC_DIR, VIEWS_DIR, viewHelpers } from './views.js';

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
    /** Every route as registered (method and URL pattern), for docs and the fuzz suite. */
    routeTable: Array<{ method: string; url: string }>;
  }
}

export interface BuildOptions {
  /** Injected clock, so expiry and deadlines are testable without sleeping. */
  now?: () => Date;
  generateToken?: () => string;
  logger?: FastifyServerOptions['logger'];
  /** Start the outbox worker (default true). Tests may drive delivery by hand. */
  startWorker?: boolean;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? defaultLogger(config),
    trustProxy: config.TRUST_PROXY,
    // Organizer forms carry whole letters; the signing routes set their own, smaller limit.
    bodyLimit: 512 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 200 },
    // Malformed URLs and the like are answered by our error pages too, not Fastify's defaults.
    frameworkErrors: (error, request, reply) => {
      applyPageHeaders(reply);
      sendProblem(request, reply, { statusCode: error.statusCode ?? 400, code: 'bad_request', message: 'That address is not valid.' });
    },
  });

  const deps = createDeps(config, app.log, options);
  const routeTable: Array<{ method: string; url: string }> = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });
  app.decorate('deps', deps);
  app.addHook('onClose', async () => {
    await deps.close();
  });

  registerErrorHandlers(app);
  await registerSecurity(app, config);
  await app.register(formbody, { bodyLimit: 512 * 1024 });
  await app.register(fastifyStatic, {
    root: STATIC_DIR,
    prefix: '/static/',
    // URLs carry a content hash (views.ts), so a year is safe.
    maxAge: '365d',
    immutable: true,
    index: false,
  });
  await app.register(fastifyView, {
    engine: { eta: deps.eta },
    root: VIEWS_DIR,
    production: true,
    defaultContext: viewHelpers,
  });
  // Before any route: it documents every route with a schema and a tag as it is added.
  await app.register(swagger, swaggerOptions(config));

  // One set of limits, shared by the form and the API.
  const limits = rateLimits(app, config);
  await app.register(letterRoutes, { deps });
  await app.register(signatureRoutes, { deps, limits });
  await app.register(signatureApiRoutes, { deps, limits, prefix: '/api/v1' });
  await app.register(pressApiRoutes, { deps, prefix: '/api/v1' });
  await app.register(shareRoutes, { deps });
  await app.register(apiDocsRoutes, { deps });
  await app.register(organizerRoutes, { deps });
  if (config.devOutbox) await app.register(devOutboxRoutes, { deps, prefix: '/dev' });

  await app.ready();
  if (options.startWorker !== false) deps.worker.start();
  return app;
}

function defaultLogger(config: Config): FastifyServerOptions['logger'] {
  const base = {
    level: config.LOG_LEVEL,
    // Logs carry ids, never emails or tokens.
    redact: ['req.headers.cookie', 'req.headers.authorization'],
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: req.url.replace(/\/(verify|withdraw|signin|reset|invite)\/[^/?#]+/, '/$1/…'),
        id: req.id,
      }),
    },
  };
  if (config.NODE_ENV === 'development' && process.stdout.isTTY) {
    return { ...base, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } };
  }
  return base;
}
