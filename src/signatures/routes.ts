// The signer's journey in HTML: sign, check your email, confirm, thank you, withdraw.
// Links in mail only ever show a page; changing anything takes a POST from that page, so mail
// scanners that follow links cannot confirm or withdraw for people.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import { suggestEmail } from '../domain/email-suggestion.js';
import { checkFormStamp } from '../domain/form-stamp.js';
import { isSignable, signingEndedAt } from '../domain/letter-rules.js';
import { openSentTo, SENT_TO_COOKIE, SENT_TO_MAX_AGE_MS, sealSentTo } from '../domain/sent-to.js';
import { shareLinks } from '../domain/share-links.js';
import { isConfirmed } from '../domain/signature-lifecycle.js';
import { isWellFormedToken } from '../domain/tokens.js';
import { ValidationFailed } from '../errors.js';
import { slugParams, tokenParams } from '../http/params.js';
import { currentTranslator, withLocale } from '../i18n/context.js';
import { isLocale, type Locale } from '../i18n/locales.js';
import type { Translator } from '../i18n/translator.js';
import type { LetterPage, SignFormState } from '../letters/letter-page.js';
import type { LetterWithCollective, PublicLetters } from '../letters/public-letters.js';
import type { RateLimits } from '../plugins/security.js';
import type { SignService } from './sign-service.js';
import { type FieldErrors, parseSignatureInput, SIGN_BODY_LIMIT, translateFieldErrors } from './signature-input.js';

type FormBody = Record<string, unknown>;

function formValues(body: FormBody) {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  return {
    name: text('name'),
    email: text('email'),
    title: text('title'),
    organisation: text('organisation'),
    country: text('country'),
    comment: text('comment'),
    public: ticked(body.public),
    updates: ticked(body.updates),
  };
}

/** A ticked checkbox sends its value ("on"); an unticked one sends nothing. */
const ticked = (value: unknown) => typeof value === 'string' && ['on', 'true', '1', 'yes'].includes(value);

/** A link's token when it has the shape of one of ours (else the link is simply not recognised). */
const ourToken = (token: string): string | null => (isWellFormedToken(token) ? token : null);

/** The form as sent: any fields, read as text; what they mean is parseSignatureInput's job. */
const formBody = z.record(z.string(), z.unknown()).catch({});

/** The language and version of the text the page showed (hidden fields); anything odd is left out. */
const shownText = z.object({
  language: z.string().max(10).optional().catch(undefined),
  version: z.coerce.number().int().positive().optional().catch(undefined),
});

/** Page titles and notices are written in the request's language (i18n/context.ts). */
const t: Translator['t'] = (key, values) => currentTranslator().t(key, values);

export interface SignatureRouteServices {
  signing: SignService;
  letters: PublicLetters;
  letterPage: LetterPage;
  config: Config;
  now: () => Date;
  limits: RateLimits;
}

