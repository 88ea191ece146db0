// Public pages: the list of letters, a letter with its sign form, and its earlier versions.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryText, slugParams } from '../http/params.js';
import { currentTranslator } from '../i18n/context.js';
import type { LetterPage } from './letter-page.js';
import type { PublicLetters } from './public-letters.js';
import type { SignatoryPage } from './signatory-page.js';

const signatoriesQuery = z.object({
  q: queryText(100).default(''),
  // Checked where it is decoded (press-service.ts): one not made here is a 400, not a guess.
  cursor: z.string().max(300).optional().catch(undefined),
});

export const letterRoutes: FastifyPluginAsync<{ letters: PublicLetters; letterPage: LetterPage; signatoryPage: SignatoryPage }> = async (
  root,
  { letters, letterPage, signatoryPage },
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

  app.get('/letters/:slug/signatures', { schema: { params: slugParams, querystring: signatoriesQuery } }, async (request, reply) => {
    const view = await signatoryPage.view(request.params.slug, request.query.q.trim(), request.query.cursor || undefined);
    const { letter } = view;
    const base = `/letters/${letter.slug}/signatures`;
    const withQ = (extra: Record<string, string>) => {
      const params = new URLSearchParams({ ...(view.q ? { q: view.q } : {}), ...extra }).toString();
      return params ? `${base}?${params}` : base;
    };
    return reply.view('letters/signatures', {
      ...view,
      pageTitle: view.q
        ? currentTranslator().t('site.signatories.searchTitle', { q: view.q, title: letter.title })
        : currentTranslator().t('site.signatories.pageTitle', { title: letter.title }),
      description: currentTranslator().t('site.signatories.description', { title: letter.title }),
      nav: 'letters',
      // Search results and later pages are not for search engines; the first page is the letter's list.
      noindex: view.q !== '' || !view.firstPage,
      base,
      newestUrl: view.firstPage ? null : withQ({}),
      nextUrl: view.nextCursor ? withQ({ cursor: view.nextCursor }) : null,
    });
  });
};
