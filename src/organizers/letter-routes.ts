// The dashboard and the letter editor: create, edit with a Markdown preview, preview the page,
// publish, close and reopen. Routes parse and render; the rules are in LetterService.

import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LETTER_STATUSES } from '../db/vocabulary.js';
import { type MarkdownWarning, markdownWarnings, renderMarkdown } from '../domain/markdown.js';
import { idParams, queryText } from '../http/params.js';
import { currentTranslator } from '../i18n/context.js';
import type { LetterPage } from '../letters/letter-page.js';
import type { LetterAccess } from './access.js';
import { type FieldErrors, formFields, parseForm, typedValues } from './form.js';
import { letterFormSchema, letterFormValues } from './letter-form.js';
import { allowedTransitions, statusQuestion, transitionLabel } from './letter-status.js';
import { tabsFor } from './letter-tabs.js';
import { type Notice, type NoticeCode, noticeFrom, noticeQuery, withNotice } from './notices.js';
import type { OrganizerServices } from './organizer-services.js';
import { roleLabel } from './permissions.js';
import { PAGE_DEFAULTS, signedIn } from './route-helpers.js';
import { SPARK_HEIGHT, SPARK_WIDTH, sparklinePoints } from './sparkline.js';

const statusSchema = z.object({
  to: z.enum(LETTER_STATUSES, { error: 'organizers.form.chooseStatus' }),
  // Only the confirmation page sends it; anything else asks first.
  confirm: z.string().optional(),
});
const collectiveSchema = z.object({ collective: z.coerce.number().int().positive({ error: 'organizers.form.chooseCollective' }) });

/** The editor's preview: the text as the page will show it, and what it will not show, and why. */
function preview(body: string) {
  return { previewHtml: renderMarkdown(body), warnings: markdownWarnings(body) };
}

/** Pages that show a letter's text carry the CSP that lets its https images load. */
const letterText = { config: { securityHeaders: 'letter' } } as const;

const t = (key: string, values?: Record<string, string | number>) => currentTranslator().t(key, values);

