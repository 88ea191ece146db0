// Letters as organizers see them: their collectives' letters with counts, queue sizes and daily
// counts, and the changes they make (create, edit, publish, close), each audited in the same unit
// of work. The versioning rules themselves live in LetterRepo (createLetterTx / updateLetterTx).
import { and, desc, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';
import { type LetterStatus, SIGNATURE_STATUSES, type SignatureStatus } from '../db/vocabulary.js';
import { formatMilestoneLines } from '../domain/milestones.js';
import { type Letter, type LetterFields, type LetterRepo, type LetterWithCollective, letterCountColumns } from '../letters/letter-repo.js';
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
    // As text, so the diff below sees a change of content rather than of object.
    milestones: letter.milestones === undefined ? undefined : formatMilestoneLines(letter.milestones),
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
  private readonly t: Tables;

  constructor(
    private readonly store: Store,
    private readonly letters: LetterRepo,
    private readonly audit: AuditRepo,
  ) {
    this.t = store.tables;
  }

  /** The letters of these collectives, most recently changed first, each with its count. */
  async forCollectives(collectiveIds: number[]): Promise<LetterWithCollective[]> {
    if (collectiveIds.length === 0) return [];
    const { letters, collectives } = this.t;
    const rows = await this.store.db
      .select({
        letter: letters,
        ...letterCountColumns(this.t),
        collective: { id: collectives.id, slug: collectives.slug, name: collectives.name },
      })
      .from(letters)
      .innerJoin(collectives, eq(collectives.id, letters.collectiveId))
      .where(inArray(letters.collectiveId, collectiveIds))
      .orderBy(desc(letters.updatedAt), desc(letters.id));
    return rows.map((r) => ({ ...r.letter, signatureCount: r.signatureCount, countChangedAt: r.countChangedAt, collective: r.collective }));
  }

  /** Signatures waiting (unconfirmed) and held per letter: an index-only count on (letter_id, status). */
  async queueCounts(letterIds: number[]): Promise<Map<number, { pending: number; held: number }>> {
    const counts = new Map(letterIds.map((id) => [id, { pending: 0, held: 0 }]));
    if (letterIds.length === 0) return counts;
    const s = this.t.signatures;
    const rows = await this.store.db
      .select({ letterId: s.letterId, status: s.status, n: sql<number>`count(*)`.mapWith(Number) })
      .from(s)
      .where(and(inArray(s.letterId, letterIds), inArray(s.status, ['pending', 'held'])))
      .groupBy(s.letterId, s.status);
    for (const row of rows) {
      const entry = counts.get(row.letterId);
      if (entry && (row.status === 'pending' || row.status === 'held')) entry[row.status] = row.n;
    }
    return counts;
  }

  /** Verified signatures per UTC day for the last `days` days, from the hourly counters (their slots summed). */
  async dailyCounts(letterIds: number[], days: number, now: Date): Promise<Map<number, number[]>> {
    const today = now.getTime() - (now.getTime() % DAY_MS);
    const since = today - (days - 1) * DAY_MS;
    const result = new Map(letterIds.map((id) => [id, new Array<number>(days).fill(0)]));
    if (letterIds.length === 0) return result;
    const h = this.t.letterHourCounts;
    const rows = await this.store.db
      .select({ letterId: h.letterId, hour: h.hour, count: sql<number>`sum(${h.count})`.mapWith(Number) })
      .from(h)
      .where(and(inArray(h.letterId, letterIds), gte(h.hour, since)))
      .groupBy(h.letterId, h.hour);
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
    const s = this.t.signatures;
    const rows = await this.store.db
      .select({ status: s.status, n: sql<number>`count(*)`.mapWith(Number) })
      .from(s)
      .where(eq(s.letterId, letterId))
      .groupBy(s.status);
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  private async slugTakenTx(tx: Db, slug: string, exceptId: number | null): Promise<boolean> {
    const l = this.t.letters;
    const [row] = await tx
      .select({ id: l.id })
      .from(l)
      .where(and(eq(l.slug, slug), exceptId === null ? undefined : ne(l.id, exceptId)))
      .limit(1);
    return row !== undefined;
  }

  private async letterTx(tx: Db, letterId: number): Promise<Letter | undefined> {
    const l = this.t.letters;
    const [row] = await tx.select().from(l).where(eq(l.id, letterId)).limit(1);
    return row;
  }

  /**
   * A new draft. Two organizers racing for one slug on PostgreSQL: the loser's insert breaks the
   * unique key, its unit of work runs again and finds the slug taken.
   */
  async create(collectiveId: number, fields: LetterFields, actorId: number, now: Date): Promise<SaveResult> {
    return this.store.unitOfWork(async (tx): Promise<SaveResult> => {
      if (await this.slugTakenTx(tx, fields.slug, null)) return { ok: false, reason: 'slug_taken' };
      const letter = await this.letters.createLetterTx(tx, collectiveId, fields, now);
      await this.audit.recordTx(tx, {
        collectiveId,
        letterId: letter.id,
        organizerId: actorId,
        action: 'letter.create',
        targetType: 'letter',
        targetId: letter.id,
        after: auditable(letter),
        at: now,
      });
      return { ok: true, letter };
    });
  }

  /** Saves an edit. A published letter whose words change gets a new version (LetterRepo). */
  async update(letterId: number, fields: LetterFields, actorId: number, now: Date): Promise<SaveResult> {
    return this.store.unitOfWork(async (tx): Promise<SaveResult> => {
      const existing = await this.letterTx(tx, letterId);
      if (!existing) throw new Error(`letter ${letterId} vanished during an edit`);
      if (fields.slug !== existing.slug && (await this.slugTakenTx(tx, fields.slug, letterId))) return { ok: false, reason: 'slug_taken' };
      const change = diff(auditable(existing), auditable({ ...existing, ...fields }));
      if (change.changed.length === 0) return { ok: true, letter: existing };
      const letter = await this.letters.updateLetterTx(tx, existing, fields, now);
      await this.audit.recordTx(tx, {
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
      return { ok: true, letter };
    });
  }

  async setStatus(letterId: number, status: LetterStatus, actorId: number, now: Date): Promise<Letter> {
    return this.store.unitOfWork(async (tx) => {
      const existing = await this.letterTx(tx, letterId);
      if (!existing) throw new Error(`letter ${letterId} vanished during a status change`);
      // setStatusTx hands back the very row it was given when the status does not change.
      const letter = await this.letters.setStatusTx(tx, existing, status, now);
      if (letter !== existing) {
        await this.audit.recordTx(tx, {
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
