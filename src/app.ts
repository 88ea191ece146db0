// The app factory: builds a ready Fastify instance from a Config and never listens. The services
// come from the composition root (services.ts); this file is the table of contents of the web
// app, read top to bottom: infrastructure, security, views, then each feature's routes.
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import fastifyView from '@fastify/view';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { apiDocsRoutes } from './api/docs-routes.js';
import { swaggerOptions } from './api/openapi.js';
import { pressApiRoutes } from './api/routes.js';
import { shareRoutes } from './api/share-routes.js';
import type { Config } from './config.js';
import type { Store } from './db/store.js';
import { letterRoutes } from './letters/routes.js';
import { receiptRoutes } from './log/receipt-routes.js';
import { logRoutes } from './log/routes.js';
import { devOutboxRoutes } from './mail/dev-outbox-routes.js';
import { followAccountLanguage } from './organizers/account-language.js';
import { accountRoutes } from './organizers/account-routes.js';
import { authRoutes } from './organizers/auth-routes.js';
import { collectiveRoutes } from './organizers/collective-routes.js';
import { letterAdminRoutes } from './organizers/letter-routes.js';
import { moderationRoutes } from './organizers/moderation-routes.js';
import { notableRoutes } from './organizers/notable-routes.js';
import { translationRoutes } from './organizers/translation-routes.js';
import { BAD_ADDRESS, registerErrorHandlers, sendProblem } from './plugins/errors.js';
import { registerI18n } from './plugins/i18n.js';
import { rateLimits, registerSecurity } from './plugins/security.js';
import { applyPageHeaders } from './plugins/security-headers.js';
import { registerSessions, requireOrganizer } from './plugins/session.js';
import { createServices, type Services } from './services.js';
import { signatureApiRoutes } from './signatures/api-routes.js';
import { signatureRoutes } from './signatures/routes.js';
import { updateAdminRoutes } from './updates/update-admin-routes.js';
import { updateRoutes } from './updates/update-routes.js';
import { STATIC_DIR, VIEWS_DIR, viewHelpers } from './views.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** Every route as registered (method and URL pattern), for docs and the fuzz suite. */
    routeTable: Array<{ method: string; url: string }>;
  }
}

export interface BuildOptions {
  /** Injected clock, so expiry and deadlines are testable without sleeping. */
  now?: () => Date;
  generateToken?: () => string;
  logger?: FastifyServerOptions['logger'];
  /** Start the outbox worker and background jobs (default true). Tests may drive delivery by hand. */
  startBackground?: boolean;
  /** An open store instead of the one DATABASE_URL names (tests keep a handle on it). */
  store?: Store;
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
      sendProblem(request, reply, { statusCode: error.statusCode ?? 400, code: 'bad_request', message: BAD_ADDRESS });
    },
  });

  const services = await createServices(config, {
    log: app.log,
    now: options.now,
    generateToken: options.generateToken,
    store: options.store,
  });
  app.decorate('services', services);
  app.addHook('onClose', () => services.close());
  const routeTable: Array<{ method: string; url: string }> = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });

  // Every route's params, query and body are zod schemas (src/http/params.ts, api/schemas.ts).
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);
  // Before any route: every page, error page included, is in the language the request chose.
  registerI18n(app, config);
  await registerSecurity(app, config, services.rateLimitStore);
  await app.register(formbody, { bodyLimit: 512 * 1024 });
  await app.register(fastifyStatic, {
    root: STATIC_DIR,
    prefix: '/static/',
    // URLs carry a content hash (views.ts), so a year is safe.
    maxAge: '365d',
    immutable: true,
    index: false,
  });
  await app.register(fastifyView, { engine: { eta: services.eta }, root: VIEWS_DIR, production: true, defaultContext: viewHelpers });
  // Before any route: it documents every route with a schema and a tag as it is added.
  await app.register(swagger, swaggerOptions(config));

  // Public pages and the press API: no cookies, so every answer is cacheable.
  const limits = rateLimits(app, config);
  const { now, eta, letters, letterPage, signatoryPage, signing, press, organizers, updates, mail } = services;
  await app.register(letterRoutes, { letters, letterPage, signatoryPage });
  await app.register(signatureRoutes, { signing, letters, letterPage, config, now, limits });
  await app.register(updateRoutes, { updates, letters, eta, config, limits });
  await app.register(signatureApiRoutes, { signing, limits, prefix: '/api/v1' });
  await app.register(pressApiRoutes, { press, config, prefix: '/api/v1' });
  await app.register(shareRoutes, { press, letters, eta, config, now });
  await app.register(apiDocsRoutes, { config, now, verifierKey: services.log.verifierKey });
  await app.register(logRoutes, { log: services.log, config });
  await app.register(receiptRoutes, { log: services.log });

  // The organizer area: sessions and CSRF exist only here. Sign-in pages at the root, the rest
  // under /organize behind a session.
  await app.register(async (area) => {
    await registerSessions(area, { config, sessionFor: (token) => organizers.auth.sessionFor(token) });
    followAccountLanguage(area);
    await area.register(authRoutes, { auth: organizers.auth, config, now });
    await area.register(
      async (pages) => {
        pages.addHook('preHandler', requireOrganizer);
        await pages.register(letterAdminRoutes, { organizers, letterPage });
        await pages.register(translationRoutes, { organizers });
        await pages.register(notableRoutes, { organizers });
        await pages.register(moderationRoutes, { organizers });
        await pages.register(collectiveRoutes, { organizers });
        await pages.register(updateAdminRoutes, { access: organizers.access, updates });
        await pages.register(accountRoutes, { organizers });
      },
      { prefix: '/organize' },
    );
  });

  if (config.devOutbox) await app.register(devOutboxRoutes, { mail, config, prefix: '/dev' });

  await app.ready();
  if (options.startBackground !== false) services.startBackground();
  return app;
}

function defaultLogger(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    // Logs carry ids, never emails or tokens.
    redact: ['req.headers.cookie', 'req.headers.authorization'],
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: req.url.replace(/\/(verify|withdraw|signin|reset|invite|unsubscribe)\/[^/?#]+/, '/$1/…'),
        id: req.id,
      }),
    },
  };
}
