// Notable signatories: the list with up/down/edit/remove (plain forms, no JavaScript needed),
// adding a name by hand, and promoting a verified signature found by name.

import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { NotFound } from '../errors.js';
import { idParams, ids, queryText } from '../http/params.js';
import { currentTranslator } from '../i18n/context.js';
import type { LetterAccess } from './access.js';
import { notableAddSchema, notableEditSchema, notableMoveSchema, notablePromoteSchema } from './curation-forms.js';
import { type FieldErrors, parseForm, typedValues } from './form.js';
import { tabsFor } from './letter-tabs.js';
import { type Notice, type NoticeCode, noticeFrom, noticeQuery, withNotice } from './notices.js';
import type { OrganizerServices } from './organizer-services.js';
import { PAGE_DEFAULTS, signedIn } from './route-helpers.js';

export const notableRoutes: FastifyPluginAsync<{ organizers: OrganizerServices }> = async (root, { organizers: services }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { access, notables } = services;
  const base = (entry: LetterAccess) => `/organize/letters/${entry.letter.id}/notables`;

  async function renderList(
    reply: FastifyReply,
    entry: LetterAccess,
    data: {
      query?: string;
      notice?: Notice | null;
      addErrors?: FieldErrors;
      addValues?: Record<string, string>;
      promoteErrors?: FieldErrors;
    } = {},
  ) {
    const query = data.query ?? '';
    const [list, candidates] = await Promise.all([notables.list(entry.letter.id), notables.candidates(entry.letter.id, query)]);
    return reply.view('organizers/notables', {
      ...PAGE_DEFAULTS,
      pageTitle: currentTranslator().t('organizers.notables.pageTitle', { title: entry.letter.title }),
      letter: entry.letter,
      tabs: tabsFor(entry, 'notables'),
      list,
      query,
      candidates,
      searched: query.trim().length >= 2,
      addErrors: {},
      addValues: {},
      promoteErrors: {},
      ...data,
    });
  }

  const listQuery = noticeQuery.extend({ q: queryText(100) });
  app.get('/letters/:id/notables', { schema: { params: idParams, querystring: listQuery } }, async (request, reply) => {
    const entry = await access.letter(signedIn(request), request.params.id, 'edit_notables');
    return renderList(reply, entry, { query: request.query.q, notice: noticeFrom(request.query) });
  });

  app.post('/letters/:id/notables', { schema: { params: idParams } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await access.letter(organizer, request.params.id, 'edit_notables');
    const form = parseForm(notableAddSchema, request.body);
    if (!form.ok) {
      reply.code(422);
      return renderList(reply, entry, { addErrors: form.errors, addValues: typedValues(request.body) });
    }
    await notables.add(entry, organizer, form.value);
    return reply.redirect(withNotice(base(entry), 'notable_added'), 303);
  });

  app.post('/letters/:id/notables/promote', { schema: { params: idParams } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await access.letter(organizer, request.params.id, 'edit_notables');
    const values = typedValues(request.body);
    const form = parseForm(notablePromoteSchema, request.body);
    const outcome = form.ok ? await notables.promote(entry, organizer, form.value.signature_id, form.value.description) : form;
    if (!outcome.ok) {
      reply.code(422);
      return renderList(reply, entry, { query: values.q ?? '', promoteErrors: outcome.errors });
    }
    return reply.redirect(withNotice(base(entry), 'notable_promoted'), 303);
  });

  async function renderEdit(
    reply: FastifyReply,
    entry: LetterAccess,
    notableId: number,
    values?: Record<string, string>,
    errors: FieldErrors = {},
  ) {
    const notable = await notables.find(entry.letter.id, notableId);
    if (!notable) throw new NotFound(currentTranslator().t('organizers.error.notableNotFound'));
    return reply.view('organizers/notable-edit', {
      ...PAGE_DEFAULTS,
      pageTitle: currentTranslator().t('organizers.notables.editTitle', { name: notable.name }),
      letter: entry.letter,
      tabs: tabsFor(entry, 'notables'),
      notable,
      values: values ?? { name: notable.name, description: notable.description },
      errors,
    });
  }

  app.get('/letters/:id/notables/:notableId/edit', { schema: { params: ids('id', 'notableId') } }, async (request, reply) => {
    const entry = await access.letter(signedIn(request), request.params.id, 'edit_notables');
    return renderEdit(reply, entry, request.params.notableId);
  });

  app.post('/letters/:id/notables/:notableId/edit', { schema: { params: ids('id', 'notableId') } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await access.letter(organizer, request.params.id, 'edit_notables');
    const notableId = request.params.notableId;
    const form = parseForm(notableEditSchema, request.body);
    const outcome = form.ok ? await notables.update(entry, organizer, notableId, form.value) : form;
    if (!outcome.ok) {
      reply.code(422);
      return renderEdit(reply, entry, notableId, typedValues(request.body), outcome.errors);
    }
    return reply.redirect(withNotice(base(entry), 'notable_updated'), 303);
  });

  app.post('/letters/:id/notables/:notableId/move', { schema: { params: ids('id', 'notableId') } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await access.letter(organizer, request.params.id, 'edit_notables');
    const form = parseForm(notableMoveSchema, request.body);
    if (!form.ok) return reply.redirect(base(entry), 303);
    const outcome = await notables.move(entry, organizer, request.params.notableId, form.value.direction);
    return finish(reply, entry, outcome, 'notable_moved');
  });

  app.post('/letters/:id/notables/:notableId/remove', { schema: { params: ids('id', 'notableId') } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await access.letter(organizer, request.params.id, 'edit_notables');
    const outcome = await notables.remove(entry, organizer, request.params.notableId);
    return finish(reply, entry, outcome, 'notable_removed');
  });

  function finish(reply: FastifyReply, entry: LetterAccess, outcome: { ok: boolean }, notice: NoticeCode) {
    // A stale page (entry already removed by a colleague) just shows the list as it is now.
    return reply.redirect(outcome.ok ? withNotice(base(entry), notice) : base(entry), 303);
  }
};
