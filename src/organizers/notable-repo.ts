// The curated list of notable signatories of a letter: promoted verified signatures and names
// added by hand. name_key is stored so SignatureRepo can hold anyone signing as a notable.
// Every change bumps the letter's updated_at (the list is public) and is audited with it, in one
// unit of work.
import { and, asc, desc, eq, notInArray, sql } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';
import { containsEveryWord } from '../db/text-match.js';
import { nameKey, searchKey } from '../domain/name-key.js';
import { listedSignature, type Notable, publicSignatureColumns } from '../letters/letter-repo.js';
import type { AuditRepo } from './audit-repo.js';

export type NotableChange<T = Notable> =
  | { ok: true; value: T }
  | { ok: false; reason: 'not_found' | 'not_verified' | 'not_public' | 'already_notable' };

export interface PromotionCandidate {
  id: number;
  name: string;
  title: string | null;
  organisation: string | null;
  country: string | null;
}

interface Actor {
  collectiveId: number;
  organizerId: number;
  now: Date;
}

const NOT_FOUND = { ok: false, reason: 'not_found' } as const;

const snapshot = (n: Notable) => ({ name: n.name, description: n.description, signatureId: n.signatureId, position: n.position });

export class NotableRepo {
  private readonly t: Tables;

  constructor(
    private readonly store: Store,
    private readonly audit: AuditRepo,
  ) {
    this.t = store.tables;
  }

  async list(letterId: number): Promise<Notable[]> {
    return this.listTx(this.store.db, letterId);
  }

  private async listTx(tx: Db, letterId: number): Promise<Notable[]> {
    const n = this.t.notableSignatories;
    return tx.select().from(n).where(eq(n.letterId, letterId)).orderBy(asc(n.position), asc(n.id));
  }

  async find(letterId: number, id: number): Promise<Notable | undefined> {
    return this.findTx(this.store.db, letterId, id);
  }

  private async findTx(tx: Db, letterId: number, id: number): Promise<Notable | undefined> {
    const n = this.t.notableSignatories;
    const [row] = await tx
      .select()
      .from(n)
      .where(and(eq(n.letterId, letterId), eq(n.id, id)))
      .limit(1);
    return row;
  }

  /** Verified signatures whose name has every word of `query` (case and accents ignored), not yet on the list (for promotion). */
  async candidates(letterId: number, query: string, limit = 20): Promise<PromotionCandidate[]> {
    const t = this.t;
    const s = t.signatures;
    const promoted = (await this.list(letterId)).map((n) => n.signatureId).filter((id): id is number => id !== null);
    return (
      this.store.db
        .select(publicSignatureColumns(t))
        .from(s)
        .where(
          and(
            eq(s.letterId, letterId),
            // Only signers who chose to be listed, and whom no moderator hid, can be made notable.
            listedSignature(t),
            containsEveryWord(s.nameKey, searchKey(query)),
            promoted.length > 0 ? notInArray(s.id, promoted) : undefined,
          ),
        )
        // Newest first along the (letter_id, status, id) index: stops at `limit`, never sorts a crowd.
        .orderBy(desc(s.id))
        .limit(limit)
    );
  }

  /** A name added by the organizers: not a verified signer, and shown as such. */
  async add(letterId: number, input: { name: string; description: string }, actor: Actor): Promise<Notable> {
    return this.store.unitOfWork(async (tx) => {
      await this.lockListTx(tx, letterId);
      const notable = await this.insertTx(tx, letterId, { ...input, signatureId: null }, actor.now);
      await this.recordTx(tx, letterId, actor, 'notable.add', notable.id, null, snapshot(notable));
      return notable;
    });
  }

  /** A verified signature becomes notable, with a public description ("actor", "singer, Radiohead"). */
  async promote(letterId: number, signatureId: number, description: string, actor: Actor): Promise<NotableChange> {
    const { signatures: s, notableSignatories: n } = this.t;
    return this.store.unitOfWork(async (tx): Promise<NotableChange> => {
      await this.lockListTx(tx, letterId);
      const [sig] = await tx
        .select({ id: s.id, name: s.name, status: s.status, isPublic: s.isPublic, hidden: s.hidden })
        .from(s)
        .where(and(eq(s.id, signatureId), eq(s.letterId, letterId)))
        .limit(1);
      if (!sig) return NOT_FOUND;
      if (sig.status !== 'verified') return { ok: false, reason: 'not_verified' };
      if (!sig.isPublic || sig.hidden) return { ok: false, reason: 'not_public' };
      const [already] = await tx
        .select({ id: n.id })
        .from(n)
        .where(and(eq(n.letterId, letterId), eq(n.signatureId, signatureId)))
        .limit(1);
      if (already) return { ok: false, reason: 'already_notable' };
      const notable = await this.insertTx(tx, letterId, { name: sig.name, description, signatureId }, actor.now);
      await this.recordTx(tx, letterId, actor, 'notable.promote', notable.id, null, snapshot(notable));
      return { ok: true, value: notable };
    });
  }

