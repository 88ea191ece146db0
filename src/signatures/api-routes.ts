// Signing through the JSON API: the same rules and the same neutral answer as the form.
import type { FastifyPluginAsync } from 'fastify';
import { signRouteDocs } from '../api/sign-route-docs.js';
import type { Deps } from '../deps.js';
import { ValidationFailed } from '../errors.js';
import { parseSlug } from '../letters/routes.js';
import type { RateLimits } from '../plugins/security.js';
import { SIGN_BODY_LIMIT } from './routes.js';
import { parseSignatureInput } from './signature-input.js';

const FIELDS = new Set(['name', 'email', 'title', 'organisation', 'country', 'public', 'comment']);

export const signatureApiRoutes: FastifyPluginAsync<{ deps: Deps; limits: RateLimits }> = async (app, { deps, limits }) => {
  // signRouteDocs describes the route in the OpenAPI document; validation stays here, for the 422 shape.
  app.post(
    '/letters/:slug/signatures',
    { ...signRouteDocs, bodyLimit: SIGN_BODY_LIMIT, preHandler: limits.sign },
    async (request, reply) => {
      const slug = parseSlug(request.params);
      const body = request.body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new ValidationFailed({ name: 'Send a JSON object with at least name and email.' }, 'The request body must be a JSON object.');
      }
      // Only known fields are read; anything else is ignored rather than stored.
      const input = Object.fromEntries(Object.entries(body).filter(([key]) => FIELDS.has(key)));
      const parsed = parseSignatureInput(input);
      if (!parsed.ok) throw new ValidationFailed(parsed.errors);
      await deps.signing.sign(slug, parsed.value, { ip: request.ip });
      return reply.code(202).send({ status: 'pending_verification' });
    },
  );
};
