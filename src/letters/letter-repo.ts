// Data access for letters, their collectives, versions and notable signatories.
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { type Db, inTransaction } from '../db/client.js';
import {
  collectives,
  type DuplicateNamePolicy,
  type LetterStatus,
  letters,
  letterVersions,
  notableSignatories,
  publicSignatureColumns,
  signatures,
} from '../db/schema.js';
import { nameKey } from '../domain/name-key.js';

export type Letter = typeof letters.$inferSelect;
export type Collective = typeof collectives.$inferSelect;
export type LetterWithCollective = Letter & { collective: Pick<Collective, 'id' | 'slug' | 'name'> };
export type Notable = typeof notableSignatories.$inferSelect;
export type LetterVersion = typeof letterVersions.$inferSelect;

export interface PublicSignature {
  id: number;
  name: string;
  title: string | null;
  organisation: string | null;
  country: string | null;
  verifiedAt: Date;
}

export interface LetterFields {
  slug: string;
  title: string;
  summary: string;
  addressee: string;
  bodyMd: string;
  goal: number | null;
  closesAt: Date | null;
  duplicateNames?: DuplicateNamePolicy;
}

export interface NotableInput {
  name: string;
  description: string;
}

/** A signature anyone may see listed: counted, its signer chose to be listed, not hidden by moderators. */
export const listedSignature = and(eq(signatures.status, 'verified'), eq(signatures.isPublic, true), eq(signatures.hidden, false));

const letterWithCollective = {
  letter: letters,
  collective: { id: collectives.id, slug: collectives.slug, name: collectives.name },
};

export class LetterRepo {
  private readonly bySlug;
  private readonly byId;
  private readonly notablesStmt;
  private readonly recentStmt;

  constructor(private readonly db: Db) {
    // Prepared once: the letter page and the press API run these on every request.
    this.bySlug = db
      .select(letterWithCollective)
      .from(letters)
      .innerJoin(collectives, eq(collectives.id, letters.collectiveId))
      .where(eq(letters.slug, sql.placeholder('slug')))
      .prepare();
    this.byId = db
      .select(letterWithCollective)
      .from(letters)
      .innerJoin(collectives, eq(collectives.id, letters.collectiveId))
      .where(eq(letters.id, sql.placeholder('id')))
      .prepare();
    // A promoted entry is public only while its signature is: counted, listed and not hidden.
    this.notablesStmt = db
      .select({ notable: notableSignatories })
      .from(notableSignatories)
      .leftJoin(signatures, eq(signatures.id, notableSignatories.signatureId))
      .where(and(eq(notableSignatories.letterId, sql.placeholder('letterId')), or(isNull(notableSignatories.signatureId), listedSignature)))
      .orderBy(asc(notableSignatories.position), asc(notableSignatories.id))
      .prepare();
    this.recentStmt = db
      .select({
        ...publicSignatureColumns,
        verifiedAt: signatures.verifiedAt,
      })
      .from(signatures)
      .where(and(eq(signatures.letterId, sql.placeholder('letterId')), listedSignature))
      .orderBy(desc(signatures.verifiedAt), desc(signatures.id))
      .limit(sql.placeholder('limit'))
      .prepare();
  }

  async findBySlug(slug: string): Promise<LetterWithCollective | undefined> {
    const row = this.bySlug.get({ slug });
    return row && { ...row.letter, collective: row.collective };
  }

  async findById(id: number): Promise<LetterWithCollective | undefined> {
    const row = this.byId.get({ id });
    return row && { ...row.letter, collective: row.collective };
  }

  /** Published and closed letters, newest first (the home page). */
  async listPublic(): Promise<LetterWithCollective[]> {
    const rows = this.db
      .select(letterWithCollective)
      .from(letters)
      .innerJoin(collectives, eq(collectives.id, letters.collectiveId))
      .where(inArray(letters.status, ['published', 'closed']))
      .orderBy(desc(letters.publishedAt), desc(letters.id))
      .all();
    return rows.map((r) => ({ ...r.letter, collective: r.collective }));
  }

  /** The notable signatories the public sees, in the organizers' order. */
  async notables(letterId: number): Promise<Notable[]> {
    return this.notablesStmt.all({ letterId }).map((row) => row.notable);
  }

  async recentPublicSignatures(letterId: number, limit: number): Promise<PublicSignature[]> {
    return this.recentStmt.all({ letterId, limit }) as PublicSignature[];
  }

  async version(letterId: number, version: number): Promise<LetterVersion | undefined> {
    return this.db
      .select()
      .from(letterVersions)
      .where(and(eq(letterVersions.letterId, letterId), eq(letterVersions.version, version)))
      .get();
  }

  async versions(letterId: number): Promise<LetterVersion[]> {
    return this.db.select().from(letterVersions).where(eq(letterVersions.letterId, letterId)).orderBy(asc(letterVersions.version)).all();
  }