export const signatureRoutes: FastifyPluginAsync<SignatureRouteServices> = async (root, services) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { signing, letters, letterPage, config, limits } = services;

  /**
   * The letter page again, with the form as this person sent it, in the language the form was
   * shown in (its hidden `lang`), whatever this request's cookie or headers say.
   */
  async function formPage(reply: FastifyReply, slug: string, locale: Locale, form: SignFormState & { errors?: FieldErrors }) {
    const letter = await letters.publicLetter(slug);
    reply.code(422);
    const html = await withLocale(locale, () =>
      letterPage.html(letter, { ...form, errors: form.errors && translateFieldErrors(form.errors, currentTranslator()) }),
    );
    return reply.type('text/html; charset=utf-8').send(html);
  }

  app.post(
    '/letters/:slug/sign',
    // A form that comes back is the letter page again, with its text's images.
    {
      bodyLimit: SIGN_BODY_LIMIT,
      preHandler: limits.sign,
      config: { securityHeaders: 'letter' },
      schema: { params: slugParams, body: formBody },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const body: FormBody = request.body;
      // The page comes back, if it must, in the language it was shown in.
      request.useLetterLanguage((await letters.publicLetter(slug)).language);
      const values = formValues(body);
      const checkEmail = `/letters/${slug}/signed`;

      // Only a filled hidden field (which people never see) gets the silent answer.
      if (typeof body.website === 'string' && body.website.trim() !== '') {
        await letters.publicLetter(slug);
        request.log.info({ slug }, 'signing form rejected: honeypot filled');
        return reply.redirect(checkEmail, 303);
      }

      const locale = isLocale(body.lang) ? body.lang : request.locale;
      // The answer to "Did you mean …?": the suggested address in one tap (unless the field was
      // edited since), or the address as typed, confirmed.
      const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string).trim() : null);
      const typed = values.email?.trim() ?? '';
      const useSuggested = text('use_email') !== null && text('email_suggested_for') === typed;
      if (useSuggested) values.email = text('use_email') as string;
      const emailChecked = useSuggested || (typed !== '' && text('email_checked') === typed);

      const parsed = parseSignatureInput(values);
      const stamp = checkFormStamp(config.SESSION_SECRET, body.started, slug, services.now().getTime(), config.SIGN_MIN_FILL_MS);
      if (stamp.result !== 'ok' || !parsed.ok) {
        // Too quick, stale or without a genuine stamp: maybe a bot, maybe a person with autofill.
        // Either way the page comes back with what they typed and asks them to send it again;
        // a quick person keeps their stamp, so the second press goes through.
        if (stamp.result !== 'ok') request.log.info({ slug, stamp: stamp.result }, 'signing form sent back to be confirmed');
        return formPage(reply, slug, locale, {
          values,
          errors: parsed.ok ? {} : parsed.errors,
          notice:
            stamp.result === 'ok'
              ? undefined
              : withLocale(locale, () => (stamp.result === 'expired' ? t('site.sign.notice.tooOld') : t('site.sign.notice.pressAgain'))),
          formStamp: stamp.result === 'too_fast' ? String(body.started) : undefined,
        });
      }
      const suggested = emailChecked ? null : suggestEmail(parsed.value.email);
      if (suggested) {
        // Nothing is stored yet: the form comes back as sent, asking which address was meant.
        return formPage(reply, slug, locale, {
          values,
          emailSuggestion: { typed: parsed.value.email, suggested },
          formStamp: String(body.started),
        });
      }
      try {
        await signing.sign(slug, parsed.value, { ip: request.ip, locale, shown: shownText.parse(body) });
      } catch (error) {
        if (error instanceof ValidationFailed && error.fields) return formPage(reply, slug, locale, { values, errors: error.fields });
        throw error;
      }
      const sealed = sealSentTo(config.SESSION_SECRET, slug, parsed.value.email, services.now().getTime());
      reply.header(
        'set-cookie',
        `${SENT_TO_COOKIE}=${sealed}; Path=${checkEmail}; Max-Age=${SENT_TO_MAX_AGE_MS / 1000}; HttpOnly; SameSite=Lax${config.https ? '; Secure' : ''}`,
      );
      return reply.redirect(checkEmail, 303);
    },
  );

  app.get('/letters/:slug/signed', { schema: { params: slugParams } }, async (request, reply) => {
    const letter = await letters.publicLetter(request.params.slug);
    // Shown only to the browser that signed (the cookie set with the redirect); never stored on the way.
    const sentTo = openSentTo(
      config.SESSION_SECRET,
      letter.slug,
      cookieValue(request.headers.cookie, SENT_TO_COOKIE),
      services.now().getTime(),
    );
    reply.header('cache-control', 'no-store');
    return reply.view('signatures/check-email', { letter, sentTo, pageTitle: t('site.checkEmail.title'), noindex: true });
  });

  app.get('/verify/:token', { schema: { params: tokenParams } }, async (request, reply) => {
    const token = ourToken(request.params.token);
    if (!token) return linkProblem(reply, 'unknown');
    const found = await signing.peek(token, 'verify');
    if (found.state === 'unknown' || !found.letter) return linkProblem(reply, 'unknown');
    const status = found.signature.status;
    if (isConfirmed(status)) {
      return thanks(reply, found.letter, { status, already: true, withdrawToken: found.withdrawToken, token });
    }
    if (status !== 'pending') return linkProblem(reply, 'inactive', found.letter);
    if (found.state !== 'valid') return linkProblem(reply, 'expired', found.letter, token);
    return reply.view('signatures/confirm', { letter: found.letter, token, pageTitle: t('site.confirm.eyebrow'), noindex: true });
  });

  app.post(
    '/verify/:token',
    { bodyLimit: SIGN_BODY_LIMIT, preHandler: limits.links, schema: { params: tokenParams } },
    async (request, reply) => {
      const token = ourToken(request.params.token);
      if (!token) return linkProblem(reply, 'unknown');
      const { outcome, letter } = await signing.confirm(token);
      if (outcome.kind === 'unknown' || !letter) return linkProblem(reply, 'unknown');
      if (outcome.kind === 'expired') return linkProblem(reply, 'expired', letter, token);
      if (outcome.kind === 'inactive') return linkProblem(reply, 'inactive', letter);
      return thanks(reply, letter, {
        status: outcome.status,
        already: outcome.kind === 'already',
        withdrawToken: outcome.withdrawToken,
        token,
      });
    },
  );

  app.post(
    '/verify/:token/resend',
    { bodyLimit: SIGN_BODY_LIMIT, preHandler: limits.resend, schema: { params: tokenParams } },
    async (request, reply) => {
      const token = ourToken(request.params.token);
      if (!token) return linkProblem(reply, 'unknown');
      const letter = await signing.resend(token, request.locale);
      if (!letter) return linkProblem(reply, 'unknown');
      return reply.redirect(`/letters/${letter.slug}/signed`, 303);
    },
  );

  app.get('/withdraw/:token', { schema: { params: tokenParams } }, async (request, reply) => {
    const token = ourToken(request.params.token);
    if (!token) return linkProblem(reply, 'unknown');
    const found = await signing.peek(token, 'withdraw');
    if (found.state === 'unknown' || !found.letter) return linkProblem(reply, 'unknown');
    if (found.signature.status === 'withdrawn') {
      return reply.view('signatures/withdrawn', { letter: found.letter, pageTitle: t('site.withdrawn.eyebrow'), noindex: true });
    }
    if (found.state === 'expired') return linkProblem(reply, 'withdraw_expired', found.letter);
    return reply.view('signatures/withdraw', { letter: found.letter, token, pageTitle: t('site.withdraw.eyebrow'), noindex: true });
  });

  app.post(
    '/withdraw/:token',
    { bodyLimit: SIGN_BODY_LIMIT, preHandler: limits.links, schema: { params: tokenParams } },
    async (request, reply) => {
      const token = ourToken(request.params.token);
      if (!token) return linkProblem(reply, 'unknown');
      const { outcome, letter } = await signing.withdraw(token);
      if (outcome.kind === 'unknown' || !letter) return linkProblem(reply, 'unknown');
      if (outcome.kind === 'expired') return linkProblem(reply, 'withdraw_expired', letter);
      return reply.view('signatures/withdrawn', { letter, pageTitle: t('site.withdrawn.eyebrow'), noindex: true });
    },
  );

  function thanks(
    reply: FastifyReply,
    letter: LetterWithCollective,
    signer: { status: string; already: boolean; withdrawToken: string | null; token: string },
  ) {
    const now = services.now();
    const url = `${config.PUBLIC_URL}/letters/${letter.slug}`;
    const late = signer.status === 'late';
    return reply.view('signatures/thanks', {
      letter,
      held: signer.status === 'held',
      late,
      already: signer.already,
      endedAt: late ? signingEndedAt(letter, now) : null,
      withdrawUrl: signer.withdrawToken ? `/withdraw/${signer.withdrawToken}` : null,
      // A counted signature is in the letter's public log: its receipt proves it (log/receipt-routes.ts).
      receiptUrl: signer.status === 'verified' ? `/verify/${signer.token}/receipt` : null,
      // Asking others to sign makes sense only while they can.
      share: isSignable(letter, now)
        ? shareLinks({ title: letter.title, summary: letter.summary, url, text: t('site.thanks.share.message', { title: letter.title }) })
        : [],
      pageTitle: late ? t('site.thanks.late.pageTitle') : signer.status === 'held' ? t('site.thanks.held.eyebrow') : t('site.thanks.title'),
      noindex: true,
    });
  }
};

type LinkProblem = 'unknown' | 'expired' | 'inactive' | 'withdraw_expired';

/** Friendly pages for links that do not work (any more). */
function linkProblem(reply: FastifyReply, kind: LinkProblem, letter?: LetterWithCollective, token?: string) {
  reply.code(kind === 'unknown' ? 404 : 410);
  return reply.view('signatures/link-problem', { kind, letter, token, pageTitle: t('site.linkProblem.pageTitle'), noindex: true });
}
/** One cookie's value from a Cookie header (public pages do without the cookie plugin). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}
