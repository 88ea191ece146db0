// Public pages: the list of letters, a letter with its sign form, and its earlier versions.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { slugParams } from '../http/params.js';
import { currentTranslator } from '../i18n/context.js';
import type { LetterPage } from './letter-page.js';
import type { PublicLetters } from './public-letters.js';

export const letterRoutes: FastifyPluginAsync<{ letters: PublicLetters; letterPage: LetterPage }> = async (
  root,
  { letters, letterPage },
) => {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/', async (_request, reply) => {
    return reply.view('letters/index', {
      letters: await letters.list(),
      nav: 'letters',
      description: currentTranslator().t('site.home.description'),
    });
  });

  // Rendered once per change and shared by every reader (see letter-page.ts). Letter texts may
  // show https images: these pages' CSP allows them (plugins/security-headers.ts).
  app.get('/letters/:slug', { config: { securityHeaders: 'letter' }, schema: { params: slugParams } }, async (request, reply) => {
    // Nothing chosen (no ?lang, cookie or Accept-Language): the letter's own language.
    request.useLetterLanguage((await letters.publicLetter(request.params.slug)).language);
    const page = await letterPage.shared(request.params.slug);
    return reply.type('text/html; charset=utf-8').send(page);
  });

  app.get('/letters/:slug/versions', { config: { securityHeaders: 'letter' }, schema: { params: slugParams } }, async (request, reply) => {
    const letter = await letters.publicLetter(request.params.slug);
    return reply.view('letters/versions', {
      letter,
      pageTitle: currentTranslator().t('site.versions.pageTitle', { title: letter.title }),
      nav: 'letters',
      versions: await letters.versions(letter),
    });
  });
};
