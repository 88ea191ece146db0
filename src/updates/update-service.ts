// Updates to signers: writing them (editors and owners), testing, sending (which fixes who
// receives it), moving their mail into the outbox in batches, their progress, the public list,
// and leaving with one click. The command line sends through the same methods.
import { renderMarkdown } from '../domain/markdown.js';
import type { UnsubscribeTokens } from '../domain/unsubscribe-token.js';
import { Conflict, NotFound } from '../errors.js';
import { currentTranslator } from '../i18n/context.js';
import type { LetterRepo, LetterWithCollective } from '../letters/letter-repo.js';
import type { LetterAccess } from '../organizers/access.js';
import type { SignedInOrganizer } from '../organizers/session-repo.js';
import type { AuditContext, LetterUpdate, PublicUpdate, UpdateDraft, UpdateRepo } from './update-repo.js';

export type { LetterUpdate, PublicUpdate, UpdateDraft };

/** Mail queued per batch: one unit of work each, small enough to stay short at any size. */
export const FAN_OUT_BATCH = 500;
/** A job run queues at most this many batches (the next run, a second later, goes on). */
const BATCHES_PER_RUN = 20;
/** Updates on the letter page and in its feed. */
const PUBLIC_UPDATES_SHOWN = 20;

export interface UpdateServiceDeps {
  repo: UpdateRepo;
  letters: LetterRepo;
  tokens: UnsubscribeTokens;
  now: () => Date;
  /** UPDATES_PER_SECOND: the queue is kept a few seconds ahead of the sending. */
  perSecond: number;
  /** Called once an update is sending, so its first batch is queued without waiting for the job. */
  sendingStarted: () => void;
  /** Called after mail was queued, so the outbox worker sends it without waiting for its timer. */
  mailQueued: () => void;
}

/** An update as the organizer sees it, with its progress. */
export interface UpdateView extends LetterUpdate {
  progress: { total: number; sent: number; unsent: number; waiting: number; percent: number } | null;
}

export type PublicUpdateView = PublicUpdate & { html: string };

export class UpdateService {
  private readonly htmlById = new Map<number, { source: string; html: string }>();

  constructor(private readonly deps: UpdateServiceDeps) {}

  // ---- organizers ------------------------------------------------------------------------------

  async list(entry: LetterAccess): Promise<UpdateView[]> {
    return (await this.deps.repo.list(entry.letter.id)).map(withProgress);
  }

  async find(entry: LetterAccess, id: number): Promise<UpdateView> {
    const update = await this.deps.repo.find(entry.letter.id, id);
    if (!update) throw new NotFound(currentTranslator().t('organizers.error.updateNotFound'));
    return withProgress(update);
  }

  /** How many would receive an update of this letter if it were sent now. */
  recipientCount(letterId: number): Promise<number> {
    return this.deps.repo.recipientCount(letterId);
  }

  create(entry: LetterAccess, organizer: SignedInOrganizer | null, draft: UpdateDraft): Promise<LetterUpdate> {
    const now = this.deps.now();
    return this.deps.repo.create(entry.letter.id, draft, organizer?.id ?? null, now, auditOf(entry.letter, organizer, now));
  }

  async edit(entry: LetterAccess, organizer: SignedInOrganizer, id: number, draft: UpdateDraft): Promise<LetterUpdate> {
    const update = await this.draft(entry, id);
    const now = this.deps.now();
    const saved = await this.deps.repo.edit(update, draft, now, auditOf(entry.letter, organizer, now));
    if (!saved) throw alreadySent();
    return saved;
  }

  /** Mails the draft as it is to the organizer alone, marked as a test. */
  async sendTest(entry: LetterAccess, organizer: SignedInOrganizer, id: number): Promise<void> {
    const update = await this.deps.repo.find(entry.letter.id, id);
    if (!update) throw new NotFound(currentTranslator().t('organizers.error.updateNotFound'));
    const now = this.deps.now();
    await this.deps.repo.queueTest(update, organizer.email, organizer.language, now, auditOf(entry.letter, organizer, now));
    this.deps.mailQueued();
  }

  /**
   * Sends a draft to everyone who receives updates now. The recipients are fixed here; their
   * mail is queued by the fan-out job and sent by the outbox workers.
   */
  async send(entry: Pick<LetterAccess, 'letter'>, organizer: SignedInOrganizer | null, id: number): Promise<LetterUpdate> {
    const update = await this.draft(entry, id);
    const now = this.deps.now();
    const sending = await this.deps.repo.startSending(update, now, auditOf(entry.letter, organizer, now));
    if (!sending) throw alreadySent();
    this.deps.sendingStarted();
    return sending;
  }

