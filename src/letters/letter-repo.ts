// Data access for letters, their collectives, versions and notable signatories. A letter's count
// is the sum of its counter slots, read with the letter.
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';
import type { DuplicateNamePolicy, LetterStatus } from '../db/vocabulary.js';
import type { Milestone } from '../domain/milestones.js';
import { nameKey } from '../domain/name-key.js';
import { type TranslationInput, TranslationRepo } from './translation-repo.js';

export type Letter = Tables['letters']['$inferSelect'];
export type Collective = Tables['collectives']['$inferSelect'];
export type Notable = Tables['notableSignatories']['$inferSelect'];
export type LetterVersion = Tables['letterVersions']['$inferSelect'];

/** A letter as pages and the API show it: with its collective, its count and when the count last moved. */
export type LetterWithCollective = Letter & {
  signatureCount: number;
  /** When the count last changed (null before the first confirmation). */
  countChangedAt: Date | null;
  collective: Pick<Collective, 'id' | 'slug' | 'name'>;
};

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
  /** Left as they are when absent (an import of a file that names none). */
  milestones?: Milestone[];
  duplicateNames?: DuplicateNamePolicy;
  /** The letter's own language (a locale); left out, it stays as it is (English for a new letter). */
  language?: string;
}

export interface NotableInput {
  name: string;
  description: string;
}

/** What anyone may see of a signature (pages, the press API): never the email, IP or status. */
export function publicSignatureColumns(t: Tables) {
  const s = t.signatures;
  return { id: s.id, name: s.name, title: s.title, organisation: s.organisation, country: s.country };
}

/**
 * A signature anyone may see listed: counted, its signer chose to be listed, not hidden by
 * moderators. The status is written as a literal, as the public-list index's predicate is.
 */
export function listedSignature(t: Tables) {
  const s = t.signatures;
  return and(sql`${s.status} = 'verified'`, eq(s.isPublic, true), eq(s.hidden, false));
}

/** The letter's count and when it last moved, from its slots (a correlated read of at most a few rows). */
export function letterCountColumns(t: Tables) {
  const slots = t.letterCountSlots;
  return {
    signatureCount: sql<number>`(SELECT coalesce(sum(${slots.count}), 0) FROM ${slots} WHERE ${slots.letterId} = ${t.letters.id})`.mapWith(
      Number,
    ),
    countChangedAt: sql<Date | null>`(SELECT max(${slots.updatedAt}) FROM ${slots} WHERE ${slots.letterId} = ${t.letters.id})`.mapWith(
      slots.updatedAt,
    ),
  };
}

type Row = { letter: Letter; signatureCount: number; countChangedAt: Date | null; collective: LetterWithCollective['collective'] };
const withCollective = (row: Row): LetterWithCollective => ({
  ...row.letter,
  signatureCount: row.signatureCount,
  countChangedAt: row.countChangedAt,
  collective: row.collective,
});

export class LetterRepo {
  private readonly t: Tables;
  private readonly bySlug;
  private readonly byId;
  private readonly notablesStmt;
  private readonly recentStmt;
  /** The letters' texts in other languages (written in the units of work below, too). */
  readonly translations: TranslationRepo;

