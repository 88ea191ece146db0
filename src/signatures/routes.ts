// The signer's journey in HTML: sign, check your email, confirm, thank you, withdraw.
// Links in mail only ever show a page; changing anything takes a POST from that page, so mail
// scanners that follow links cannot confirm or withdraw for people.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { checkFormStamp } from '../domain/form-stamp.js';
import { isSignable, signingEndedAt } from '../domain/letter-rules.js';
import { isWellFormedToken } from '../domain/tokens.js';
import { ValidationFailed } from '../errors.js';
import type { LetterWithCollective } from '../letters/letter-repo.js';
import { parseSlug, renderLetterPage } from '../letters/routes.js';
import type { RateLimits } from '../plugins/security.js';
import { parseSignatureInput } from './signature-input.js';

/** Signing forms are small; anything larger is not a person typing. */
export const SIGN_BODY_LIMIT = 16 * 1024;

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
    // A ticked checkbox sends its value ("on"); an unticked one sends nothing.
    public: typeof body.public === 'string' && ['on', 'true', '1', 'yes'].includes(body.public),
  };
}

function tokenParam(request: FastifyRequest): string | null {
  const token = (request.params as { token?: unknown }).token;
  return typeof token === 'string' && isWellFormedToken(token) ? token : null;
}

const PRESS_AGAIN = 'Thank you. To check that a person is signing, please press “Sign this letter” once more: nothing was sent yet.';
const FORM_TOO_OLD = 'This page was open for a long time. Please check your details and press “Sign this letter” again.';