export const letterAdminRoutes: FastifyPluginAsync<{ organizers: OrganizerServices; letterPage: LetterPage }> = async (
  root,
  { organizers, letterPage },
) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { access, letters } = organizers;

  app.get('/', { schema: { querystring: noticeQuery } }, async (request, reply) => {
    const organizer = signedIn(request);
    const rows = await letters.dashboard(organizer);
    return reply.view('organizers/dashboard', {
      ...PAGE_DEFAULTS,
      pageTitle: t('organizers.common.yourLetters'),
      rows: rows.map((row) => ({ ...row, spark: sparklinePoints(row.daily) })),
      spark: { width: SPARK_WIDTH, height: SPARK_HEIGHT },
      memberships: organizer.memberships.map((m) => ({ ...m, roleLabel: roleLabel(m.role) })),
      canCreate: letters.writableCollectives(organizer).length > 0,
      notice: noticeFrom(request.query),
    });
  });

  // ---- create ---------------------------------------------------------------------------------

  function renderEditor(
    reply: FastifyReply,
    data: {
      mode: 'new' | 'edit';
      values: Record<string, string>;
      errors?: FieldErrors;
      access?: LetterAccess;
      collectives?: Array<{ collectiveId: number; name: string }>;
      previewHtml?: string | null;
      warnings?: MarkdownWarning[];
    },
  ) {
    const letter = data.access?.letter;
    return reply.view('organizers/letter-form', {
      ...PAGE_DEFAULTS,
      pageTitle: letter ? t('organizers.letterForm.editTitle', { title: letter.title }) : t('organizers.letterForm.newTitle'),
      letter: letter ?? null,
      tabs: data.access ? tabsFor(data.access, 'edit') : null,
      action: letter ? `/organize/letters/${letter.id}/edit` : '/organize/letters/new',
      slugLocked: letter?.publishedAt != null,
      versionNote: letter?.publishedAt ? t('organizers.letterForm.newVersion', { version: letter.version + 1 }) : null,
      errors: {},
      previewHtml: null,
      warnings: [],
      collectives: [],
      ...data,
    });
  }

  app.get('/letters/new', { ...letterText, schema: { querystring: z.object({ collective: queryText(200) }) } }, async (request, reply) => {
    const organizer = signedIn(request);
    const collectives = letters.writableCollectives(organizer);
    if (collectives.length === 0) {
      reply.code(403);
      return reply.view('error', {
        ...PAGE_DEFAULTS,
        statusCode: 403,
        heading: t('organizers.letterForm.cannotStart'),
        message: t('organizers.letterForm.cannotStartText'),
        pageTitle: t('organizers.letterForm.cannotStart'),
      });
    }
    const chosen = request.query.collective;
    return renderEditor(reply, {
      mode: 'new',
      collectives,
      values: { duplicate_names: 'hold', collective: chosen || String(collectives[0]?.collectiveId ?? '') },
    });
  });

  app.post('/letters/new', letterText, async (request, reply) => {
    const organizer = signedIn(request);
    const collectives = letters.writableCollectives(organizer);
    const values = typedValues(request.body);
    const form = parseForm(letterFormSchema, request.body);
    const collective = parseForm(collectiveSchema, request.body);
    const errors = { ...(form.ok ? {} : form.errors), ...(collective.ok ? {} : collective.errors) };
    if (!form.ok || !collective.ok) {
      reply.code(422);
      return renderEditor(reply, { mode: 'new', collectives, values, errors });
    }
    if (form.value.intent === 'preview') {
      return renderEditor(reply, { mode: 'new', collectives, values, ...preview(form.value.body) });
    }
    const saved = await letters.create(organizer, collective.value.collective, form.value);
    if (!saved.ok) {
      reply.code(422);
      return renderEditor(reply, { mode: 'new', collectives, values, errors: saved.errors });
    }
    return reply.redirect(withNotice(`/organize/letters/${saved.letter.id}`, 'created'), 303);
  });

  // ---- one letter -----------------------------------------------------------------------------

  async function renderOverview(reply: FastifyReply, entry: LetterAccess, notice: Notice | null, error: string | null = null) {
    const { letter } = entry;
    const counts = await letters.statusCounts(letter.id);
    return reply.view('organizers/letter', {
      ...PAGE_DEFAULTS,
      pageTitle: letter.title,
      letter,
      tabs: tabsFor(entry, 'overview'),
      counts,
      roleLabel: roleLabel(entry.role),
      canEdit: entry.can('edit_letter'),
      canExport: entry.can('export'),
      transitions: entry.can('edit_letter')
        ? allowedTransitions(letter.status).map((to) => ({ to, label: transitionLabel(letter.status, to) }))
        : [],
      exportStatuses: ['verified', 'held', 'pending', 'rejected', 'withdrawn', 'fraudulent'],
      notice,
      error,
    });
  }

  app.get('/letters/:id', { schema: { params: idParams, querystring: noticeQuery } }, async (request, reply) => {
    const entry = await access.letter(signedIn(request), request.params.id, 'view');
    return renderOverview(reply, entry, noticeFrom(request.query));
  });

  app.get('/letters/:id/edit', { ...letterText, schema: { params: idParams } }, async (request, reply) => {
    const entry = await access.letter(signedIn(request), request.params.id, 'edit_letter');
    return renderEditor(reply, { mode: 'edit', access: entry, values: letterFormValues(entry.letter) });
  });

  app.post('/letters/:id/edit', { ...letterText, schema: { params: idParams } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await access.letter(organizer, request.params.id, 'edit_letter');
    const values = typedValues(request.body);
    if (entry.letter.publishedAt) values.slug = entry.letter.slug;
    const form = parseForm(letterFormSchema, {
      ...formFields(request.body),
      ...(entry.letter.publishedAt ? { slug: entry.letter.slug } : {}),
    });
    if (!form.ok) {
      reply.code(422);
      return renderEditor(reply, { mode: 'edit', access: entry, values, errors: form.errors });
    }
    if (form.value.intent === 'preview') {
      return renderEditor(reply, { mode: 'edit', access: entry, values, ...preview(form.value.body) });
    }
    const saved = await letters.update(entry, organizer, form.value);
    if (!saved.ok) {
      reply.code(422);
      return renderEditor(reply, { mode: 'edit', access: entry, values, errors: saved.errors });
    }
    const notice: NoticeCode = saved.letter.version !== entry.letter.version ? 'new_version' : 'saved';
    return reply.redirect(withNotice(`/organize/letters/${entry.letter.id}`, notice), 303);
  });

  // Drafts are visible here, to members of the collective only.
  app.get('/letters/:id/preview', { ...letterText, schema: { params: idParams } }, async (request, reply) => {
    const entry = await access.letter(signedIn(request), request.params.id, 'view');
    reply.header('cache-control', 'no-store');
    const html = await letterPage.html(entry.letter, {}, { preview: true, locals: reply.locals });
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.post('/letters/:id/status', { schema: { params: idParams } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await access.letter(organizer, request.params.id, 'edit_letter');
    const form = parseForm(statusSchema, request.body);
    if (!form.ok) {
      reply.code(422);
      return renderOverview(reply, entry, null, form.errors.to ?? t('organizers.form.chooseStatus'));
    }
    const { to } = form.value;
    const problem = letters.statusProblem(entry.letter, to);
    if (problem) {
      reply.code(409);
      return renderOverview(reply, entry, null, problem);
    }
    // Moves that cannot be taken back are asked first: this POST changes nothing.
    const question =
      form.value.confirm === 'yes'
        ? null
        : statusQuestion(entry.letter, to, { pending: (await letters.statusCounts(entry.letter.id)).pending });
    if (question) {
      return reply.view('organizers/confirm-status', {
        ...PAGE_DEFAULTS,
        pageTitle: question.question,
        letter: entry.letter,
        to,
        question,
        // Before publishing, once more: what of the text will not be shown.
        warnings: to === 'published' ? markdownWarnings(entry.letter.bodyMd) : [],
      });
    }
    const result = await letters.setStatus(entry, organizer, to);
    if (!result.ok) {
      reply.code(409);
      return renderOverview(reply, entry, null, result.message);
    }
    const notice: NoticeCode = to === 'closed' ? 'closed' : entry.letter.status === 'closed' ? 'reopened' : 'published';
    return reply.redirect(withNotice(`/organize/letters/${entry.letter.id}`, notice), 303);
  });
};
