// The organizer's own account page: who they are, their collectives, and whether they want the
// moderators' mail about held signatures in each (on by default; each member turns it off).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DIGEST_INTERVAL_MS } from '../domain/hold-digest.js';
import { parseForm } from './form.js';
import { noticeFrom, noticeQuery, withNotice } from './notices.js';
import type { OrganizerServices } from './organizer-services.js';
import { ROLE_LABELS } from './permissions.js';
import { PAGE_DEFAULTS, signedIn } from './route-helpers.js';

/** The ticked collectives: ids as the checkboxes send them (one, several or none); others are ignored. */
const digestForm = z.object({
  digest: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => new Set([v ?? []].flat().map(Number).filter(Number.isSafeInteger))),
});

export const accountRoutes: FastifyPluginAsync<{ organizers: OrganizerServices }> = async (root, { organizers }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { digest } = organizers;

  app.get('/account', { schema: { querystring: noticeQuery } }, async (request, reply) => {
    const organizer = signedIn(request);
    const choices = await digest.choices(organizer);
    return reply.view('organizers/account', {
      ...PAGE_DEFAULTS,
      pageTitle: 'Your account',
      organizer,
      choices: choices.map((c) => ({ ...c, roleLabel: ROLE_LABELS[c.membership.role] })),
      minutes: DIGEST_INTERVAL_MS / 60_000,
      notice: noticeFrom(request.query),
    });
  });

  app.post('/account/digest', async (request, reply) => {
    const organizer = signedIn(request);
    const form = parseForm(digestForm, request.body);
    await digest.choose(organizer, form.ok ? form.value.digest : new Set());
    return reply.redirect(withNotice('/organize/account', 'digest_saved'), 303);
  });
};
