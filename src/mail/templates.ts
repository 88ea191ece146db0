// The mail the site sends. A queued row holds only a template's name and its data (tokens, not
// links): the outbox worker renders it after the transaction that queued it has committed, so a
// signing transaction contains SQL and nothing else.
import type { Eta } from 'eta';
import { currentTranslator, withLocale } from '../i18n/context.js';
import { DEFAULT_LOCALE, isLocale } from '../i18n/locales.js';
import { escapeHtml } from '../i18n/translator.js';

/** Every template's data may name the language to write it in (a Locale; English without). */
export interface MailLocale {
  locale?: string;
}

export interface MailData {
  /** Confirm a signature; the withdrawal link rides along. */
  verify: { name: string; letterTitle: string; letterSlug: string; verifyToken: string; withdrawToken: string };
  /** The address signed already: a reminder and a fresh withdrawal link, never a second signature. */
  already_signed: { name: string; letterTitle: string; letterSlug: string; withdrawToken: string };
  organizer_reset: { name: string; token: string; hours: number };
  organizer_invite: { inviter: string; collective: string; role: string; roleDescription: string; token: string; days: number };
  /** Signatures held for review in a collective since its last digest (organizers/moderation-digest.ts). */
  moderation_digest: {
    name: string;
    collective: string;
    letters: Array<{ id: number; title: string; total: number; reasons: Array<{ label: string; count: number }> }>;
    minutes: number;
  };
  /** Mail rendered before it was queued (rows written by earlier versions of the site). */
  rendered: { subject: string; text: string; html: string; kind?: string };
}

export type MailKind = keyof MailData;

export interface QueuedMail<K extends MailKind = MailKind> {
  kind: K;
  to: string;
  data: MailData[K] & MailLocale;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What a renderer may add to a message besides its text. */
export interface RenderedExtras {
  /**
   * The left-hand side of its Message-ID, when the same message must carry the same id however
   * often it is sent (update mail); otherwise each send gets a random one.
   */
  messageKey?: string;
  /** Further headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
}

/** A rendered message on its way out. */
export interface OutgoingMail extends RenderedMail, RenderedExtras {
  id: number;
  kind: string;
  to: string;
}

/**
 * Each template's subject and view (views/emails/VIEW.eta for HTML, VIEW-text.eta for text).
 * Subjects are called inside the mail's language (renderMail), as the views are.
 */
const TEMPLATES: { [K in Exclude<MailKind, 'rendered'>]: { view: string; subject: (data: MailData[K]) => string } } = {
  verify: { view: 'verify', subject: (d) => currentTranslator().t('mail.verify.subject', { title: d.letterTitle }) },
  already_signed: { view: 'already-signed', subject: (d) => currentTranslator().t('mail.alreadySigned.subject', { title: d.letterTitle }) },
  organizer_reset: { view: 'organizer-reset', subject: () => 'Reset your Undersigned password' },
  organizer_invite: { view: 'organizer-invite', subject: (d) => `${d.inviter} invites you to ${d.collective} on Undersigned` },
  moderation_digest: { view: 'moderation-digest', subject: (d) => `Signatures waiting for review: ${d.collective}` },
};

/** The links a template shows, built from the site's public address and the tokens in the data. */
function links(publicUrl: string, kind: MailKind, data: Record<string, unknown>): Record<string, string> {
  const at = (path: string, token: unknown) => `${publicUrl}/${path}/${String(token)}`;
  switch (kind) {
    case 'verify':
      return {
        letterUrl: at('letters', data.letterSlug),
        verifyUrl: at('verify', data.verifyToken),
        withdrawUrl: at('withdraw', data.withdrawToken),
      };
    case 'already_signed':
      return { letterUrl: at('letters', data.letterSlug), withdrawUrl: at('withdraw', data.withdrawToken) };
    case 'organizer_reset':
      return { url: at('reset', data.token) };
    case 'organizer_invite':
      return { url: at('invite', data.token) };
    case 'moderation_digest':
      return { siteUrl: publicUrl, settingsUrl: `${publicUrl}/organize/account` };
    default:
      return {};
  }
}

export function isMailKind(kind: string): kind is MailKind {
  return kind === 'rendered' || kind in TEMPLATES;
}

/** Renders a queued message. Throws for an unknown template (the row is then retried and kept). */
export function renderMail(eta: Eta, publicUrl: string, mail: { kind: string; data: unknown }): RenderedMail {
  const data = (mail.data ?? {}) as Record<string, unknown>;
  if (mail.kind === 'rendered') {
    const { subject, text, html } = data as MailData['rendered'];
    return { subject, text, html };
  }
  const kind = mail.kind;
  if (!isMailKind(kind)) throw new Error(`unknown mail template "${kind}"`);
  const template = TEMPLATES[mail.kind as Exclude<MailKind, 'rendered'>] as { view: string; subject: (d: unknown) => string };
  // In the language the data names (the signer's page, the organizer's setting); rows queued
  // before there were languages have none, and were English.
  const locale = isLocale(data.locale) ? data.locale : DEFAULT_LOCALE;
  return withLocale(locale, () => {
    const subject = template.subject(data);
    const context = { ...data, ...links(publicUrl, kind, data), subject, escapeHtml };
    return {
      subject,
      html: eta.render(`/emails/${template.view}`, context),
      text: eta.render(`/emails/${template.view}-text`, context),
    };
  });
}
