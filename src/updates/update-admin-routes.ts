// The organizers' side of updates (editors and owners): write one with a preview, mail a test
// to yourself, then send it from a page that says exactly how many people will receive it;
// afterwards, its progress. Routes parse and render; the rules are in UpdateService.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { renderMarkdown } from '../domain/markdown.js';
import { idParams, ids } from '../http/params.js';
import { currentTranslator } from '../i18n/context.js';
import type { Access, LetterAccess } from '../organizers/access.js';
import { type FieldErrors, parseForm, typedValues } from '../organizers/form.js';
import { tabsFor } from '../organizers/letter-tabs.js';
import { type NoticeCode, noticeFrom, noticeQuery, withNotice } from '../organizers/notices.js';
import { PAGE_DEFAULTS, signedIn } from '../organizers/route-helpers.js';
import { toDraft, updateFormSchema } from './update-form.js';
import type { LetterUpdate, UpdateService } from './update-service.js';

/** The form's fields by name, for the error summary (in the page's language). */
function labels() {
  const i18n = currentTranslator();
  return {
    subject: i18n.t('organizers.updates.subject'),
    body: i18n.t('organizers.letterForm.body'),
    signers_only: i18n.t('organizers.updates.signersOnlyLabel'),
  };
}

export const updateAdminRoutes: FastifyPluginAsync<{ access: Access; updates: UpdateService }> = async (root, { access, updates }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const base = (entry: LetterAccess) => `/organize/letters/${entry.letter.id}/updates`;
  const letterFor = (request: Parameters<typeof signedIn>[0], id: number) => access.letter(signedIn(request), id, 'edit_letter');

  /** The list of a letter's updates, with the form for a new one (or the one being written). */
  async function renderList(
    reply: FastifyReply,
    entry: LetterAccess,
    form: { values?: Record<string, string>; errors?: FieldErrors; previewHtml?: string | null } = {},
    notice = noticeFrom({}),
  ) {
    const [list, recipients] = await Promise.all([updates.list(entry), updates.recipientCount(entry.letter.id)]);
    return reply.view('organizers/updates', {
      ...PAGE_DEFAULTS,
      pageTitle: currentTranslator().t('organizers.updates.pageTitle', { title: entry.letter.title }),
      letter: entry.letter,
      tabs: tabsFor(entry, 'updates'),
      list,
      recipients,
      values: form.values ?? {},
      errors: form.errors ?? {},
      labels: labels(),
      previewHtml: form.previewHtml ?? null,
      notice,
    });
  }

  /** One update: its draft to edit, or its progress once sent. */
  async function renderUpdate(
    reply: FastifyReply,
    entry: LetterAccess,
    id: number,
    form: { values?: Record<string, string>; errors?: FieldErrors; previewHtml?: string | null } = {},
    notice = noticeFrom({}),
  ) {
    const update = await updates.find(entry, id);
    return reply.view('organizers/update', {
      ...PAGE_DEFAULTS,
      pageTitle: currentTranslator().t('organizers.updates.updatePageTitle', { subject: update.subject, title: entry.letter.title }),
      letter: entry.letter,
      tabs: tabsFor(entry, 'updates'),
      update,
      recipients: update.status === 'draft' ? await updates.recipientCount(entry.letter.id) : null,
      bodyHtml: renderMarkdown(update.bodyMd),
      values: form.values ?? { subject: update.subject, body: update.bodyMd, signers_only: update.signersOnly ? 'on' : '' },
      errors: form.errors ?? {},
      labels: labels(),
      previewHtml: form.previewHtml ?? null,
      notice,
    });
  }

  /** What each button of the form leads to, once the draft is saved. */
  async function afterSave(reply: FastifyReply, entry: LetterAccess, update: LetterUpdate, intent: 'save' | 'test' | 'review') {
    const at = `${base(entry)}/${update.id}`;
    if (intent === 'review') return reply.redirect(`${at}/review`, 303);
    const notice: NoticeCode = intent === 'test' ? 'update_test_sent' : 'update_saved';
    return reply.redirect(withNotice(at, notice), 303);
  }

  app.get('/letters/:id/updates', { schema: { params: idParams, querystring: noticeQuery } }, async (request, reply) => {
    const entry = await letterFor(request, request.params.id);
    return renderList(reply, entry, {}, noticeFrom(request.query));
  });

  app.post('/letters/:id/updates', { schema: { params: idParams } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await letterFor(request, request.params.id);
    const values = typedValues(request.body);
    const form = parseForm(updateFormSchema, request.body);
    if (!form.ok) {
      reply.code(422);
      return renderList(reply, entry, { values, errors: form.errors });
    }
    if (form.value.intent === 'preview') return renderList(reply, entry, { values, previewHtml: renderMarkdown(form.value.body) });
    const created = await updates.create(entry, organizer, toDraft(form.value));
    if (form.value.intent === 'test') await updates.sendTest(entry, organizer, created.id);
    return afterSave(reply, entry, created, form.value.intent);
  });

  app.get(
    '/letters/:id/updates/:updateId',
    { schema: { params: ids('id', 'updateId'), querystring: noticeQuery } },
    async (request, reply) => {
      const entry = await letterFor(request, request.params.id);
      return renderUpdate(reply, entry, request.params.updateId, {}, noticeFrom(request.query));
    },
  );

  app.post('/letters/:id/updates/:updateId', { schema: { params: ids('id', 'updateId') } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await letterFor(request, request.params.id);
    const id = request.params.updateId;
    const values = typedValues(request.body);
    const form = parseForm(updateFormSchema, request.body);
    if (!form.ok) {
      reply.code(422);
      return renderUpdate(reply, entry, id, { values, errors: form.errors });
    }
    if (form.value.intent === 'preview') return renderUpdate(reply, entry, id, { values, previewHtml: renderMarkdown(form.value.body) });
    const saved = await updates.edit(entry, organizer, id, toDraft(form.value));
    if (form.value.intent === 'test') await updates.sendTest(entry, organizer, saved.id);
    return afterSave(reply, entry, saved, form.value.intent);
  });

  // The confirmation step: the draft as signers will read it, and exactly how many will.
  app.get('/letters/:id/updates/:updateId/review', { schema: { params: ids('id', 'updateId') } }, async (request, reply) => {
    const entry = await letterFor(request, request.params.id);
    const update = await updates.find(entry, request.params.updateId);
    if (update.status !== 'draft') return reply.redirect(`${base(entry)}/${update.id}`, 303);
    return reply.view('organizers/update-review', {
      ...PAGE_DEFAULTS,
      pageTitle: currentTranslator().t('organizers.updates.sendPageTitle', { subject: update.subject }),
      letter: entry.letter,
      tabs: tabsFor(entry, 'updates'),
      update,
      bodyHtml: renderMarkdown(update.bodyMd),
      recipients: await updates.recipientCount(entry.letter.id),
    });
  });

  app.post('/letters/:id/updates/:updateId/send', { schema: { params: ids('id', 'updateId') } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await letterFor(request, request.params.id);
    const sent = await updates.send(entry, organizer, request.params.updateId);
    return reply.redirect(withNotice(`${base(entry)}/${sent.id}`, 'update_sending'), 303);
  });
};
