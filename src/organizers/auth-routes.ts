// Signing in and out: /login, /logout, the one-time links (/signin, /reset, /invite) and the
// password reset request. Every POST here is CSRF-checked by the session plugin first.

import type { FastifyPluginAsync, FastifyReply, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import { deviceMark, isWellFormedToken } from '../domain/tokens.js';
import { queryText, tokenParams } from '../http/params.js';
import { currentTranslator } from '../i18n/context.js';
import { clearSessionCookie, deviceMarks, rememberDevice, setSessionCookie } from '../plugins/session.js';
import { loginSchema, newAccountSchema, resetRequestSchema, setPasswordSchema } from './auth-forms.js';
import type { AuthService } from './auth-service.js';
import { type LinkState, normalizeOrganizerEmail } from './auth-service.js';
import { type FieldErrors, parseForm, typedValues } from './form.js';
import { type Notice, noticeFrom, noticeQuery } from './notices.js';
import { roleDescription, roleLabel } from './permissions.js';
import { PAGE_DEFAULTS, safeReturn } from './route-helpers.js';

type LinkPurpose = 'signin' | 'reset' | 'invite';

const t = (key: string, values?: Record<string, string | number>) => currentTranslator().t(key, values);

/** A link's token, or '' when it cannot be one of ours (the link then simply does not work). */
const tokenOf = (token: string): string => (isWellFormedToken(token) ? token : '');

function linkProblem(reply: FastifyReply, state: Exclude<LinkState['state'], 'valid'>, purpose: LinkPurpose) {
  reply.code(state === 'unknown' ? 404 : 410);
  return reply.view('organizers/link-problem', { ...PAGE_DEFAULTS, pageTitle: t('organizers.linkProblem.unknownTitle'), state, purpose });
}

export const authRoutes: FastifyPluginAsync<{ auth: AuthService; config: Config; now: () => Date }> = async (
  root,
  { auth, config, now },
) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  // Reset requests send mail: bounded per IP like the signing form.
  const resetLimit =
    config.RATE_LIMIT === 'off'
      ? []
      : [
          app.rateLimit({
            max: config.LOGIN_LIMIT_PER_IP,
            timeWindow: config.LOGIN_LIMIT_WINDOW,
            keyGenerator: (request) => `reset-ip:${request.ip}`,
          }) as preHandlerAsyncHookHandler,
        ];

  function renderLogin(
    reply: FastifyReply,
    data: { values?: Record<string, string>; errors?: FieldErrors; next: string; notice?: Notice | null },
  ) {
    return reply.view('organizers/login', { ...PAGE_DEFAULTS, pageTitle: t('organizers.login.title'), values: {}, errors: {}, ...data });
  }

  app.get('/login', { schema: { querystring: noticeQuery.extend({ next: queryText(1000) }) } }, async (request, reply) => {
    const next = safeReturn(request.query.next, '/organize');
    if (request.organizer) return reply.redirect(next, 303);
    return renderLogin(reply, { next, notice: noticeFrom(request.query) });
  });

  app.post('/login', async (request, reply) => {
    const values = typedValues(request.body);
    const next = safeReturn(values.next, '/organize');
    const kept = { email: values.email ?? '' };
    const form = parseForm(loginSchema, request.body);
    if (!form.ok) {
      reply.code(422);
      return renderLogin(reply, { values: kept, errors: form.errors, next });
    }
    const knownDevice = deviceMarks(request).includes(deviceMark(config.SESSION_SECRET, normalizeOrganizerEmail(form.value.email)));
    const result = await auth.login(form.value.email, form.value.password, request.ip, knownDevice);
    if (result.ok) {
      // Signing in again from the same browser replaces its session rather than leaving one behind.
      if (request.organizer) await auth.logout(request.organizer);
      setSessionCookie(reply, config, result.session.token, result.session.expiresAt);
      rememberDevice(request, reply, config, deviceMark(config.SESSION_SECRET, result.email), now());
      return reply.redirect(next, 303);
    }
    if (result.reason === 'throttled') {
      const minutes = Math.max(1, Math.ceil(result.retryAfterMs / 60_000));
      reply.code(429).header('retry-after', String(Math.ceil(result.retryAfterMs / 1000)));
      const message = t('organizers.login.throttled', { minutes });
      return renderLogin(reply, { values: kept, errors: { _form: message }, next });
    }
    reply.code(401);
    return renderLogin(reply, { values: kept, errors: { _form: t('organizers.login.mismatch') }, next });
  });

  app.post('/logout', async (request, reply) => {
    if (request.organizer) await auth.logout(request.organizer);
    clearSessionCookie(reply, config);
    return reply.redirect('/login?notice=signed_out', 303);
  });

  // ---- one-time links that set a password: first sign-in (from the CLI) and reset ----------

  for (const purpose of ['signin', 'reset'] as const) {
    /** The password form for a still-valid link (with the form's errors, if any). */
    const passwordForm = async (reply: FastifyReply, token: string, errors: FieldErrors) => {
      const link = await auth.link(token, purpose);
      if (link.state !== 'valid') return linkProblem(reply, link.state, purpose);
      const heading = t(purpose === 'signin' ? 'organizers.setPassword.firstTitle' : 'organizers.setPassword.title');
      return reply.view('organizers/set-password', {
        ...PAGE_DEFAULTS,
        pageTitle: heading,
        heading,
        purpose,
        account: link.organizer,
        action: `/${purpose}/${token}`,
        errors,
      });
    };

    app.get(`/${purpose}/:token`, { schema: { params: tokenParams } }, async (request, reply) =>
      passwordForm(reply, tokenOf(request.params.token), {}),
    );

    app.post(`/${purpose}/:token`, { schema: { params: tokenParams } }, async (request, reply) => {
      const token = tokenOf(request.params.token);
      const form = parseForm(setPasswordSchema, request.body);
      if (!form.ok) {
        reply.code(422);
        return passwordForm(reply, token, form.errors);
      }
      const session = await auth.setPassword(token, purpose, form.value.password);
      if (!session) return linkProblem(reply, 'expired', purpose);
      setSessionCookie(reply, config, session.token, session.expiresAt);
      return reply.redirect('/organize?notice=signed_in', 303);
    });
  }

  // ---- password reset request -----------------------------------------------------------------

  app.get('/reset', async (_request, reply) => {
    return reply.view('organizers/reset-request', { ...PAGE_DEFAULTS, pageTitle: t('organizers.reset.title'), values: {}, errors: {} });
  });

  app.post('/reset', { preHandler: resetLimit }, async (request, reply) => {
    const form = parseForm(resetRequestSchema, request.body);
    if (!form.ok) {
      reply.code(422);
      return reply.view('organizers/reset-request', {
        ...PAGE_DEFAULTS,
        pageTitle: t('organizers.reset.title'),
        values: typedValues(request.body),
        errors: form.errors,
      });
    }
    await auth.requestReset(form.value.email);
    // The same page whether or not the address has an account.
    return reply.view('organizers/reset-sent', { ...PAGE_DEFAULTS, pageTitle: t('organizers.resetSent.title'), email: form.value.email });
  });

  // ---- invitations ----------------------------------------------------------------------------

  async function renderInvite(reply: FastifyReply, token: string, errors: FieldErrors = {}, values: Record<string, string> = {}) {
    const link = await auth.link(token, 'invite');
    if (link.state !== 'valid') return linkProblem(reply, link.state, 'invite');
    const role = link.token.role ?? 'editor';
    const collectiveName = link.collectiveName ?? t('organizers.invite.aCollective');
    return reply.view('organizers/invite', {
      ...PAGE_DEFAULTS,
      pageTitle: t('organizers.invite.title', { collective: collectiveName }),
      collectiveName,
      email: link.token.email,
      role: roleLabel(role),
      roleDescription: roleDescription(role),
      existing: link.organizer !== null,
      action: `/invite/${token}`,
      errors,
      values,
    });
  }

  app.get('/invite/:token', { schema: { params: tokenParams } }, async (request, reply) =>
    renderInvite(reply, tokenOf(request.params.token)),
  );

  app.post('/invite/:token', { schema: { params: tokenParams } }, async (request, reply) => {
    const token = tokenOf(request.params.token);
    const link = await auth.link(token, 'invite');
    if (link.state !== 'valid') return linkProblem(reply, link.state, 'invite');
    if (link.organizer) {
      const outcome = await auth.acceptInvite(token, null);
      if (outcome.kind === 'unusable') return linkProblem(reply, 'expired', 'invite');
      const signedInAsInvitee = request.organizer?.id === link.organizer.id;
      return reply.redirect(signedInAsInvitee ? '/organize?notice=joined' : '/login?notice=joined', 303);
    }
    const form = parseForm(newAccountSchema, request.body);
    if (!form.ok) {
      reply.code(422);
      return renderInvite(reply, token, form.errors, { name: typedValues(request.body).name ?? '' });
    }
    const outcome = await auth.acceptInvite(token, { name: form.value.name, password: form.value.password });
    if (outcome.kind === 'unusable') return linkProblem(reply, 'expired', 'invite');
    if (outcome.kind === 'joined_existing') return reply.redirect('/login?notice=joined', 303);
    setSessionCookie(reply, config, outcome.session.token, outcome.session.expiresAt);
    return reply.redirect('/organize?notice=joined', 303);
  });
};
