// Signatures as moderators see them: the queue of held ones, flagged near matches, search with
// emails, and the audit trail of their decisions. The decisions themselves (and their counters)
// belong to SignatureRepo.moderate*. Reads are batched: one query per list, never one per row.
import { and, asc, desc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { HOLD_REASONS, type HoldReason, notableSignatories, SIGNATURE_STATUSES, type SignatureStatus, signatures } from '../db/schema.js';
import type { Notable } from '../letters/letter-repo.js';
import type { ModerationAction, ModerationResult, Signature } from '../signatures/signature-repo.js';
import type { AuditRepo } from './audit-repo.js';

export interface SignatureSearch {
  query: string;
  status: SignatureStatus | null;
  beforeId: number | null;
  limit: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class SignatureAdminRepo {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepo,
  ) {}

  /**
   * Newest first, by id, after a keyset cursor; a query with @ searches emails, otherwise names.
   * Without a status filter it reads each status's (letter_id, status, id) index range and merges
   * them: `ORDER BY id` over a whole letter would sort every row of it for one page.
   */
  async search(letterId: number, search: SignatureSearch): Promise<Signature[]> {
    const q = search.query.trim();
    const pattern = `%${escapeLike(q)}%`;
    const match =
      q === ''
        ? undefined
        : q.includes('@')
          ? sql`${signatures.email} LIKE ${pattern} ESCAPE '\\'`
          : sql`${signatures.name} LIKE ${pattern} ESCAPE '\\'`;
    const page = (status: SignatureStatus) =>
      this.db
        .select()
        .from(signatures)
        .where(
          and(
            eq(signatures.letterId, letterId),
            eq(signatures.status, status),
            search.beforeId ? lt(signatures.id, search.beforeId) : undefined,
            match,
          ),
        )
        .orderBy(desc(signatures.id))
        .limit(search.limit)
        .all();
    if (search.status) return page(search.status);
    return SIGNATURE_STATUSES.flatMap(page)
      .sort((a, b) => b.id - a.id)
      .slice(0, search.limit);
  }

  async findById(id: number): Promise<Signature | undefined> {
    return this.db.select().from(signatures).where(eq(signatures.id, id)).get();
  }

  /**
   * The moderation queue: held signatures, oldest first, each with what it collided with (read in
   * one batch). Bounded: a spike can hold tens of thousands at once, and a page shows a few hundred.
   */
  async held(
    letterId: number,
    options: { reason?: HoldReason | null; limit: number },
  ): Promise<Array<Signature & { matched: Signature | null }>> {
    const rows = this.db
      .select()
      .from(signatures)
      .where(
        and(
          eq(signatures.letterId, letterId),
          eq(signatures.status, 'held'),
          options.reason ? eq(signatures.holdReason, options.reason) : undefined,
        ),
      )
      .orderBy(asc(signatures.id))
      .limit(options.limit)
      .all();
    const matched = await this.byIds(
      letterId,
      rows.map((r) => r.matchedSignatureId).filter((id): id is number => id !== null),
    );
    return rows.map((row) => ({ ...row, matched: row.matchedSignatureId ? (matched.get(row.matchedSignatureId) ?? null) : null }));
  }

  /** How many signatures are held on a letter, by reason (an index range, no rows loaded). */
  async heldCounts(letterId: number): Promise<Record<HoldReason, number>> {
    const counts = Object.fromEntries(HOLD_REASONS.map((r) => [r, 0])) as Record<HoldReason, number>;
    const rows = this.db
      .select({ reason: signatures.holdReason, count: sql<number>`count(*)` })
      .from(signatures)
      .where(and(eq(signatures.letterId, letterId), eq(signatures.status, 'held')))
      .groupBy(signatures.holdReason)
      .all();
    for (const row of rows) if (row.reason) counts[row.reason] = row.count;
    return counts;
  }

  /** Counted signatures flagged as one edit away from another (for the moderation view). */
  async possibleDuplicates(letterId: number, limit = 200): Promise<Signature[]> {
    return this.db
      .select()
      .from(signatures)
      .where(and(eq(signatures.letterId, letterId), isNotNull(signatures.possibleDuplicateOf), eq(signatures.status, 'verified')))
      .orderBy(desc(signatures.id))
      .limit(limit)
      .all();
  }

  async byIds(letterId: number, ids: number[]): Promise<Map<number, Signature>> {
    if (ids.length === 0) return new Map();
    const rows = this.db
      .select()
      .from(signatures)
      .where(and(eq(signatures.letterId, letterId), inArray(signatures.id, ids)))
      .all();
    return new Map(rows.map((r) => [r.id, r]));
  }

  async notablesByIds(letterId: number, ids: number[]): Promise<Map<number, Notable>> {
    if (ids.length === 0) return new Map();
    const rows = this.db
      .select()
      .from(notableSignatories)
      .where(and(eq(notableSignatories.letterId, letterId), inArray(notableSignatories.id, ids)))
      .all();
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** One audit entry per signature whose state changed (a no-op decision is not an action). */
  /** Audits the decisions that changed something. Call inside the moderation's transaction. */
  recordModerationTx(
    context: { collectiveId: number; letterId: number; organizerId: number; now: Date },
    action: ModerationAction,
    results: ModerationResult[],
  ): number {
    const changed = results.filter((r) => r.before.status !== r.after.status || r.before.hidden !== r.after.hidden);
    for (const r of changed) {
      this.audit.recordTx({
        collectiveId: context.collectiveId,
        letterId: context.letterId,
        organizerId: context.organizerId,
        action: `signature.${action}`,
        targetType: 'signature',
        targetId: r.signature.id,
        before: r.before,
        after: r.after,
        at: context.now,
      });
    }
    return changed.length;
  }
}
