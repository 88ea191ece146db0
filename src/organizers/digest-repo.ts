// The data of the moderators' digest: which collectives had signatures held since their last
// one, who wants it, and recording a digest with its mail in one unit of work (so a collective
// is mailed once per digest whatever the number of processes). Also each member's choice.
import { and, eq, exists, gt, inArray, isNull, lte, max, or, sql } from 'drizzle-orm';
import type { Store, Tables } from '../db/store.js';
import { HOLD_REASONS, type HoldReason, ROLES } from '../db/vocabulary.js';
import type { Locale } from '../i18n/locales.js';
import type { OutboxRepo } from '../mail/outbox-repo.js';
import type { QueuedMail } from '../mail/templates.js';
import type { AuditRepo } from './audit-repo.js';
import { can } from './permissions.js';

/** Roles whose members moderate, and so may get the digest. */
export const DIGEST_ROLES = ROLES.filter((role) => can(role, 'moderate'));

/** Collectives looked at per run; the rest wait for the next run. */
const COLLECTIVES_PER_RUN = 200;

export interface DueCollective {
  id: number;
  name: string;
  digestedAt: Date | null;
  /** The newest signature event the last digest covered (0: none yet). */
  digestedEventId: number;
}

export interface DigestRecipient {
  organizerId: number;
  email: string;
  name: string;
  /** Their mail is written in it. */
  language: Locale;
}

export class DigestRepo {
  private readonly t: Tables;

  constructor(
    private readonly store: Store,
    private readonly outbox: OutboxRepo,
    private readonly audit: AuditRepo,
  ) {
    this.t = store.tables;
  }

  /**
   * Collectives not mailed since `mailedBefore`, with a signature held after their last digest
   * and by `settledAt` (each letter's events are an index range from the last event covered).
   */
  async due(mailedBefore: Date, settledAt: Date): Promise<DueCollective[]> {
    const { collectives: c, letters: l, signatureEvents: e } = this.t;
    const rows = await this.store.db
      .select({ id: c.id, name: c.name, digestedAt: c.digestedAt, digestedEventId: c.digestedEventId })
      .from(c)
      .where(
        and(
          or(isNull(c.digestedAt), lte(c.digestedAt, mailedBefore)),
          exists(
            this.store.db
              .select({ one: sql`1` })
              .from(e)
              .innerJoin(l, eq(l.id, e.letterId))
              .where(
                and(
                  eq(l.collectiveId, c.id),
                  gt(e.id, sql`coalesce(${c.digestedEventId}, 0)`),
                  eq(e.toStatus, 'held'),
                  lte(e.at, settledAt),
                ),
              ),
          ),
        ),
      )
      .orderBy(c.id)
      .limit(COLLECTIVES_PER_RUN);
    return rows.map((r) => ({ ...r, digestedEventId: r.digestedEventId ?? 0 }));
  }

  /**
   * What a digest of this collective covers: the letters with a signature held after event
   * `afterEventId` (and by `settledAt`) that is still held, and the newest such event.
   */
  async heldSince(collectiveId: number, afterEventId: number, settledAt: Date): Promise<{ letterIds: number[]; lastEventId: number }> {
    const { letters: l, signatureEvents: e, signatures: s } = this.t;
    const covered = and(eq(l.collectiveId, collectiveId), gt(e.id, afterEventId), eq(e.toStatus, 'held'), lte(e.at, settledAt));
    const [last] = await this.store.db
      .select({ id: max(e.id) })
      .from(e)
      .innerJoin(l, eq(l.id, e.letterId))
      .where(covered);
    const letters = await this.store.db
      .selectDistinct({ letterId: e.letterId })
      .from(e)
      .innerJoin(l, eq(l.id, e.letterId))
      .innerJoin(s, eq(s.id, e.signatureId))
      .where(and(covered, eq(s.status, 'held')))
      .orderBy(e.letterId);
    return { letterIds: letters.map((r) => r.letterId), lastEventId: Number(last?.id ?? afterEventId) };
  }

