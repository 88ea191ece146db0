// Moderation: the held queue beside what each signature matched, "possible duplicate" flags, a
// searchable list of all signatures, and decisions on one or many (checkboxes in one plain form,
// so bulk actions work without JavaScript). Also the CSV export.

import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HOLD_REASONS, SIGNATURE_STATUSES, type SignatureStatus } from '../db/vocabulary.js';
import { type LifecycleEvent, transition } from '../domain/signature-lifecycle.js';
import { NotFound } from '../errors.js';
import { idParams, ids } from '../http/params.js';
import { currentTranslator } from '../i18n/context.js';
import { MODERATION_ACTIONS, moderationSchema } from './curation-forms.js';
import { formFields, parseForm } from './form.js';
import { tabsFor } from './letter-tabs.js';
import { noticeFrom, noticeQuery, withNotice } from './notices.js';
import type { OrganizerServices } from './organizer-services.js';
import { PAGE_DEFAULTS, safeReturn, signedIn } from './route-helpers.js';

export const SIGNATURES_PAGE = 50;

const queueQuery = noticeQuery.extend({
  reason: z.enum(HOLD_REASONS).optional().catch(undefined),
  select: z.enum(['all']).optional().catch(undefined),
});

const listQuery = noticeQuery.extend({
  q: z.string().max(100).optional().catch(undefined),
  status: z.enum(SIGNATURE_STATUSES).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
  select: z.enum(['all']).optional().catch(undefined),
});

const exportQuery = z.object({
  status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(SIGNATURE_STATUSES).optional()),
});

/** A row's own button in the bulk form: "approve:123". */
const ONE = new RegExp(`^(${MODERATION_ACTIONS.join('|')}):(\\d{1,15})$`);

export const moderationRoutes: FastifyPluginAsync<{ organizers: OrganizerServices }> = async (root, { organizers: services }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { access, moderation, exports } = services;

  app.get('/letters/:id/moderation', { schema: { params: idParams, querystring: queueQuery } }, async (request, reply) => {
    const entry = await access.letter(signedIn(request), request.params.id, 'moderate');
    const query = request.query;
    const [queue, flagged] = await Promise.all([
      moderation.queue(entry.letter.id, query.reason ?? null),
      moderation.possibleDuplicates(entry.letter.id),
    ]);
    return reply.view('organizers/moderation', {
      ...PAGE_DEFAULTS,
      pageTitle: currentTranslator().t('organizers.moderation.pageTitle', { title: entry.letter.title }),
      letter: entry.letter,
      tabs: tabsFor(entry, 'moderation'),
      queue,
      flagged,
      reason: query.reason ?? null,
      selectAll: query.select === 'all',
      here: request.url,
      notice: noticeFrom(query),
    });
  });

  app.get('/letters/:id/signatures', { schema: { params: idParams, querystring: listQuery } }, async (request, reply) => {
    const entry = await access.letter(signedIn(request), request.params.id, 'moderate');
    const query = request.query;
    const rows = await moderation.search(entry.letter.id, {
      query: query.q ?? '',
      status: query.status ?? null,
      beforeId: query.before ?? null,
      limit: SIGNATURES_PAGE + 1,
    });
    const page = rows.slice(0, SIGNATURES_PAGE);
    const last = page[page.length - 1];
    const older = new URLSearchParams();
    if (query.q) older.set('q', query.q);
    if (query.status) older.set('status', query.status);
    if (last) older.set('before', String(last.id));
    return reply.view('organizers/signatures', {
      ...PAGE_DEFAULTS,
      pageTitle: currentTranslator().t('organizers.signatures.pageTitle', { title: entry.letter.title }),
      letter: entry.letter,
      tabs: tabsFor(entry, 'signatures'),
      rows: page,
      q: query.q ?? '',
      status: query.status ?? '',
      statuses: SIGNATURE_STATUSES,
      /** Which decisions the lifecycle allows from a status (the buttons shown). */
      allows: (status: SignatureStatus, event: LifecycleEvent) => transition(status, event).record !== null,
      olderUrl: rows.length > SIGNATURES_PAGE ? `?${older}` : null,
      firstPage: !query.before,
      selectAll: query.select === 'all',
      here: request.url,
      notice: noticeFrom(query),
    });
  });

  app.post('/letters/:id/moderation', { schema: { params: idParams } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await access.letter(organizer, request.params.id, 'moderate');
    const fields = formFields(request.body);
    const one = typeof fields.one === 'string' ? ONE.exec(fields.one) : null;
    const form = parseForm(moderationSchema, one ? { ...fields, action: one[1], ids: one[2] } : fields);
    const letterBase = `/organize/letters/${entry.letter.id}`;
    const back = safeReturn(fields.return_to, `${letterBase}/moderation`, letterBase);
    // The form is a page of checkboxes: nothing ticked goes back to it with a warning.
    if (!form.ok) return reply.redirect(withNotice(back, 'nothing_selected'), 303);
    const changed = await moderation.act(entry, organizer, form.value.action, form.value.ids);
    return reply.redirect(
      changed === 0 ? withNotice(back, 'nothing_changed') : withNotice(back, 'moderated', { n: changed, action: form.value.action }),
      303,
    );
  });

  // Erasing a signer's personal data: a page that says what it does, then a POST from it.
  const eraseParams = ids('id', 'signatureId');
  const notOnLetter = () => new NotFound(currentTranslator().t('organizers.error.signatureNotOnLetter'));

  app.get('/letters/:id/signatures/:signatureId/erase', { schema: { params: eraseParams } }, async (request, reply) => {
    const entry = await access.letter(signedIn(request), request.params.id, 'moderate');
    const signature = await moderation.signature(entry.letter.id, request.params.signatureId);
    if (!signature) throw notOnLetter();
    return reply.view('organizers/erase', {
      ...PAGE_DEFAULTS,
      pageTitle: currentTranslator().t('organizers.erase.pageTitle', { title: entry.letter.title }),
      letter: entry.letter,
      tabs: tabsFor(entry, 'signatures'),
      s: signature,
    });
  });

  app.post('/letters/:id/signatures/:signatureId/erase', { schema: { params: eraseParams } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await access.letter(organizer, request.params.id, 'moderate');
    const erased = await moderation.erase(entry.letter, organizer.id, request.params.signatureId);
    if (!erased) throw notOnLetter();
    return reply.redirect(withNotice(`/organize/letters/${entry.letter.id}/signatures`, erased.counted ? 'erased_counted' : 'erased'), 303);
  });

  // The status is read here rather than by the route's schema, so a wrong one is answered with
  // the statuses there are, in the organizer's language.
  app.get('/letters/:id/export.csv', { schema: { params: idParams } }, async (request, reply) => {
    const organizer = signedIn(request);
    const entry = await access.letter(organizer, request.params.id, 'export');
    const query = exportQuery.safeParse(request.query);
    if (!query.success) {
      const i18n = currentTranslator();
      reply.code(400);
      return reply.view('error', {
        ...PAGE_DEFAULTS,
        statusCode: 400,
        pageTitle: i18n.t('organizers.letter.export.title'),
        heading: i18n.t('organizers.letter.export.title'),
        message: i18n.t('organizers.letter.export.badStatus', { statuses: SIGNATURE_STATUSES.join(', ') }),
      });
    }
    const { filename, stream } = await exports.signatures(entry.letter, organizer.id, query.data.status ?? null, 'web');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(stream);
  });
};