  async collectiveBySlug(slug: string): Promise<Collective | undefined> {
    return this.db.select().from(collectives).where(eq(collectives.slug, slug)).get();
  }

  /**
   * Creates or updates the letter with fields.slug, in one transaction: the collective is created
   * if missing, the text is versioned when a published letter's words change, and, when
   * `notables` is given, the hand-added notable list is replaced by it.
   */
  async importLetter(input: {
    collective: { slug: string; name?: string };
    fields: LetterFields;
    status: LetterStatus;
    notables?: NotableInput[];
    now: Date;
  }): Promise<{ letter: Letter; created: boolean }> {
    return inTransaction(this.db, () => {
      const collectiveId = this.ensureCollective(input.collective.slug, input.collective.name);
      const existing = this.db.select().from(letters).where(eq(letters.slug, input.fields.slug)).get();
      const letter = existing
        ? this.updateLetterTx(existing, input.fields, input.now, collectiveId)
        : this.createLetterTx(collectiveId, input.fields, input.now);
      const withStatus = this.setStatusTx(letter, input.status, input.now);
      if (input.notables) this.replaceHandAddedNotablesTx(letter.id, input.notables);
      return { letter: withStatus, created: !existing };
    });
  }

  private ensureCollective(slug: string, name?: string): number {
    const found = this.db.select().from(collectives).where(eq(collectives.slug, slug)).get();
    if (found) {
      if (name && name !== found.name) {
        this.db.update(collectives).set({ name }).where(eq(collectives.id, found.id)).run();
      }
      return found.id;
    }
    return this.db
      .insert(collectives)
      .values({ slug, name: name ?? slug })
      .returning({ id: collectives.id })
      .get().id;
  }

  /** Inside a transaction: a new draft letter with its first version. */
  createLetterTx(collectiveId: number, fields: LetterFields, now: Date): Letter {
    const letter = this.db
      .insert(letters)
      .values({ ...fields, collectiveId, status: 'draft', version: 1, createdAt: now, updatedAt: now })
      .returning()
      .get();
    this.db
      .insert(letterVersions)
      .values({
        letterId: letter.id,
        version: 1,
        title: fields.title,
        addressee: fields.addressee,
        bodyMd: fields.bodyMd,
        createdAt: now,
      })
      .run();
    return letter;
  }

  /**
   * Inside a transaction: saves new fields. Once a letter has been published, a change to its
   * words (title, addressee, body) becomes a new version, so every signature stays attached to
   * the text its signer read. Before publication the draft is edited in place.
   */
  updateLetterTx(existing: Letter, fields: LetterFields, now: Date, collectiveId?: number): Letter {
    const textChanged = existing.title !== fields.title || existing.addressee !== fields.addressee || existing.bodyMd !== fields.bodyMd;
    const newVersion = textChanged && existing.publishedAt !== null;
    const version = newVersion ? existing.version + 1 : existing.version;
    const updated = this.db
      .update(letters)
      .set({
        ...fields,
        ...(collectiveId ? { collectiveId } : {}),
        version,
        editedAt: newVersion ? now : existing.editedAt,
        updatedAt: now,
      })
      .where(eq(letters.id, existing.id))
      .returning()
      .get();
    const text = { title: fields.title, addressee: fields.addressee, bodyMd: fields.bodyMd };
    if (newVersion) {
      this.db
        .insert(letterVersions)
        .values({ letterId: existing.id, version, ...text, createdAt: now })
        .run();
    } else if (textChanged) {
      this.db
        .update(letterVersions)
        .set(text)
        .where(and(eq(letterVersions.letterId, existing.id), eq(letterVersions.version, version)))
        .run();
    }
    return updated;
  }

  /** Inside a transaction: moves a letter to a new status, stamping when it was published or closed. */
  setStatusTx(letter: Letter, status: LetterStatus, now: Date): Letter {
    if (letter.status === status) return letter;
    return this.db
      .update(letters)
      .set({
        status,
        // A letter imported as closed was public too: it has a publication date.
        publishedAt: status !== 'draft' ? (letter.publishedAt ?? now) : letter.publishedAt,
        closedAt: status === 'closed' ? now : null,
        updatedAt: now,
      })
      .where(eq(letters.id, letter.id))
      .returning()
      .get();
  }

  private replaceHandAddedNotablesTx(letterId: number, notables: NotableInput[]): void {
    this.db
      .delete(notableSignatories)
      .where(and(eq(notableSignatories.letterId, letterId), sql`${notableSignatories.signatureId} IS NULL`))
      .run();
    notables.forEach((n, position) => {
      this.db
        .insert(notableSignatories)
        .values({ letterId, name: n.name, nameKey: nameKey(n.name), description: n.description, position })
        .run();
    });
  }

  async count(): Promise<number> {
    return this.db.select({ n: sql<number>`count(*)` }).from(letters).get()?.n ?? 0;
  }
}
