// The moderators' digest: a background job (every few minutes, once across all processes) mails
// each moderator and owner who wants it when signatures were held in their collective since its
// last digest, at most once an hour per collective, with how many wait on each letter and why.
// Mail goes through the outbox as a template and its data; the worker renders it.
import { DIGEST_INTERVAL_MS, DIGEST_SETTLE_MS, digestDue, waitingSummary } from '../domain/hold-digest.js';
import type { MailData, MailLocale, QueuedMail } from '../mail/templates.js';
import type { DigestRepo } from './digest-repo.js';
import { DIGEST_ROLES } from './digest-repo.js';
import type { Membership, SignedInOrganizer } from './session-repo.js';

/** How often the job looks; a digest waits at most this much longer than the hour. */
export const DIGEST_JOB_EVERY_MS = 5 * 60_000;

export interface DigestChoice {
  membership: Membership;
  /** The role moderates: the digest is offered. */
  offered: boolean;
  on: boolean;
}

export class ModerationDigest {
  constructor(
    private readonly deps: {
      repo: DigestRepo;
      now: () => Date;
      mailQueued: () => void;
    },
  ) {}

  /** One run of the job: returns how many collectives were mailed. */
  async run(): Promise<number> {
    const { repo, now: clock } = this.deps;
    const now = clock();
    const settledAt = new Date(now.getTime() - DIGEST_SETTLE_MS);
    let mailed = 0;
    for (const collective of await repo.due(new Date(now.getTime() - DIGEST_INTERVAL_MS), settledAt)) {
      if (!digestDue(collective.digestedAt, now)) continue;
      const { letterIds, lastEventId } = await repo.heldSince(collective.id, collective.digestedEventId, settledAt);
      const letters = (await repo.waiting(letterIds))
        .map((l) => ({ id: l.id, title: l.title, ...waitingSummary(l.byReason) }))
        .filter((l) => l.total > 0);
      if (letters.length === 0) {
        // Held since, but decided already: nothing to say; later holds are measured from here.
        await repo.record(collective, { mailedAt: null, lastEventId, mails: [] }, now);
        continue;
      }
      const recipients = await repo.recipients(collective.id);
      const mails: QueuedMail<'moderation_digest'>[] = recipients.map((r) => ({
        kind: 'moderation_digest',
        to: r.email,
        data: {
          locale: r.language,
          name: r.name,
          collective: collective.name,
          letters: letters.map((l) => ({
            id: l.id,
            title: l.title,
            total: l.total,
            reasons: l.reasons.map(({ reason, label, count }) => ({ reason, label, count })),
          })),
          minutes: DIGEST_INTERVAL_MS / 60_000,
        } satisfies MailData['moderation_digest'] & MailLocale,
      }));
      // Recorded even when every member has turned it off: the hour and the watermark still move.
      if (await repo.record(collective, { mailedAt: now, lastEventId, mails }, now)) {
        mailed++;
        if (mails.length > 0) this.deps.mailQueued();
      }
    }
    return mailed;
  }

  /** The member's choice per collective, for their account page. */
  async choices(organizer: SignedInOrganizer): Promise<DigestChoice[]> {
    const stored = await this.deps.repo.choices(organizer.id);
    return organizer.memberships.map((membership) => ({
      membership,
      offered: DIGEST_ROLES.includes(membership.role),
      on: stored.get(membership.collectiveId) ?? true,
    }));
  }

  /**
   * Turns the digest on for the collectives in `wanted` and off for the member's other collectives
   * where it is offered (a checkbox left unticked sends nothing). Returns how many changed.
   */
  async choose(organizer: SignedInOrganizer, wanted: ReadonlySet<number>): Promise<number> {
    const choices = new Map<number, boolean>();
    for (const m of organizer.memberships) {
      if (DIGEST_ROLES.includes(m.role)) choices.set(m.collectiveId, wanted.has(m.collectiveId));
    }
    return this.deps.repo.choose(organizer.id, choices, this.deps.now());
  }
}
