// Public pages: the list of letters, a letter with its sign form, and its earlier versions.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { COUNTRY_OPTIONS } from '../domain/countries.js';
import { createFormStamp } from '../domain/form-stamp.js';
import { isSignable } from '../domain/letter-rules.js';
import { renderMarkdown } from '../domain/markdown.js';
import { NotFound } from '../errors.js';
import type { FieldErrors } from '../signatures/signature-input.js';
import type { LetterWithCollective } from './letter-repo.js';
import { LetterPageCache } from './page-cache.js';

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const slugParams = z.object({ slug: z.string().max(100).regex(SLUG) });

/** Parses `:slug`; anything that cannot be a slug is simply a page that does not exist. */
export function parseSlug(params: unknown): string {
  const parsed = slugParams.safeParse(params);
  if (!parsed.success) throw new NotFound('There is no open letter at this address.');
  return parsed.data.slug;
}

export interface SignFormState {
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  /** A message above the form (e.g. "press the button again"). */
  notice?: string;
  /** The form's stamp to send back (a quick person keeps the one their page load issued). */
  formStamp?: string;
}

/** Renders a letter page; used for GET and to re-render the form with errors after a POST. */
export async function renderLetterPage(
  deps: Deps,
  reply: FastifyReply,
  letter: LetterWithCollective,
  form: SignFormState = {},
  extra: { preview?: boolean } = {},
) {
  return reply.view('letters/show', await letterPageData(deps, letter, form, extra));
}

/** What the letter page shows. `formStamp` replaces the fresh stamp (the page cache's stand-in). */
async function letterPageData(
  deps: Deps,
  letter: LetterWithCollective,
  form: SignFormState,
  extra: { preview?: boolean },
  formStamp?: string,
) {
  const view = await deps.letterPages.view(letter);
  const now = deps.now();
  const stats = await deps.press.pageStats(letter, now);
  return {
    ...view,
    stats,
    pageTitle: letter.title,
    description: letter.summary,
    canonical: `${deps.config.PUBLIC_URL}/letters/${letter.slug}`,
    nav: 'letters',
    noindex: extra.preview === true,
    preview: extra.preview === true,
    signable: isSignable(letter, now),
    pastDeadline: letter.closesAt !== null && letter.closesAt <= now,
    countries: COUNTRY_OPTIONS,
    formStamp: formStamp ?? form.formStamp ?? createFormStamp(deps.config.SESSION_SECRET, letter.slug, now.getTime()),
    values: form.values ?? {},
    errors: form.errors ?? {},
    formNotice: form.notice ?? null,
  };
}

export const letterRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/', async (_request, reply) => {
    const letters = await deps.letters.listPublic();
    return reply.view('letters/index', { letters, nav: 'letters', description: 'Open letters from creative collectives.' });
  });

  // Rendered once per change, not once per reader (see page-cache.ts).
  const totalChanges = deps.db.$client.prepare('SELECT total_changes()').pluck();
  const pages = new LetterPageCache<LetterWithCollective>({ changeMark: () => totalChanges.get() as number, now: deps.now });
  app.get('/letters/:slug', async (request, reply) => {
    const slug = parseSlug(request.params);
    // Pages that carry something of the visitor's own (an organizer bar) are never shared.
    if (reply.locals && Object.keys(reply.locals).length > 0) return renderLetterPage(deps, reply, await deps.signing.publicLetter(slug));
    const html = await pages.html(
      slug,
      () => deps.signing.publicLetter(slug),
      async (letter, stamp) => reply.viewAsync('letters/show', await letterPageData(deps, letter, {}, {}, stamp)),
      (time) => createFormStamp(deps.config.SESSION_SECRET, slug, time),
    );
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.get('/letters/:slug/versions', async (request, reply) => {
    const letter = await deps.signing.publicLetter(parseSlug(request.params));
    const versions = (await deps.letters.versions(letter.id)).reverse();
    return reply.view('letters/versions', {
      letter,
      pageTitle: `Versions of ${letter.title}`,
      nav: 'letters',
      versions: versions.map((v) => ({ ...v, html: renderMarkdown(v.bodyMd) })),
    });
  });
};
