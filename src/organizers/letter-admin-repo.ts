// Letters as organizers see them: their collectives' letters with queue sizes and daily counts,
// and the changes they make (create, edit, publish, close), each audited in the same transaction.
// The versioning rules themselves live in LetterRepo (createLetterTx / updateLetterTx).
import { and, desc, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import { type Db, inTransaction } from '../db/client.js';
import {
  collectives,
  type LetterStatus,
  letterHourCounts,
  letters,
  SIGNATURE_STATUSES,
  type SignatureStatus,
  signatures,
} from '../db/schema.js';
import type { Letter, LetterFields, LetterRepo, LetterWithCollective } from '../letters/letter-repo.js';
import type { AuditRepo } from './audit-repo.js';

const DAY_MS = 86_400_000;

export type SaveResult = { ok: true; letter: Letter } | { ok: false; reason: 'slug_taken' };

/** Letter fields as the audit log keeps them (dates as ISO strings). */
function auditable(letter: Pick<Letter, keyof LetterFields>): Record<string, unknown> {
  return {
    slug: letter.slug,
    title: letter.title,
    summary: letter.summary,
    addressee: letter.addressee,
    bodyMd: letter.bodyMd,
    goal: letter.goal,
    closesAt: letter.closesAt?.toISOString() ?? null,
    duplicateNames: letter.duplicateNames,
  };
}

/** Only what changed, before and after. */
function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = Object.keys(after).filter((k) => before[k] !== after[k]);
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
    changed: keys,
  };
}

export class LetterAdminRepo {
  constructor(
    private readonly db: Db,
    private readonly letters: LetterRepo,
    private readonly audit: AuditRepo,
  ) {}

  /** The letters of these collectives, most recently changed first. */
  async forCollectives(collectiveIds: number[]): Promise<LetterWithCollective[]> {
    if (collectiveIds.length === 0) return [];
    const rows = this.db
      .select({ letter: letters, collective: { id: collectives.id, slug: collectives.slug, name: collectives.name } })
      .from(letters)
      .innerJoin(collectives, eq(collectives.id, letters.collectiveId))
      .where(inArray(letters.collectiveId, collectiveIds))
      .orderBy(desc(letters.updatedAt), desc(letters.id))
      .all();
    return rows.map((r) => ({ ...r.letter, collective: r.collective }));
  }

  /** Signatures waiting (unconfirmed) and held per letter: an index-only count on (letter_id, status). */
  async queueCounts(letterIds: number[]): Promise<Map<number, { pending: number; held: number }>> {
    const counts = new Map(letterIds.map((id) => [id, { pending: 0, held: 0 }]));
    if (letterIds.length === 0) return counts;
    const rows = this.db
      .select({ letterId: signatures.letterId, status: signatures.status, n: sql<number>`count(*)` })
      .from(signatures)
      .where(and(inArray(signatures.letterId, letterIds), inArray(signatures.status, ['pending', 'held'])))
      .groupBy(signatures.letterId, signatures.status)
      .all();
    for (const row of rows) {
      const entry = counts.get(row.letterId);
      if (entry && (row.status === 'pending' || row.status === 'held')) entry[row.status] = row.n;
    }
    return counts;
  }

  /** Verified signatures per UTC day for the last `days` days, from the hourly counters. */
  async dailyCounts(letterIds: number[], days: number, now: Date): Promise<Map<number, number[]>> {
    const today = now.getTime() - (now.getTime() % DAY_MS);
    const since = today - (days - 1) * DAY_MS;
    const result = new Map(letterIds.map((id) => [id, new Array<number>(days).fill(0)]));
    if (letterIds.length === 0) return result;
    const rows = this.db
      .select({ letterId: letterHourCounts.letterId, hour: letterHourCounts.hour, count: letterHourCounts.count })
      .from(letterHourCounts)
      .where(and(inArray(letterHourCounts.letterId, letterIds), gte(letterHourCounts.hour, since)))
      .all();
    for (const row of rows) {
      const series = result.get(row.letterId);
      const day = Math.floor((row.hour - since) / DAY_MS);
      if (series && day >= 0 && day < days) series[day] = (series[day] ?? 0) + row.count;
    }
    return result;
  }

  /** Signatures of one letter by status (for its overview and moderation pages). */
  async statusCounts(letterId: number): Promise<Record<SignatureStatus, number>> {
    const counts = Object.fromEntries(SIGNATURE_STATUSES.map((status) => [status, 0])) as Record<SignatureStatus, number>;
    const rows = this.db
      .select({ status: signatures.status, n: sql<number>`count(*)` })
      .from(signatures)
      .where(eq(signatures.letterId, letterId))
      .groupBy(signatures.status)
      .all();
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  private slugTakenTx(slug: string, exceptId: number | null): boolean {
    const row = this.db
      .select({ id: letters.id })
      .from(letters)
      .where(and(eq(letters.slug, slug), exceptId === null ? undefined : ne(letters.id, exceptId)))
      .get();
    return row !== undefined;
  }

  async create(collectiveId: number, fields: LetterFields, actorId: number, now: Date): Promise<SaveResult> {
    return inTransaction(this.db, () => {
      if (this.slugTakenTx(fields.slug, null)) return { ok: false, reason: 'slug_taken' } as const;
      const letter = this.letters.createLetterTx(collectiveId, fields, now);
      this.audit.recordTx({
        collectiveId,
        letterId: letter.id,
        organizerId: actorId,
        action: 'letter.create',
        targetType: 'letter',
        targetId: letter.id,
        after: auditable(letter),
        at: now,
      });
      return { ok: true, letter } as const;
    });
  }

  /** Saves an edit. A published letter whose words change gets a new version (LetterRepo). */
  async update(letterId: number, fields: LetterFields, actorId: number, now: Date): Promise<SaveResult> {
    return inTransaction(this.db, () => {
      const existing = this.db.select().from(letters).where(eq(letters.id, letterId)).get();
      if (!existing) throw new Error(`letter ${letterId} vanished during an edit`);
      if (fields.slug !== existing.slug && this.slugTakenTx(fields.slug, letterId)) return { ok: false, reason: 'slug_taken' } as const;
      const change = diff(auditable(existing), auditable({ ...existing, ...fields }));
      if (change.changed.length === 0) return { ok: true, letter: existing } as const;
      const letter = this.letters.updateLetterTx(existing, fields, now);
      this.audit.recordTx({
        collectiveId: existing.collectiveId,
        letterId,
        organizerId: actorId,
        action: letter.version !== existing.version ? 'letter.new_version' : 'letter.update',
        targetType: 'letter',
        targetId: letterId,
        before: { ...change.before, version: existing.version },
        after: { ...change.after, version: letter.version },
        at: now,
      });
      return { ok: true, letter } as const;
    });
  }

  async setStatus(letterId: number, status: LetterStatus, actorId: number, now: Date): Promise<Letter> {
    return inTransaction(this.db, () => {
      const existing = this.db.select().from(letters).where(eq(letters.id, letterId)).get();
      if (!existing) throw new Error(`letter ${letterId} vanished during a status change`);
      const letter = this.letters.setStatusTx(existing, status, now);
      if (letter !== existing) {
        this.audit.recordTx({
          collectiveId: existing.collectiveId,
          letterId,
          organizerId: actorId,
          action: 'letter.status',
          targetType: 'letter',
          targetId: letterId,
          before: { status: existing.status },
          after: { status: letter.status },
          at: now,
        });
      }
      return letter;
    });
  }
}
