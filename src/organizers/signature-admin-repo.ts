// Signatures as moderators see them: the queue of held ones, flagged near matches, search with
// emails, and the audit trail of their decisions. The decisions themselves (and their counters)
// belong to SignatureRepo.moderate*. Reads are batched: one query per list, never one per row.
import { and, asc, desc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';
import { containsEveryWord, containsIgnoringCase } from '../db/text-match.js';
import { HOLD_REASONS, type HoldReason, SIGNATURE_STATUSES, type SignatureStatus } from '../db/vocabulary.js';
import { searchKey } from '../domain/name-key.js';
import type { Notable } from '../letters/letter-repo.js';
import type { ModerationAction, ModerationResult, Signature } from '../signatures/signature-repo.js';
import type { AuditRepo } from './audit-repo.js';

export interface SignatureSearch {
  query: string;
  status: SignatureStatus | null;
  beforeId: number | null;
  limit: number;
}

export class SignatureAdminRepo {
  private readonly t: Tables;

  constructor(
    private readonly store: Store,
    private readonly audit: AuditRepo,
  ) {
    this.t = store.tables;
  }

  /**
   * Newest first, by id, after a keyset cursor; a query with @ searches emails, otherwise names
   * (every word typed, in any order, ignoring case and accents).
   * Without a status filter it reads each status's (letter_id, status, id) index range and merges
   * them: `ORDER BY id` over a whole letter would sort every row of it for one page.
   */
  async search(letterId: number, search: SignatureSearch): Promise<Signature[]> {
    const s = this.t.signatures;
    const q = search.query.trim();
    // Names by their folded key (case, accents and look-alike letters ignored), emails as typed.
    const match = q === '' ? undefined : q.includes('@') ? containsIgnoringCase(s.email, q) : containsEveryWord(s.nameKey, searchKey(q));
    const page = (status: SignatureStatus) =>
      this.store.db
        .select()
        .from(s)
        .where(and(eq(s.letterId, letterId), eq(s.status, status), search.beforeId ? lt(s.id, search.beforeId) : undefined, match))
        .orderBy(desc(s.id))
        .limit(search.limit);
    if (search.status) return page(search.status);
    // One range after another: a moderator's search need not take a pooled connection per status.
    const rows: Signature[] = [];
    for (const status of SIGNATURE_STATUSES) rows.push(...(await page(status)));
    return rows.sort((a, b) => b.id - a.id).slice(0, search.limit);
  }

  /** A letter's signature by canonical address (see domain/email-key.ts). */
  async findByEmailKey(letterId: number, emailKey: string): Promise<Signature | undefined> {
    const s = this.t.signatures;
    const [row] = await this.store.db
      .select()
      .from(s)
      .where(and(eq(s.letterId, letterId), eq(s.emailKey, emailKey)))
      .limit(1);
    return row;
  }

  async findById(id: number): Promise<Signature | undefined> {
    const s = this.t.signatures;
    const [row] = await this.store.db.select().from(s).where(eq(s.id, id)).limit(1);
    return row;
  }

  /**
   * The moderation queue: held signatures, oldest first, each with what it collided with (read in
   * one batch). Bounded: a spike can hold tens of thousands at once, and a page shows a few hundred.
   */
  async held(
    letterId: number,
    options: { reason?: HoldReason | null; limit: number },
  ): Promise<Array<Signature & { matched: Signature | null }>> {
    const s = this.t.signatures;
    const rows = await this.store.db
      .select()
      .from(s)
      .where(and(eq(s.letterId, letterId), eq(s.status, 'held'), options.reason ? eq(s.holdReason, options.reason) : undefined))
      .orderBy(asc(s.id))
      .limit(options.limit);
    const matched = await this.byIds(
      letterId,
      rows.map((r) => r.matchedSignatureId).filter((id): id is number => id !== null),
    );
    return rows.map((row) => ({ ...row, matched: row.matchedSignatureId ? (matched.get(row.matchedSignatureId) ?? null) : null }));
  }

  /** How many signatures are held on a letter, by reason (an index range, no rows loaded). */
  async heldCounts(letterId: number): Promise<Record<HoldReason, number>> {
    const s = this.t.signatures;
    const counts = Object.fromEntries(HOLD_REASONS.map((r) => [r, 0])) as Record<HoldReason, number>;
    const rows = await this.store.db
      .select({ reason: s.holdReason, count: sql<number>`count(*)`.mapWith(Number) })
      .from(s)
      .where(and(eq(s.letterId, letterId), eq(s.status, 'held')))
      .groupBy(s.holdReason);
    for (const row of rows) if (row.reason) counts[row.reason] = row.count;
    return counts;
  }

  /** Counted signatures flagged as one edit away from another (for the moderation view). */
  async possibleDuplicates(letterId: number, limit = 200): Promise<Signature[]> {
    const s = this.t.signatures;
    return this.store.db
      .select()
      .from(s)
      .where(and(eq(s.letterId, letterId), isNotNull(s.possibleDuplicateOf), eq(s.status, 'verified')))
      .orderBy(desc(s.id))
      .limit(limit);
  }

  async byIds(letterId: number, ids: number[]): Promise<Map<number, Signature>> {
    if (ids.length === 0) return new Map();
    const s = this.t.signatures;
    const rows = await this.store.db
      .select()
      .from(s)
      .where(and(eq(s.letterId, letterId), inArray(s.id, ids)));
    return new Map(rows.map((r) => [r.id, r]));
  }

  async notablesByIds(letterId: number, ids: number[]): Promise<Map<number, Notable>> {
    if (ids.length === 0) return new Map();
    const n = this.t.notableSignatories;
    const rows = await this.store.db
      .select()
      .from(n)
      .where(and(eq(n.letterId, letterId), inArray(n.id, ids)));
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * What organizers keep of an erased signer (a notable entry promoted from the signature: its
   * name), and the audit entry of the erasure, which names the signature by id only.
   */
  async forgetSignerTx(
    tx: Db,
    context: { collectiveId: number; letterId: number; organizerId: number | null; now: Date },
    signature: Signature,
  ): Promise<void> {
    const n = this.t.notableSignatories;
    await tx.delete(n).where(and(eq(n.letterId, context.letterId), eq(n.signatureId, signature.id)));
    await this.audit.recordTx(tx, {
      collectiveId: context.collectiveId,
      letterId: context.letterId,
      organizerId: context.organizerId,
      action: 'signature.erase',
      targetType: 'signature',
      targetId: signature.id,
      before: { status: signature.status, hidden: signature.hidden },
      after: context.organizerId === null ? { erased: true, via: 'cli' } : { erased: true },
      at: context.now,
    });
  }

  /**
   * One audit entry per signature whose state changed (a no-op decision is not an action).
   * Call inside the moderation's unit of work, so decisions and their record commit together.
   * Returns how many changed.
   */
  async recordModerationTx(
    tx: Db,
    /** organizerId null: a decision from the command line (recorded as such). */
    context: { collectiveId: number; letterId: number; organizerId: number | null; now: Date },
    action: ModerationAction,
    results: ModerationResult[],
  ): Promise<number> {
    const changed = results.filter((r) => r.before.status !== r.after.status || r.before.hidden !== r.after.hidden);
    for (const r of changed) {
      await this.audit.recordTx(tx, {
        collectiveId: context.collectiveId,
        letterId: context.letterId,
        organizerId: context.organizerId,
        action: `signature.${action}`,
        targetType: 'signature',
        targetId: r.signature.id,
        before: r.before,
        after: context.organizerId === null ? { ...r.after, via: 'cli' } : r.after,
        at: context.now,
      });
    }
    return changed.length;
  }
}