  /** The command line's send: a new update for the letter at `slug`, sent at once (no organizer). */
  async sendNew(slug: string, draft: UpdateDraft): Promise<LetterUpdate> {
    const letter = await this.deps.letters.findBySlug(slug);
    if (!letter) throw new NotFound(`No letter with the address "${slug}".`);
    const entry = { letter };
    const now = this.deps.now();
    const created = await this.deps.repo.create(letter.id, draft, null, now, auditOf(letter, null, now));
    return this.send(entry, null, created.id);
  }

  private async draft(entry: Pick<LetterAccess, 'letter'>, id: number): Promise<LetterUpdate> {
    const update = await this.deps.repo.find(entry.letter.id, id);
    if (!update) throw new NotFound(currentTranslator().t('organizers.error.updateNotFound'));
    if (update.status !== 'draft') throw alreadySent();
    return update;
  }

  // ---- the fan-out job -------------------------------------------------------------------------

  /**
   * Moves every sending update forward: queues batches while its queue is short (a few seconds
   * of sending ahead), and marks it sent once all its mail went. Safe to run anywhere at any
   * time: a batch is queued once, whoever runs it.
   */
  async fanOut(): Promise<void> {
    const ahead = Math.max(FAN_OUT_BATCH, this.deps.perSecond * 10);
    for (const update of await this.deps.repo.sending()) {
      let waiting = update.queuedCount - update.sentCount - update.unsentCount;
      for (let batch = 0; batch < BATCHES_PER_RUN && update.queuedAt === null && waiting < ahead; batch++) {
        const queued = await this.deps.repo.queueNextBatch(update.id, FAN_OUT_BATCH, this.deps.now());
        if (queued === null) break;
        waiting += queued;
        if (queued > 0) this.deps.mailQueued();
      }
      await this.deps.repo.finishIfDone(update.id, this.deps.now());
    }
  }

  // ---- the public ------------------------------------------------------------------------------

  /** Sent updates that are not for signers only, newest first, with their text as sanitized HTML. */
  async publicUpdates(letterId: number): Promise<PublicUpdateView[]> {
    const updates = await this.deps.repo.publicUpdates(letterId, PUBLIC_UPDATES_SHOWN);
    return updates.map((update) => ({ ...update, html: this.html(update) }));
  }

  /** What the unsubscribe page shows for a link: its letter, or null for a link that is not ours. */
  async unsubscribeTarget(token: string): Promise<{ letter: LetterWithCollective; unsubscribed: boolean } | null> {
    const signatureId = this.deps.tokens.signatureOf(token);
    const found = signatureId === null ? null : await this.deps.repo.signatureLetter(signatureId);
    const letter = found && (await this.deps.letters.findById(found.letterId));
    return letter ? { letter, unsubscribed: found.unsubscribed } : null;
  }

  /** One click: no more updates of this letter to this signature, which still counts. */
  async unsubscribe(token: string): Promise<LetterWithCollective | null> {
    const signatureId = this.deps.tokens.signatureOf(token);
    const done = signatureId === null ? null : await this.deps.repo.unsubscribe(signatureId, this.deps.now());
    return (done && (await this.deps.letters.findById(done.letterId))) ?? null;
  }

  private html(update: PublicUpdate): string {
    const cached = this.htmlById.get(update.id);
    if (cached?.source === update.bodyMd) return cached.html;
    const html = renderMarkdown(update.bodyMd);
    this.htmlById.set(update.id, { source: update.bodyMd, html });
    return html;
  }
}

function withProgress(update: LetterUpdate): UpdateView {
  if (update.status === 'draft' || update.recipientTotal === null) return { ...update, progress: null };
  const total = update.recipientTotal;
  const done = update.sentCount + update.unsentCount;
  return {
    ...update,
    progress: {
      total,
      sent: update.sentCount,
      unsent: update.unsentCount,
      waiting: Math.max(0, total - done),
      percent: total === 0 ? 100 : Math.min(100, Math.floor((done / total) * 100)),
    },
  };
}

function auditOf(letter: LetterWithCollective, organizer: SignedInOrganizer | null, at: Date): AuditContext {
  return { collectiveId: letter.collectiveId, letterId: letter.id, organizerId: organizer?.id ?? null, at };
}

function alreadySent(): Conflict {
  return new Conflict(currentTranslator().t('organizers.error.updateSent'), 'update_sent');
}
