// How update mail leaves: its rendering (once per update, then only the recipient's unsubscribe
// link changes), its headers (RFC 8058 one-click unsubscribe, a Message-ID that is the same for
// the same update and signature however often it is sent), the bulk lane's budget, and what the
// outbox records with each outcome (progress, and addresses that refuse mail).
import type { Eta } from 'eta';
import type { Db } from '../db/store.js';
import { emailKey } from '../domain/email-key.js';
import { renderMarkdown } from '../domain/markdown.js';
import { markdownToText } from '../domain/markdown-text.js';
import type { UnsubscribeTokens } from '../domain/unsubscribe-token.js';
import { consentLocale } from '../domain/update-consent.js';
import { currentTranslator, withLocale } from '../i18n/context.js';
import type { Locale } from '../i18n/locales.js';
import { escapeHtml } from '../i18n/translator.js';
import type { OutboxRow } from '../mail/outbox-repo.js';
import type { BulkMail, MailRenderer } from '../mail/outbox-worker.js';
import type { RenderedExtras, RenderedMail } from '../mail/templates.js';
import type { SendBudget } from './send-budget.js';
import { UPDATE_KIND, UPDATE_TEST_KIND, type UpdateForMail, type UpdateRepo } from './update-repo.js';

export interface UpdateDeliveryDeps {
  repo: UpdateRepo;
  eta: Eta;
  publicUrl: string;
  tokens: UnsubscribeTokens;
  budget: SendBudget;
}

/** An update's mail with a placeholder where each recipient's token goes. */
interface Rendered {
  subject: string;
  html: string[];
  text: string[];
}

/** Updates being sent are kept rendered; a process sends a handful at a time at most. */
const RENDERED_KEPT = 16;
// Letters and digits only, so escaping leaves it intact wherever the template prints it.
const TOKEN_PLACEHOLDER = `UNSUBSCRIBETOKEN${Math.random().toString(36).slice(2)}X`;

export class UpdateDelivery {
  private readonly rendered = new Map<string, Promise<Rendered | null>>();

  constructor(private readonly deps: UpdateDeliveryDeps) {}

  /** Renderers for the outbox worker, by kind. */
  get renderers(): Record<string, MailRenderer> {
    return { [UPDATE_KIND]: (row) => this.renderForSigner(row), [UPDATE_TEST_KIND]: (row) => this.renderTest(row) };
  }

  /** The outbox worker's bulk lane. */
  get bulk(): BulkMail {
    const { repo, budget } = this.deps;
    return {
      perRound: budget.perSecond,
      take: () => budget.take(),
      sentTx: (tx, row) => (row.updateId === null ? Promise.resolve() : repo.countTx(tx, row.updateId, 'sent')),
      givenUpTx: (tx, row) => (row.updateId === null ? Promise.resolve() : repo.countTx(tx, row.updateId, 'unsent')),
    };
  }

  /** A recipient's server refused the address for good (any mail): no more updates to it. */
  async recipientRefusedTx(tx: Db, row: OutboxRow, reason: string, now: Date): Promise<void> {
    const key = emailKey(row.to);
    if (key) await this.deps.repo.suppressTx(tx, key, reason, now);
  }

  private async renderForSigner(row: OutboxRow): Promise<(RenderedMail & RenderedExtras) | null> {
    if (row.updateId === null || row.signatureId === null) throw new Error(`update mail ${row.id} names no update or signature`);
    // Who unsubscribed, withdrew or refused mail since the batch was queued is not mailed.
    const consent = await this.deps.repo.recipientConsent(row.signatureId);
    if (!consent) return null;
    // The words around the update in the language the signer consented in (the update's own
    // text is the organizers').
    const rendered = await this.renderedUpdate(row.updateId, consentLocale(consent.wording));
    if (!rendered) throw new Error(`update ${row.updateId} not found`);
    const token = this.deps.tokens.tokenFor(row.signatureId);
    const unsubscribeUrl = `${this.deps.publicUrl}/unsubscribe/${token}`;
    return {
      subject: rendered.subject,
      html: rendered.html.join(token),
      text: rendered.text.join(token),
      messageKey: `update-${row.updateId}-${row.signatureId}`,
      headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  }

  /** An organizer's test: the draft as it is now, marked as a test, with no working unsubscribe link. */
  private async renderTest(row: OutboxRow): Promise<RenderedMail | null> {
    const { updateId } = JSON.parse(row.data) as { updateId?: number };
    const update = typeof updateId === 'number' ? await this.deps.repo.forMail(updateId) : undefined;
    if (!update) return null;
    const mail = this.render(update, true);
    return { subject: mail.subject, html: mail.html.join(''), text: mail.text.join('') };
  }

  /** Sending updates do not change: each is rendered once per process and language, and kept. */
  private renderedUpdate(updateId: number, locale: Locale): Promise<Rendered | null> {
    const key = `${updateId}:${locale}`;
    let entry = this.rendered.get(key);
    if (!entry) {
      entry = this.deps.repo.forMail(updateId).then((update) => (update ? withLocale(locale, () => this.render(update, false)) : null));
      entry.catch(() => this.rendered.delete(key));
      if (this.rendered.size >= RENDERED_KEPT) this.rendered.delete(this.rendered.keys().next().value as string);
      this.rendered.set(key, entry);
    }
    return entry;
  }

  private render(update: UpdateForMail, test: boolean): Rendered {
    const subject = test ? currentTranslator().t('mail.update.testSubject', { subject: update.subject }) : update.subject;
    const context = {
      escapeHtml,
      subject,
      updateSubject: update.subject,
      letterTitle: update.letterTitle,
      letterUrl: `${this.deps.publicUrl}/letters/${update.letterSlug}`,
      bodyHtml: renderMarkdown(update.bodyMd),
      bodyText: markdownToText(update.bodyMd),
      unsubscribeUrl: `${this.deps.publicUrl}/unsubscribe/${TOKEN_PLACEHOLDER}`,
      test,
    };
    return {
      subject,
      html: this.deps.eta.render('/emails/update', context).split(TOKEN_PLACEHOLDER),
      text: this.deps.eta.render('/emails/update-text', context).split(TOKEN_PLACEHOLDER),
    };
  }
}