  constructor(private readonly store: Store) {
    this.t = store.tables;
    this.translations = new TranslationRepo(store);
    const t = this.t;
    const p = sql.placeholder;
    const head = (db: Db) =>
      db
        .select({
          letter: t.letters,
          ...letterCountColumns(t),
          collective: { id: t.collectives.id, slug: t.collectives.slug, name: t.collectives.name },
        })
        .from(t.letters)
        .innerJoin(t.collectives, eq(t.collectives.id, t.letters.collectiveId));
    // Prepared once: the letter page and the press API run these on every request.
    this.bySlug = store.prepared<{ slug: string }, Row[]>('letter_by_slug', (db) => head(db).where(eq(t.letters.slug, p('slug'))));
    this.byId = store.prepared<{ id: number }, Row[]>('letter_by_id', (db) => head(db).where(eq(t.letters.id, p('id'))));
    // A promoted entry is public only while its signature is: counted, listed and not hidden.
    this.notablesStmt = store.prepared<{ letterId: number }, Array<{ notable: Notable }>>('letter_notables', (db) =>
      db
        .select({ notable: t.notableSignatories })
        .from(t.notableSignatories)
        .leftJoin(t.signatures, eq(t.signatures.id, t.notableSignatories.signatureId))
        .where(and(eq(t.notableSignatories.letterId, p('letterId')), or(isNull(t.notableSignatories.signatureId), listedSignature(t))))
        .orderBy(asc(t.notableSignatories.position), asc(t.notableSignatories.id)),
    );
    this.recentStmt = store.prepared<{ letterId: number; limit: number }, PublicSignature[]>('letter_recent', (db) =>
      db
        .select({ ...publicSignatureColumns(t), verifiedAt: t.signatures.verifiedAt })
        .from(t.signatures)
        .where(and(eq(t.signatures.letterId, p('letterId')), listedSignature(t)))
        .orderBy(desc(t.signatures.verifiedAt), desc(t.signatures.id))
        .limit(p('limit')),
    );
  }

  async findBySlug(slug: string): Promise<LetterWithCollective | undefined> {
    const [row] = await this.bySlug(this.store.db, { slug });
    return row && withCollective(row);
  }

  async findById(id: number, tx: Db = this.store.db): Promise<LetterWithCollective | undefined> {
    const [row] = await this.byId(tx, { id });
    return row && withCollective(row);
  }

  /** Published and closed letters, newest first (the home page). */
  async listPublic(): Promise<LetterWithCollective[]> {
    const t = this.t;
    const rows = await this.store.db
      .select({
        letter: t.letters,
        ...letterCountColumns(t),
        collective: { id: t.collectives.id, slug: t.collectives.slug, name: t.collectives.name },
      })
      .from(t.letters)
      .innerJoin(t.collectives, eq(t.collectives.id, t.letters.collectiveId))
      .where(inArray(t.letters.status, ['published', 'closed']))
      .orderBy(desc(t.letters.publishedAt), desc(t.letters.id));
    return rows.map(withCollective);
  }

  /** The notable signatories the public sees, in the organizers' order. */
  async notables(letterId: number): Promise<Notable[]> {
    return (await this.notablesStmt(this.store.db, { letterId })).map((row) => row.notable);
  }

  async recentPublicSignatures(letterId: number, limit: number): Promise<PublicSignature[]> {
    return this.recentStmt(this.store.db, { letterId, limit });
  }

  async versions(letterId: number): Promise<LetterVersion[]> {
    const v = this.t.letterVersions;
    return this.store.db.select().from(v).where(eq(v.letterId, letterId)).orderBy(asc(v.version));
  }

  /**
   * Creates or updates the letter with fields.slug, in one unit of work: the collective is
   * created if missing, the text is versioned when a published letter's words change, the file's
   * translations are tied to the resulting version, and, when `notables` is given, the hand-added
   * notable list is replaced by it.
   */
  async importLetter(input: {
    collective: { slug: string; name?: string };
    fields: LetterFields;
    status: LetterStatus;
    notables?: NotableInput[];
    /** Translations into other languages, tied to the letter's version after the import. */
    translations?: TranslationInput[];
    now: Date;
  }): Promise<{ letter: Letter; created: boolean }> {
    return this.store.unitOfWork(async (tx) => {
      const collectiveId = await this.ensureCollectiveTx(tx, input.collective.slug, input.collective.name);
      const [existing] = await tx.select().from(this.t.letters).where(eq(this.t.letters.slug, input.fields.slug)).limit(1);
      const letter = existing
        ? await this.updateLetterTx(tx, existing, input.fields, input.now, collectiveId)
        : await this.createLetterTx(tx, collectiveId, input.fields, input.now);
      const withStatus = await this.setStatusTx(tx, letter, input.status, input.now);
      if (input.notables) await this.replaceHandAddedNotablesTx(tx, letter.id, input.notables);
      await this.translations.importTx(tx, withStatus, input.translations ?? [], input.now);
      return { letter: withStatus, created: !existing };
    });
  }

