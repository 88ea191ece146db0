// A collective's members (invite, change role, remove) and its audit log: owners only.

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../db/vocabulary.js';
import { slugAnd, slugParams } from '../http/params.js';
import { currentTranslator } from '../i18n/context.js';
import { describeAction, prettyJson } from './audit-labels.js';
import type { Membership } from './auth-service.js';
import { inviteSchema, roleSchema } from './curation-forms.js';
import { type FieldErrors, parseForm, typedValues } from './form.js';
import { AUDIT_PAGE } from './member-service.js';
import { type Notice, type NoticeCode, noticeFrom, noticeQuery, withNotice } from './notices.js';
import type { OrganizerServices } from './organizer-services.js';
import { roleDescription, roleLabel } from './permissions.js';
import { PAGE_DEFAULTS, signedIn } from './route-helpers.js';

const auditQuery = z.object({ before: z.coerce.number().int().positive().optional().catch(undefined) });

export const collectiveRoutes: FastifyPluginAsync<{ organizers: OrganizerServices }> = async (root, { organizers: services }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { access, members } = services;
  const membersUrl = (c: Membership) => `/organize/collectives/${c.slug}/members`;

  async function renderMembers(
    request: FastifyRequest,
    reply: FastifyReply,
    collective: Membership,
    data: { errors?: FieldErrors; values?: Record<string, string>; error?: string | null; notice?: Notice | null } = {},
  ) {
    const { members: list, invites } = await members.page(collective);
    return reply.view('organizers/members', {
      ...PAGE_DEFAULTS,
      pageTitle: currentTranslator().t('organizers.members.caption', { collective: collective.name }),
      collective,
      members: list,
      invites,
      me: signedIn(request).id,
      roles: ROLES.map((r) => ({ value: r, label: roleLabel(r), description: roleDescription(r) })),
      roleLabels: Object.fromEntries(ROLES.map((r) => [r, roleLabel(r)])),
      notice: null,
      errors: {},
      values: { role: 'editor' },
      error: null,
      ...data,
    });
  }

  /** After a change: the page again saying what stopped it (409), or back to it with a notice. */
  async function afterChange(
    request: FastifyRequest,
    reply: FastifyReply,
    collective: Membership,
    problem: string | null,
    done: NoticeCode,
  ) {
    if (!problem) return reply.redirect(withNotice(membersUrl(collective), done), 303);
    reply.code(409);
    return renderMembers(request, reply, collective, { error: problem });
  }

  app.get('/collectives/:slug/members', { schema: { params: slugParams, querystring: noticeQuery } }, async (request, reply) => {
    const collective = access.collective(signedIn(request), request.params.slug, 'manage_members');
    return renderMembers(request, reply, collective, { notice: noticeFrom(request.query) });
  });

  app.post('/collectives/:slug/members', { schema: { params: slugParams } }, async (request, reply) => {
    const organizer = signedIn(request);
    const collective = access.collective(organizer, request.params.slug, 'manage_members');
    const form = parseForm(inviteSchema, request.body);
    const outcome = form.ok ? await members.invite(collective, organizer, form.value.email, form.value.role) : form;
    if (!outcome.ok) {
      reply.code(422);
      return renderMembers(request, reply, collective, { errors: outcome.errors, values: typedValues(request.body) });
    }
    return reply.redirect(withNotice(membersUrl(collective), 'invited'), 303);
  });

  app.post('/collectives/:slug/members/:organizerId/role', { schema: { params: slugAnd('organizerId') } }, async (request, reply) => {
    const organizer = signedIn(request);
    const collective = access.collective(organizer, request.params.slug, 'manage_members');
    const form = parseForm(roleSchema, request.body);
    const problem = form.ok
      ? await members.changeRole(collective, organizer, request.params.organizerId, form.value.role)
      : form.errors.role;
    return afterChange(request, reply, collective, problem ?? null, 'role_changed');
  });

  app.post('/collectives/:slug/members/:organizerId/remove', { schema: { params: slugAnd('organizerId') } }, async (request, reply) => {
    const organizer = signedIn(request);
    const collective = access.collective(organizer, request.params.slug, 'manage_members');
    const problem = await members.remove(collective, organizer, request.params.organizerId);
    return afterChange(request, reply, collective, problem, 'member_removed');
  });

  app.post('/collectives/:slug/invites/:inviteId/revoke', { schema: { params: slugAnd('inviteId') } }, async (request, reply) => {
    const organizer = signedIn(request);
    const collective = access.collective(organizer, request.params.slug, 'manage_members');
    const problem = await members.revokeInvite(collective, organizer, request.params.inviteId);
    return afterChange(request, reply, collective, problem, 'invite_revoked');
  });

  app.get('/collectives/:slug/audit', { schema: { params: slugParams, querystring: auditQuery } }, async (request, reply) => {
    const collective = access.collective(signedIn(request), request.params.slug, 'view_audit');
    const query = request.query;
    const rows = await members.auditLog(collective, query.before ?? null);
    const page = rows.slice(0, AUDIT_PAGE);
    const last = page[page.length - 1];
    return reply.view('organizers/audit', {
      ...PAGE_DEFAULTS,
      pageTitle: currentTranslator().t('organizers.audit.pageTitle', { collective: collective.name }),
      collective,
      entries: page.map((e) => ({
        ...e,
        label: describeAction(e.action),
        beforeJson: prettyJson(e.before),
        afterJson: prettyJson(e.after),
      })),
      olderUrl: rows.length > AUDIT_PAGE && last ? `?before=${last.id}` : null,
      firstPage: !query.before,
    });
  });
};
