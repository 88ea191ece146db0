// A letter's translations in the organizer area: the list with each one's state, writing one with
// a preview (the letter editor's rendering and warnings), deleting one, and the letter's own
// language while it is a draft. Rules are TranslationService's.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { languageName } from '../domain/letter-language.js';
import { type MarkdownWarning, markdownWarnings, renderMarkdown } from '../domain/markdown.js';
import { idParams } from '../http/params.js';
import { currentTranslator } from '../i18n/context.js';
import { LOCALES } from '../i18n/locales.js';
import type { LetterAccess } from './access.js';
import { type FieldErrors, formFields, parseForm, typedValues } from './form.js';
import { tabsFor } from './letter-tabs.js';
import type { OrganizerServices } from './organizer-services.js';
import { PAGE_DEFAULTS, signedIn } from './route-helpers.js';
import { letterLanguageFormSchema, translationFormSchema } from './translation-service.js';

const DONE = ['saved', 'deleted', 'language'] as const;
/** What a redirect after a change may say (a code, never text); anything else is dropped. */
const doneQuery = z.object({ done: z.enum(DONE).optional().catch(undefined) });
const languageParams = idParams.extend({ lang: z.string().max(10) });

/** Pages that show a letter's text carry the CSP that lets its https images load. */
const letterText = { config: { securityHeaders: 'letter' } } as const;

export const translationRoutes: FastifyPluginAsync<{ organizers: OrganizerServices }> = async (root, { organizers }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { access, translations } = organizers;
  const base = (entry: LetterAccess) => `/organize/letters/${entry.letter.id}/translations`;
  /** A language's name in the organizer's language. */
  const named = (code: string) => languageName(code, currentTranslator().locale);

  async function renderList(
    reply: FastifyReply,
    entry: LetterAccess,
    done: (typeof DONE)[number] | undefined,
    error: string | null = null,
  ) {
    const { letter } = entry;
    const list = await translations.list(letter);
    const have = new Set(list.map((t) => t.language));
    return reply.view('organizers/translations', {
      ...PAGE_DEFAULTS,
      pageTitle: letter.title,
      letter,
      tabs: tabsFor(entry, 'translations'),
      base: base(entry),
      mainName: named(letter.language),
      rows: list.map((t) => ({ ...t, name: named(t.language) })),
      missing: translations
        .targetLanguages(letter)
        .filter((l) => !have.has(l))
        .map((code) => ({ code, name: named(code) })),
      mainChoices: LOCALES.map((code) => ({ code, name: named(code) })),
      draft: letter.status === 'draft',
      done: done ?? null,
      error,
    });
  }

  function renderEditor(
    reply: FastifyReply,
    entry: LetterAccess,
    language: string,
    data: {
      values: Record<string, string>;
      errors?: FieldErrors;
      previewHtml?: string | null;
      warnings?: MarkdownWarning[];
      exists: boolean;
    },
  ) {
    const { letter } = entry;
    return reply.view('organizers/translation-form', {
      ...PAGE_DEFAULTS,
      pageTitle: letter.title,
      letter,
      tabs: tabsFor(entry, 'translations'),
      base: base(entry),
      language,
      languageName: named(language),
      mainName: named(letter.language),
      action: `${base(entry)}/${language}`,
      errors: {},
      previewHtml: null,
      warnings: [],
      ...data,
    });
  }

  /** The letter, for someone who may edit it, and the language of the path (null: one it cannot be translated into). */
  async function target(request: FastifyRequest, params: { id: number; lang: string }) {
    const entry = await access.letter(signedIn(request), params.id, 'edit_letter');
    return { entry, language: translations.target(entry.letter, params.lang) };
  }

  app.get('/letters/:id/translations', { schema: { params: idParams, querystring: doneQuery } }, async (request, reply) => {
    const entry = await access.letter(signedIn(request), request.params.id, 'edit_letter');
    return renderList(reply, entry, request.query.done);
  });

  // The add form's language select sends ?lang=xx here; the editor itself lives at /translations/xx.
  app.get(
    '/letters/:id/translations/new',
    { schema: { params: idParams, querystring: z.object({ language: z.string().max(10).optional() }) } },
    async (request, reply) => {
      const entry = await access.letter(signedIn(request), request.params.id, 'edit_letter');
      const language = translations.target(entry.letter, request.query.language ?? '');
      if (!language) {
        reply.code(422);
        return renderList(reply, entry, undefined, 'letters.translations.errorLanguage');
      }
      return reply.redirect(`${base(entry)}/${language}`, 303);
    },
  );

  app.get('/letters/:id/translations/:lang', { ...letterText, schema: { params: languageParams } }, async (request, reply) => {
    const { entry, language } = await target(request, request.params);
    if (!language) return reply.callNotFound();
    const existing = await translations.find(entry.letter, language);
    const values = existing
      ? { title: existing.title, summary: existing.summary, addressee: existing.addressee, body: existing.bodyMd }
      : { title: '', summary: '', addressee: '', body: '' };
    return renderEditor(reply, entry, language, { values, exists: existing !== undefined });
  });

  app.post('/letters/:id/translations/:lang', { ...letterText, schema: { params: languageParams } }, async (request, reply) => {
    const { entry, language } = await target(request, request.params);
    if (!language) return reply.callNotFound();
    const values = typedValues(request.body);
    const exists = (await translations.find(entry.letter, language)) !== undefined;
    const form = parseForm(translationFormSchema, formFields(request.body));
    if (!form.ok) {
      reply.code(422);
      return renderEditor(reply, entry, language, { values, errors: form.errors, exists });
    }
    if (form.value.intent === 'preview') {
      const body = form.value.body;
      return renderEditor(reply, entry, language, { values, exists, previewHtml: renderMarkdown(body), warnings: markdownWarnings(body) });
    }
    const saved = await translations.save(entry, signedIn(request), language, form.value);
    if (!saved.ok) {
      reply.code(422);
      return renderEditor(reply, entry, language, { values, errors: saved.errors, exists });
    }
    return reply.redirect(`${base(entry)}?done=saved`, 303);
  });

  app.post('/letters/:id/translations/:lang/delete', { schema: { params: languageParams } }, async (request, reply) => {
    const { entry, language } = await target(request, request.params);
    if (!language) return reply.callNotFound();
    await translations.delete(entry, signedIn(request), language);
    return reply.redirect(`${base(entry)}?done=deleted`, 303);
  });

  app.post('/letters/:id/language', { schema: { params: idParams } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await access.letter(organizer, request.params.id, 'edit_letter');
    const form = parseForm(letterLanguageFormSchema, request.body);
    const result = form.ok
      ? await translations.setLanguage(entry, organizer, form.value.language)
      : { ok: false as const, error: 'letters.translations.errorLanguage' };
    if (!result.ok) {
      reply.code(422);
      return renderList(reply, entry, undefined, result.error);
    }
    return reply.redirect(`${base(entry)}?done=language`, 303);
  });
};
