// Signatures as moderators see them: searchable, with emails, and the audit trail of their
// decisions. The decisions themselves (and their counters) belong to SignatureRepo.moderate*.
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { notableSignatories, SIGNATURE_STATUSES, type SignatureStatus, signatures } from '../db/schema.js';
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
