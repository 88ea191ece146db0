// The public side of updates: a letter's updates as an Atom feed, and leaving them in one click.
//
// The unsubscribe link is in every update's List-Unsubscribe header, so mail providers POST to it
// (RFC 8058: body "List-Unsubscribe=One-Click", form-encoded or multipart) without a session or
// a CSRF token: the token in the address is the authority. What the body says is never needed,
// so any body is read (bounded) and set aside. A GET only shows a button: mail scanners follow
// links, and must not unsubscribe anyone.
import type { Eta } from 'eta';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { cachePolicies, etagOf, notModified, readOnlyHeaders } from '../api/http-cache.js';
import type { Config } from '../config.js';
import { xmlText } from '../domain/xml.js';
import { NotFound } from '../errors.js';
import { slugParams, tokenParams } from '../http/params.js';
import { currentTranslator } from '../i18n/context.js';
import type { PublicLetters } from '../letters/public-letters.js';
import type { RateLimits } from '../plugins/security.js';
import type { UpdateService } from './update-service.js';

export interface UpdateRouteServices {
  updates: UpdateService;
  letters: PublicLetters;
  eta: Eta;
  config: Config;
  limits: RateLimits;
}

/** One-click bodies are a few dozen bytes. */
const UNSUBSCRIBE_BODY_LIMIT = 16 * 1024;
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';
export const NOT_OURS = 'We do not recognise this unsubscribe link. Please use the link in the most recent update you received.';

export const updateRoutes: FastifyPluginAsync<UpdateRouteServices> = async (root, { updates, letters, eta, config, limits }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();

  const feedHeaders = readOnlyHeaders(config, "default-src 'none'");
  const documents = cachePolicies(config).documents;
  app.get(
    '/letters/:slug/updates.atom',
    { config: { securityHeaders: 'none' }, schema: { params: slugParams } },
    async (request, reply) => {
      const letter = await letters.publicLetter(request.params.slug);
      const entries = (await updates.publicUpdates(letter.id)).filter((u) => u.sentAt !== null);
      const letterUrl = `${config.PUBLIC_URL}/letters/${letter.slug}`;
      const xml = eta.render('feeds/letter-updates', {
        selfUrl: `${letterUrl}/updates.atom`,
        letterUrl,
        title: `Updates: ${letter.title}`,
        author: letter.collective.name,
        updated: entries[0]?.sentAt ?? letter.publishedAt ?? letter.createdAt,
        entries: entries.map((u) => ({ url: `${letterUrl}#update-${u.id}`, title: u.subject, html: u.html, published: u.sentAt })),
        xml: xmlText,
      });
      reply.headers(feedHeaders);
      reply.header('cache-control', documents);
      if (notModified(request, reply, etagOf(xml))) return reply;
      return reply.type(ATOM_TYPE).send(xml);
    },
  );

  await app.register(async (scope) => {
    const links = scope.withTypeProvider<ZodTypeProvider>();
    // Whatever the body (form-encoded, multipart, none), it is read up to the limit and ignored.
    links.removeAllContentTypeParsers();
    links.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: UNSUBSCRIBE_BODY_LIMIT }, (_request, _body, done) =>
      done(null, undefined),
    );
    const page = () => ({ pageTitle: currentTranslator().t('site.unsubscribe.eyebrow'), noindex: true });

    links.get('/unsubscribe/:token', { schema: { params: tokenParams } }, async (request, reply) => {
      const target = await updates.unsubscribeTarget(request.params.token);
      if (!target) throw new NotFound(NOT_OURS);
      reply.header('cache-control', 'no-store');
      return reply.view('updates/unsubscribe', { ...page(), ...target, token: request.params.token });
    });

    links.post(
      '/unsubscribe/:token',
      { bodyLimit: UNSUBSCRIBE_BODY_LIMIT, preHandler: limits.links, schema: { params: tokenParams } },
      async (request, reply) => {
        const letter = await updates.unsubscribe(request.params.token);
        if (!letter) throw new NotFound(NOT_OURS);
        reply.header('cache-control', 'no-store');
        return reply.view('updates/unsubscribed', { ...page(), pageTitle: currentTranslator().t('site.unsubscribed.eyebrow'), letter });
      },
    );
  });
};