  private async ensureCollectiveTx(tx: Db, slug: string, name?: string): Promise<number> {
    const c = this.t.collectives;
    const [found] = await tx.select().from(c).where(eq(c.slug, slug)).limit(1);
    if (found) {
      if (name && name !== found.name) await tx.update(c).set({ name }).where(eq(c.id, found.id));
      return found.id;
    }
    const [created] = await tx
      .insert(c)
      .values({ slug, name: name ?? slug })
      .returning({ id: c.id });
    return (created as { id: number }).id;
  }

  /** Inside a unit of work: a new draft letter with its first version and an empty count. */
  async createLetterTx(tx: Db, collectiveId: number, fields: LetterFields, now: Date): Promise<Letter> {
    const t = this.t;
    const [letter] = await tx
      .insert(t.letters)
      .values({ ...fields, collectiveId, status: 'draft', version: 1, createdAt: now, updatedAt: now })
      .returning();
    const created = letter as Letter;
    await tx.insert(t.letterVersions).values({
      letterId: created.id,
      version: 1,
      title: fields.title,
      addressee: fields.addressee,
      bodyMd: fields.bodyMd,
      createdAt: now,
    });
    await tx.insert(t.letterCountSlots).values({ letterId: created.id, slot: 0, count: 0, updatedAt: now });
    return created;
  }

  /**
   * Inside a unit of work: saves new fields. Once a letter has been published, a change to its
   * words (title, addressee, body) becomes a new version, so every signature stays attached to
   * the text its signer read. Before publication the draft is edited in place.
   */
  async updateLetterTx(tx: Db, existing: Letter, fields: LetterFields, now: Date, collectiveId?: number): Promise<Letter> {
    const t = this.t;
    const textChanged = existing.title !== fields.title || existing.addressee !== fields.addressee || existing.bodyMd !== fields.bodyMd;
    const newVersion = textChanged && existing.publishedAt !== null;
    const version = newVersion ? existing.version + 1 : existing.version;
    const [updated] = await tx
      .update(t.letters)
      .set({
        ...fields,
        ...(collectiveId ? { collectiveId } : {}),
        version,
        editedAt: newVersion ? now : existing.editedAt,
        updatedAt: now,
      })
      .where(eq(t.letters.id, existing.id))
      .returning();
    const text = { title: fields.title, addressee: fields.addressee, bodyMd: fields.bodyMd };
    if (newVersion) {
      await tx.insert(t.letterVersions).values({ letterId: existing.id, version, ...text, createdAt: now });
    } else if (textChanged) {
      await tx
        .update(t.letterVersions)
        .set(text)
        .where(and(eq(t.letterVersions.letterId, existing.id), eq(t.letterVersions.version, version)));
    }
    return updated as Letter;
  }

  /** Inside a unit of work: moves a letter to a new status, stamping when it was published or closed. */
  async setStatusTx(tx: Db, letter: Letter, status: LetterStatus, now: Date): Promise<Letter> {
    if (letter.status === status) return letter;
    const [updated] = await tx
      .update(this.t.letters)
      .set({
        status,
        // A letter imported as closed was public too: it has a publication date.
        publishedAt: status !== 'draft' ? (letter.publishedAt ?? now) : letter.publishedAt,
        closedAt: status === 'closed' ? now : null,
        updatedAt: now,
      })
      .where(eq(this.t.letters.id, letter.id))
      .returning();
    return updated as Letter;
  }

  private async replaceHandAddedNotablesTx(tx: Db, letterId: number, notables: NotableInput[]): Promise<void> {
    const n = this.t.notableSignatories;
    await tx.delete(n).where(and(eq(n.letterId, letterId), isNull(n.signatureId)));
    for (const [position, notable] of notables.entries()) {
      await tx
        .insert(n)
        .values({ letterId, name: notable.name, nameKey: nameKey(notable.name), description: notable.description, position });
    }
  }

  async count(): Promise<number> {
    const [row] = await this.store.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(this.t.letters);
    return row?.n ?? 0;
  }
}