export const signatureRoutes: FastifyPluginAsync<{ deps: Deps; limits: RateLimits }> = async (app, { deps, limits }) => {
  const { signing, config } = deps;

  app.post('/letters/:slug/sign', { bodyLimit: SIGN_BODY_LIMIT, preHandler: limits.sign }, async (request, reply) => {
    const slug = parseSlug(request.params);
    const body = (request.body ?? {}) as FormBody;
    if (typeof body !== 'object' || Array.isArray(body)) throw new ValidationFailed({ name: 'Please fill in the form.' });
    const values = formValues(body);
    const checkEmail = `/letters/${slug}/signed`;

    // Only a filled hidden field (which people never see) gets the silent answer.
    if (typeof body.website === 'string' && body.website.trim() !== '') {
      await signing.publicLetter(slug);
      request.log.info({ slug }, 'signing form rejected: honeypot filled');
      return reply.redirect(checkEmail, 303);
    }

    const parsed = parseSignatureInput(values);
    const stamp = checkFormStamp(config.SESSION_SECRET, body.started, slug, deps.now().getTime(), config.SIGN_MIN_FILL_MS);
    if (stamp.result !== 'ok' || !parsed.ok) {
      // Too quick, stale or without a genuine stamp: maybe a bot, maybe a person with autofill.
      // Either way the page comes back with what they typed and asks them to send it again;
      // a quick person keeps their stamp, so the second press goes through.
      const letter = await signing.publicLetter(slug);
      if (stamp.result !== 'ok') request.log.info({ slug, stamp: stamp.result }, 'signing form sent back to be confirmed');
      reply.code(422);
      return renderLetterPage(deps, reply, letter, {
        values,
        errors: parsed.ok ? {} : parsed.errors,
        notice: stamp.result === 'ok' ? undefined : stamp.result === 'expired' ? FORM_TOO_OLD : PRESS_AGAIN,
        formStamp: stamp.result === 'too_fast' ? String(body.started) : undefined,
      });
    }
    try {
      await signing.sign(slug, parsed.value, { ip: request.ip });
    } catch (error) {
      if (error instanceof ValidationFailed && error.fields) {
        const letter = await signing.publicLetter(slug);
        reply.code(422);
        return renderLetterPage(deps, reply, letter, { values, errors: error.fields });
      }
      throw error;
    }
    return reply.redirect(checkEmail, 303);
  });

  app.get('/letters/:slug/signed', async (request, reply) => {
    const letter = await signing.publicLetter(parseSlug(request.params));
    return reply.view('signatures/check-email', { letter, pageTitle: 'Check your email', noindex: true });
  });

  app.get('/verify/:token', async (request, reply) => {
    const token = tokenParam(request);
    if (!token) return linkProblem(reply, 'unknown');
    const found = await signing.peek(token, 'verify');
    if (found.state === 'unknown' || !found.letter) return linkProblem(reply, 'unknown');
    const status = found.signature.status;
    if (status === 'verified' || status === 'held' || status === 'late') {
      return thanks(reply, found.letter, { status, already: true, withdrawToken: found.withdrawToken });
    }
    if (status !== 'pending') return linkProblem(reply, 'inactive', found.letter);
    if (found.state !== 'valid') return linkProblem(reply, 'expired', found.letter, token);
    return reply.view('signatures/confirm', { letter: found.letter, token, pageTitle: 'Confirm your signature', noindex: true });
  });

  app.post('/verify/:token', { bodyLimit: SIGN_BODY_LIMIT, preHandler: limits.links }, async (request, reply) => {
    const token = tokenParam(request);
    if (!token) return linkProblem(reply, 'unknown');
    const { outcome, letter } = await signing.confirm(token);
    if (outcome.kind === 'unknown' || !letter) return linkProblem(reply, 'unknown');
    if (outcome.kind === 'expired') return linkProblem(reply, 'expired', letter, token);
    if (outcome.kind === 'inactive') return linkProblem(reply, 'inactive', letter);
    return thanks(reply, letter, { status: outcome.status, already: outcome.kind === 'already', withdrawToken: outcome.withdrawToken });
  });

  app.post('/verify/:token/resend', { bodyLimit: SIGN_BODY_LIMIT, preHandler: limits.resend }, async (request, reply) => {
    const token = tokenParam(request);
    if (!token) return linkProblem(reply, 'unknown');
    const letter = await signing.resend(token);
    if (!letter) return linkProblem(reply, 'unknown');
    return reply.redirect(`/letters/${letter.slug}/signed`, 303);
  });

  app.get('/withdraw/:token', async (request, reply) => {
    const token = tokenParam(request);
    if (!token) return linkProblem(reply, 'unknown');
    const found = await signing.peek(token, 'withdraw');
    if (found.state === 'unknown' || !found.letter) return linkProblem(reply, 'unknown');
    if (found.signature.status === 'withdrawn') {
      return reply.view('signatures/withdrawn', { letter: found.letter, pageTitle: 'Signature withdrawn', noindex: true });
    }
    if (found.state === 'expired') return linkProblem(reply, 'withdraw_expired', found.letter);
    return reply.view('signatures/withdraw', { letter: found.letter, token, pageTitle: 'Withdraw your signature', noindex: true });
  });

  app.post('/withdraw/:token', { bodyLimit: SIGN_BODY_LIMIT, preHandler: limits.links }, async (request, reply) => {
    const token = tokenParam(request);
    if (!token) return linkProblem(reply, 'unknown');
    const { outcome, letter } = await signing.withdraw(token);
    if (outcome.kind === 'unknown' || !letter) return linkProblem(reply, 'unknown');
    if (outcome.kind === 'expired') return linkProblem(reply, 'withdraw_expired', letter);
    return reply.view('signatures/withdrawn', { letter, pageTitle: 'Signature withdrawn', noindex: true });
  });

  function thanks(
    reply: FastifyReply,
    letter: LetterWithCollective,
    signer: { status: string; already: boolean; withdrawToken: string | null },
  ) {
    const now = deps.now();
    const url = `${config.PUBLIC_URL}/letters/${letter.slug}`;
    const late = signer.status === 'late';
    return reply.view('signatures/thanks', {
      letter,
      held: signer.status === 'held',
      late,
      already: signer.already,
      endedAt: late ? signingEndedAt(letter, now) : null,
      withdrawUrl: signer.withdrawToken ? `/withdraw/${signer.withdrawToken}` : null,
      // Asking others to sign makes sense only while they can.
      share: isSignable(letter, now) ? shareLinks(url, letter.title) : [],
      pageTitle: late ? 'Signing has closed' : signer.status === 'held' ? 'Signature received' : 'Thank you for signing',
      noindex: true,
    });
  }
};

type LinkProblem = 'unknown' | 'expired' | 'inactive' | 'withdraw_expired';

/** Friendly pages for links that do not work (any more). */
function linkProblem(reply: FastifyReply, kind: LinkProblem, letter?: LetterWithCollective, token?: string) {
  reply.code(kind === 'unknown' ? 404 : 410);
  return reply.view('signatures/link-problem', { kind, letter, token, pageTitle: 'This link does not work', noindex: true });
}
function shareLinks(url: string, title: string) {
  const text = `I signed "${title}".`;
  const e = encodeURIComponent;
  return [
    { label: 'Bluesky', href: `https://bsky.app/intent/compose?text=${e(`${text} ${url}`)}` },
    { label: 'Mastodon', href: `https://mastodonshare.com/?text=${e(text)}&url=${e(url)}` },
    { label: 'X', href: `https://x.com/intent/post?text=${e(text)}&url=${e(url)}` },
    { label: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${e(url)}` },
    { label: 'Email', href: `mailto:?subject=${e(title)}&body=${e(`${text}\n\n${url}`)}` },
  ];
}