  /** Titles and held signatures by reason of these letters (each an index range of held rows). */
  async waiting(letterIds: number[]): Promise<Array<{ id: number; title: string; byReason: Partial<Record<HoldReason, number>> }>> {
    if (letterIds.length === 0) return [];
    const { letters: l, signatures: s } = this.t;
    const titles = await this.store.db.select({ id: l.id, title: l.title }).from(l).where(inArray(l.id, letterIds)).orderBy(l.id);
    const counts = await this.store.db
      .select({ letterId: s.letterId, reason: s.holdReason, n: sql<number>`count(*)`.mapWith(Number) })
      .from(s)
      .where(and(inArray(s.letterId, letterIds), eq(s.status, 'held')))
      .groupBy(s.letterId, s.holdReason);
    return titles.map(({ id, title }) => {
      const byReason: Partial<Record<HoldReason, number>> = {};
      for (const row of counts) {
        if (row.letterId === id && row.reason && HOLD_REASONS.includes(row.reason)) byReason[row.reason] = row.n;
      }
      return { id, title, byReason };
    });
  }

  /** Members who moderate this collective and want the digest. */
  async recipients(collectiveId: number): Promise<DigestRecipient[]> {
    const { memberships: m, organizers: o } = this.t;
    return this.store.db
      .select({ organizerId: o.id, email: o.email, name: o.name, language: o.language })
      .from(m)
      .innerJoin(o, eq(o.id, m.organizerId))
      .where(and(eq(m.collectiveId, collectiveId), inArray(m.role, DIGEST_ROLES), eq(m.moderationDigest, true)))
      .orderBy(o.id);
  }

  /**
   * Records that the collective was digested up to `lastEventId` and queues the mails, in one
   * unit of work, if no one else did since `previousAt` was read. `mailedAt` null moves only the
   * watermark (nothing covered was still held: no mail, and no hour's wait either).
   */
  async record(
    collective: DueCollective,
    update: { mailedAt: Date | null; lastEventId: number; mails: QueuedMail[] },
    now: Date,
  ): Promise<boolean> {
    const c = this.t.collectives;
    return this.store.unitOfWork(async (tx) => {
      const [claimed] = await tx
        .update(c)
        .set({ digestedEventId: update.lastEventId, ...(update.mailedAt ? { digestedAt: update.mailedAt } : {}) })
        .where(
          and(
            eq(c.id, collective.id),
            collective.digestedAt ? eq(c.digestedAt, collective.digestedAt) : isNull(c.digestedAt),
            sql`coalesce(${c.digestedEventId}, 0) = ${collective.digestedEventId}`,
          ),
        )
        .returning({ id: c.id });
      if (!claimed) return false;
      for (const mail of update.mails) await this.outbox.enqueueTx(tx, mail, now);
      return true;
    });
  }

  /** Whether the member wants the digest, per collective they belong to. */
  async choices(organizerId: number): Promise<Map<number, boolean>> {
    const m = this.t.memberships;
    const rows = await this.store.db
      .select({ collectiveId: m.collectiveId, on: m.moderationDigest })
      .from(m)
      .where(eq(m.organizerId, organizerId));
    return new Map(rows.map((r) => [r.collectiveId, r.on]));
  }

  /** Sets the member's choice for each collective given; each change is audited in its collective. */
  async choose(organizerId: number, choices: Map<number, boolean>, now: Date): Promise<number> {
    const m = this.t.memberships;
    return this.store.unitOfWork(async (tx) => {
      let changed = 0;
      for (const [collectiveId, on] of choices) {
        const [row] = await tx
          .update(m)
          .set({ moderationDigest: on })
          .where(and(eq(m.organizerId, organizerId), eq(m.collectiveId, collectiveId), eq(m.moderationDigest, !on)))
          .returning({ collectiveId: m.collectiveId });
        if (!row) continue;
        changed++;
        await this.audit.recordTx(tx, {
          collectiveId,
          organizerId,
          action: 'member.digest_mail',
          targetType: 'organizer',
          targetId: organizerId,
          before: { moderationDigest: !on },
          after: { moderationDigest: on },
          at: now,
        });
      }
      return changed;
    });
  }
}
