// Signing through the JSON API: the same rules and the same neutral answer as the form.
import type { FastifyPluginAsync } from 'fastify';
import { signRouteDocs } from '../api/sign-route-docs.js';
import { ValidationFailed } from '../errors.js';
import { currentTranslator } from '../i18n/context.js';
import type { RateLimits } from '../plugins/security.js';
import type { SignService } from './sign-service.js';
import { parseSignatureInput, SIGN_BODY_LIMIT, translateFieldErrors } from './signature-input.js';

const FIELDS = new Set(['name', 'email', 'title', 'organisation', 'country', 'public', 'comment', 'updates']);

export const signatureApiRoutes: FastifyPluginAsync<{ signing: SignService; limits: RateLimits }> = async (app, { signing, limits }) => {
  app.post<{ Params: { slug: string } }>(
    '/letters/:slug/signatures',
    { ...signRouteDocs, bodyLimit: SIGN_BODY_LIMIT, preHandler: limits.sign },
    async (request, reply) => {
      const body = request.body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new ValidationFailed({ name: 'Send a JSON object with at least name and email.' }, 'The request body must be a JSON object.');
      }
      // Only known fields are read; anything else is ignored rather than stored.
      const input = Object.fromEntries(Object.entries(body).filter(([key]) => FIELDS.has(key)));
      // Field messages in the request's language (English unless Accept-Language or ?lang asks
      // otherwise), and the mail in it too.
      const translator = currentTranslator();
      const parsed = parseSignatureInput(input);
      if (!parsed.ok) throw new ValidationFailed(translateFieldErrors(parsed.errors, translator));
      try {
        await signing.sign(request.params.slug, parsed.value, { ip: request.ip, locale: request.locale });
      } catch (error) {
        if (error instanceof ValidationFailed && error.fields) throw new ValidationFailed(translateFieldErrors(error.fields, translator));
        throw error;
      }
      return reply.code(202).send({ status: 'pending_verification' });
    },
  );
};
