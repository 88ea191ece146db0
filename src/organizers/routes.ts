// The organizer area as one encapsulated plugin: sessions and CSRF (cookies exist only here),
// the sign-in pages at the root, and everything under /organize behind a session.
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { Deps } from '../deps.js';
import { Forbidden } from '../errors.js';
import { registerSessions } from '../plugins/session.js';
import { authRoutes } from './auth-routes.js';
import { collectiveRoutes } from './collective-routes.js';
import { letterRoutes } from './letter-routes.js';
import { moderationRoutes } from './moderation-routes.js';
import { notableRoutes } from './notable-routes.js';
import { createOrganizerServices } from './organizer-services.js';

export const organizerRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  const services = createOrganizerServices(deps);
  await registerSessions(app, { config: deps.config, sessionFor: (token) => services.auth.sessionFor(token) });

  // Pages here carry personal data and per-session tokens: never cached anywhere.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  // A missing or wrong CSRF token is a 403 with a useful sentence; everything else goes up to
  // the app's error handler.
  app.setErrorHandler(async (error: FastifyError) => {
    if (error.code === 'FST_CSRF_MISSING_SECRET' || error.code === 'FST_CSRF_INVALID_TOKEN') {
      throw new Forbidden('This form has expired or did not come from this site. Go back, reload the page and try again.', 'csrf');
    }
    throw error;
  });

  await app.register(authRoutes, { deps, services });

  await app.register(
    async (area) => {
      area.addHook('preHandler', async (request, reply) => {
        if (request.organizer) return;
        const next = request.method === 'GET' ? request.url : '/organize';
        return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
      });
      await area.register(letterRoutes, { deps, services });
      await area.register(notableRoutes, { deps, services });
      await area.register(moderationRoutes, { deps, services });
      await area.register(collectiveRoutes, { deps, services });
    },
    { prefix: '/organize' },
  );
};
