// The curated list of notable signatories of a letter: promoted verified signatures and names
// added by hand. name_key is stored so SignatureRepo can hold anyone signing as a notable.
// Every change bumps the letter's updated_at (the list is public) and is audited with it.
import { and, asc, desc, eq, notInArray, sql } from 'drizzle-orm';
import { type Db, inTransaction } from '../db/client.js';
import { letters, notableSignatories, publicSignatureColumns, signatures } from '../db/schema.js';
import { nameKey } from '../domain/name-key.js';
import { listedSignature, type Notable } from '../letters/letter-repo.js';
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

const snapshot = (n: Notable) => ({ name: n.name, description: n.description, signatureId: n.signatureId, position: n.position });

export class NotableRepo {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepo,
  ) {}

  async list(letterId: number): Promise<Notable[]> {
    return this.listTx(letterId);
  }

  private listTx(letterId: number): Notable[] {
    return this.db
      .select()
      .from(notableSignatories)
      .where(eq(notableSignatories.letterId, letterId))
      .orderBy(asc(notableSignatories.position), asc(notableSignatories.id))
      .all();
  }

  async find(letterId: number, id: number): Promise<Notable | undefined> {
    return this.findTx(letterId, id);
  }

  private findTx(letterId: number, id: number): Notable | undefined {
    return this.db
      .select()
      .from(notableSignatories)
      .where(and(eq(notableSignatories.letterId, letterId), eq(notableSignatories.id, id)))
      .get();
  }

  /** Verified signatures whose name contains `query`, not yet on the list (for promotion). */
  async candidates(letterId: number, query: string, limit = 20): Promise<PromotionCandidate[]> {
    const promoted = this.listTx(letterId)
      .map((n) => n.signatureId)
      .filter((id): id is number => id !== null);
    const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return (
      this.db
        .select({
          ...publicSignatureColumns,
        })
        .from(signatures)
        .where(
          and(
            eq(signatures.letterId, letterId),
            // Only signers who chose to be listed, and whom no moderator hid, can be made notable.
            listedSignature,
            sql`${signatures.name} LIKE ${pattern} ESCAPE '\\'`,
            promoted.length > 0 ? notInArray(signatures.id, promoted) : undefined,
          ),
        )
        // Newest first along the (letter_id, status, id) index: stops at `limit`, never sorts a crowd.
        .orderBy(desc(signatures.id))
        .limit(limit)
        .all()
    );
  }

  /** A name added by the organizers: not a verified signer, and shown as such. */
  async add(letterId: number, input: { name: string; description: string }, actor: Actor): Promise<Notable> {
    return inTransaction(this.db, () => {
      const notable = this.insertTx(letterId, { ...input, signatureId: null }, actor.now);
      this.recordTx(letterId, actor, 'notable.add', notable.id, null, snapshot(notable));
      return notable;
    });
  }

  /** A verified signature becomes notable, with a public description ("actor", "singer, Radiohead"). */
  async promote(letterId: number, signatureId: number, description: string, actor: Actor): Promise<NotableChange> {
    return inTransaction(this.db, () => {
      const sig = this.db
        .select({
          id: signatures.id,
          name: signatures.name,
          status: signatures.status,
          isPublic: signatures.isPublic,
          hidden: signatures.hidden,
        })
        .from(signatures)
        .where(and(eq(signatures.id, signatureId), eq(signatures.letterId, letterId)))
        .get();
      if (!sig) return { ok: false, reason: 'not_found' } as const;
      if (sig.status !== 'verified') return { ok: false, reason: 'not_verified' } as const;
      if (!sig.isPublic || sig.hidden) return { ok: false, reason: 'not_public' } as const;
      const already = this.db
        .select({ id: notableSignatories.id })
        .from(notableSignatories)
        .where(and(eq(notableSignatories.letterId, letterId), eq(notableSignatories.signatureId, signatureId)))
        .get();
      if (already) return { ok: false, reason: 'already_notable' } as const;
      const notable = this.insertTx(letterId, { name: sig.name, description, signatureId }, actor.now);
      this.recordTx(letterId, actor, 'notable.promote', notable.id, null, snapshot(notable));
      return { ok: true, value: notable } as const;
    });
  }

  /** Edits an entry. A promoted entry keeps its signer's name: only the description changes. */
  async update(letterId: number, id: number, input: { name: string; description: string }, actor: Actor): Promise<NotableChange> {
    return inTransaction(this.db, () => {
      const before = this.findTx(letterId, id);
      if (!before) return { ok: false, reason: 'not_found' } as const;
      const name = before.signatureId === null ? input.name : before.name;
      const notable = this.db
        .update(notableSignatories)
        .set({ name, nameKey: nameKey(name), description: input.description })
        .where(eq(notableSignatories.id, id))
        .returning()
        .get();
      this.recordTx(letterId, actor, 'notable.update', id, snapshot(before), snapshot(notable));
      return { ok: true, value: notable } as const;
    });
  }

  async remove(letterId: number, id: number, actor: Actor): Promise<NotableChange<null>> {
    return inTransaction(this.db, () => {
      const before = this.findTx(letterId, id);
      if (!before) return { ok: false, reason: 'not_found' } as const;
      this.db.delete(notableSignatories).where(eq(notableSignatories.id, id)).run();
      this.recordTx(letterId, actor, 'notable.remove', id, snapshot(before), null);
      return { ok: true, value: null } as const;
    });
  }

  /** Moves an entry one place up or down; positions are renumbered 0..n-1 on the way. */
  async move(letterId: number, id: number, direction: 'up' | 'down', actor: Actor): Promise<NotableChange<null>> {
    return inTransaction(this.db, () => {
      const list = this.listTx(letterId);
      const from = list.findIndex((n) => n.id === id);
      if (from < 0) return { ok: false, reason: 'not_found' } as const;
      const to = direction === 'up' ? from - 1 : from + 1;
      if (to < 0 || to >= list.length) return { ok: true, value: null } as const;
      const [moved] = list.splice(from, 1);
      if (!moved) return { ok: false, reason: 'not_found' } as const;
      list.splice(to, 0, moved);
      list.forEach((n, position) => {
        if (n.position !== position) {
          this.db.update(notableSignatories).set({ position }).where(eq(notableSignatories.id, n.id)).run();
        }
      });
      this.recordTx(letterId, actor, 'notable.move', id, { position: from }, { position: to });
      return { ok: true, value: null } as const;
    });
  }

  private insertTx(letterId: number, input: { name: string; description: string; signatureId: number | null }, now: Date): Notable {
    const last = this.db
      .select({ max: sql<number | null>`max(${notableSignatories.position})` })
      .from(notableSignatories)
      .where(eq(notableSignatories.letterId, letterId))
      .get();
    return this.db
      .insert(notableSignatories)
      .values({ letterId, ...input, nameKey: nameKey(input.name), position: (last?.max ?? -1) + 1, createdAt: now })
      .returning()
      .get();
  }

  /** The audit entry, and a bump of the letter's updated_at so cached public answers refresh. */
  private recordTx(letterId: number, actor: Actor, action: string, targetId: number, before: unknown, after: unknown): void {
    this.db.update(letters).set({ updatedAt: actor.now }).where(eq(letters.id, letterId)).run();
    this.audit.recordTx({
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