  /** Edits an entry. A promoted entry keeps its signer's name: only the description changes. */
  async update(letterId: number, id: number, input: { name: string; description: string }, actor: Actor): Promise<NotableChange> {
    const n = this.t.notableSignatories;
    return this.store.unitOfWork(async (tx): Promise<NotableChange> => {
      await this.lockListTx(tx, letterId);
      const before = await this.findTx(tx, letterId, id);
      if (!before) return NOT_FOUND;
      const name = before.signatureId === null ? input.name : before.name;
      const [notable] = await tx
        .update(n)
        .set({ name, nameKey: nameKey(name), description: input.description })
        .where(eq(n.id, id))
        .returning();
      if (!notable) return NOT_FOUND;
      await this.recordTx(tx, letterId, actor, 'notable.update', id, snapshot(before), snapshot(notable));
      return { ok: true, value: notable };
    });
  }

  async remove(letterId: number, id: number, actor: Actor): Promise<NotableChange<null>> {
    const n = this.t.notableSignatories;
    return this.store.unitOfWork(async (tx): Promise<NotableChange<null>> => {
      await this.lockListTx(tx, letterId);
      const before = await this.findTx(tx, letterId, id);
      if (!before) return NOT_FOUND;
      await tx.delete(n).where(eq(n.id, id));
      await this.recordTx(tx, letterId, actor, 'notable.remove', id, snapshot(before), null);
      return { ok: true, value: null };
    });
  }

  /** Moves an entry one place up or down; positions are renumbered 0..n-1 on the way. */
  async move(letterId: number, id: number, direction: 'up' | 'down', actor: Actor): Promise<NotableChange<null>> {
    const n = this.t.notableSignatories;
    return this.store.unitOfWork(async (tx): Promise<NotableChange<null>> => {
      await this.lockListTx(tx, letterId);
      const list = await this.listTx(tx, letterId);
      const from = list.findIndex((entry) => entry.id === id);
      if (from < 0) return NOT_FOUND;
      const to = direction === 'up' ? from - 1 : from + 1;
      if (to < 0 || to >= list.length) return { ok: true, value: null };
      const [moved] = list.splice(from, 1);
      if (!moved) return NOT_FOUND;
      list.splice(to, 0, moved);
      for (const [position, entry] of list.entries()) {
        if (entry.position !== position) await tx.update(n).set({ position }).where(eq(n.id, entry.id));
      }
      await this.recordTx(tx, letterId, actor, 'notable.move', id, { position: from }, { position: to });
      return { ok: true, value: null };
    });
  }

  /**
   * Takes the letter's row before reading its list, so changes to one list run one after another:
   * on PostgreSQL (READ COMMITTED) two promotions of the same signature would otherwise both find
   * it missing, and two moves renumber from the same stale order. The row is written unchanged:
   * a refused change must not move updated_at. (SQLite runs units of work one at a time anyway.)
   */
  private async lockListTx(tx: Db, letterId: number): Promise<void> {
    const l = this.t.letters;
    await tx
      .update(l)
      .set({ updatedAt: sql`${l.updatedAt}` })
      .where(eq(l.id, letterId));
  }

  private async insertTx(
    tx: Db,
    letterId: number,
    input: { name: string; description: string; signatureId: number | null },
    now: Date,
  ): Promise<Notable> {
    const n = this.t.notableSignatories;
    const [next] = await tx
      .select({ position: sql<number>`coalesce(max(${n.position}), -1) + 1`.mapWith(Number) })
      .from(n)
      .where(eq(n.letterId, letterId));
    const [notable] = await tx
      .insert(n)
      .values({ letterId, ...input, nameKey: nameKey(input.name), position: next?.position ?? 0, createdAt: now })
      .returning();
    return notable as Notable;
  }

  /** The audit entry, and a bump of the letter's updated_at so cached public answers refresh. */
  private async recordTx(
    tx: Db,
    letterId: number,
    actor: Actor,
    action: string,
    targetId: number,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    const l = this.t.letters;
    await tx.update(l).set({ updatedAt: actor.now }).where(eq(l.id, letterId));
    await this.audit.recordTx(tx, {
      collectiveId: actor.collectiveId,
      letterId,
      organizerId: actor.organizerId,
      action,
      targetType: 'notable',
      targetId,
      before,
      after,
      at: actor.now,
    });
  }
}
