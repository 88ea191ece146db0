// The organizer's own account page: who they are, the language of their pages and mail, their
// collectives, and whether they want the moderators' mail about held signatures in each (on by
// default; each member turns it off).
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DIGEST_INTERVAL_MS } from '../domain/hold-digest.js';
import { currentTranslator } from '../i18n/context.js';
import { LOCALE_NAMES, LOCALES } from '../i18n/locales.js';
import { parseForm } from './form.js';
import { type Notice, noticeFrom, noticeQuery, withNotice } from './notices.js';
import type { OrganizerServices } from './organizer-services.js';
import { roleLabel } from './permissions.js';
import { PAGE_DEFAULTS, signedIn } from './route-helpers.js';
import type { SignedInOrganizer } from './session-repo.js';

/** The ticked collectives: ids as the checkboxes send them (one, several or none); others are ignored. */
const digestForm = z.object({
  digest: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => new Set([v ?? []].flat().map(Number).filter(Number.isSafeInteger))),
});

/** The chosen language: one of ours, or the form is answered with the page as it was. */
const languageForm = z.object({ language: z.enum(LOCALES, { error: 'organizers.form.chooseLanguage' }) });

export const accountRoutes: FastifyPluginAsync<{ organizers: OrganizerServices }> = async (root, { organizers }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { auth, digest } = organizers;

  async function renderAccount(organizer: SignedInOrganizer, reply: FastifyReply, notice: Notice | null) {
    const choices = await digest.choices(organizer);
    return reply.view('organizers/account', {
      ...PAGE_DEFAULTS,
      pageTitle: currentTranslator().t('organizers.account.title'),
      organizer,
      language: organizer.language,
      languages: LOCALES.map((code) => ({ code, name: LOCALE_NAMES[code] })),
      choices: choices.map((c) => ({ ...c, roleLabel: roleLabel(c.membership.role) })),
      minutes: DIGEST_INTERVAL_MS / 60_000,
      notice,
    });
  }

  app.get('/account', { schema: { querystring: noticeQuery } }, async (request, reply) =>
    renderAccount(signedIn(request), reply, noticeFrom(request.query)),
  );

  // The next page is already in the new language: the redirect carries no ?lang, so the account's wins.
  app.post('/account/language', async (request, reply) => {
    const organizer = signedIn(request);
    const form = parseForm(languageForm, request.body);
    if (!form.ok) {
      reply.code(422);
      return renderAccount(organizer, reply, { text: form.errors.language ?? '', kind: 'warn' });
    }
    await auth.setLanguage(organizer, form.value.language);
    return reply.redirect(withNotice('/organize/account', 'language_saved'), 303);
  });

  app.post('/account/digest', async (request, reply) => {
    const organizer = signedIn(request);
    const form = parseForm(digestForm, request.body);
    await digest.choose(organizer, form.ok ? form.value.digest : new Set());
    return reply.redirect(withNotice('/organize/account', 'digest_saved'), 303);
  });
};
