// Data access for a letter's translations: its text in other languages than its own, each tied
// to the version of the letter it was made from. Every write also moves the letter's updated_at,
// so the cached pages and API answers that show the letter are rendered again.
import { and, asc, eq } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';

export type LetterTranslation = Tables['letterTranslations']['$inferSelect'];

/** The words of a letter in one language. */
export interface TranslationText {
  title: string;
  summary: string;
  addressee: string;
  bodyMd: string;
}

export interface TranslationInput extends TranslationText {
  language: string;
}

export class TranslationRepo {
  private readonly t: Tables;

  constructor(private readonly store: Store) {
    this.t = store.tables;
  }

  /** A letter's translations, by language code. */
  async forLetter(letterId: number, tx: Db = this.store.db): Promise<LetterTranslation[]> {
    const lt = this.t.letterTranslations;
    return tx.select().from(lt).where(eq(lt.letterId, letterId)).orderBy(asc(lt.language));
  }

  async find(letterId: number, language: string, tx: Db = this.store.db): Promise<LetterTranslation | undefined> {
    const lt = this.t.letterTranslations;
    const [row] = await tx
      .select()
      .from(lt)
      .where(and(eq(lt.letterId, letterId), eq(lt.language, language)))
      .limit(1);
    return row;
  }

  /** Inside a unit of work: creates or replaces the translation into `language`, made from `version`. */
  async saveTx(tx: Db, letterId: number, input: TranslationInput, version: number, now: Date): Promise<LetterTranslation> {
    const lt = this.t.letterTranslations;
    const text = { title: input.title, summary: input.summary, addressee: input.addressee, bodyMd: input.bodyMd };
    const [row] = await tx
      .insert(lt)
      .values({ letterId, language: input.language, ...text, translatesVersion: version, updatedAt: now })
      .onConflictDoUpdate({ target: [lt.letterId, lt.language], set: { ...text, translatesVersion: version, updatedAt: now } })
      .returning();
    await this.touchTx(tx, letterId, now);
    return row as LetterTranslation;
  }

  /** Inside a unit of work: removes the translation into `language`; the removed row, if there was one. */
  async deleteTx(tx: Db, letterId: number, language: string, now: Date): Promise<LetterTranslation | undefined> {
    const lt = this.t.letterTranslations;
    const [row] = await tx
      .delete(lt)
      .where(and(eq(lt.letterId, letterId), eq(lt.language, language)))
      .returning();
    if (row) await this.touchTx(tx, letterId, now);
    return row;
  }

  /**
   * Inside an import's unit of work: the file's translations replace those into the same
   * languages, tied to the letter's version after the import. Translations the file does not
   * name (written in the editor, say) stay as they are, with the version they were made from;
   * one into the letter's own language no longer makes sense and is removed.
   */
  async importTx(tx: Db, letter: { id: number; version: number; language: string }, inputs: TranslationInput[], now: Date) {
    const lt = this.t.letterTranslations;
    await tx.delete(lt).where(and(eq(lt.letterId, letter.id), eq(lt.language, letter.language)));
    for (const input of inputs) {
      if (input.language !== letter.language) await this.saveTx(tx, letter.id, input, letter.version, now);
    }
  }

  private async touchTx(tx: Db, letterId: number, now: Date): Promise<void> {
    await tx.update(this.t.letters).set({ updatedAt: now }).where(eq(this.t.letters.id, letterId));
  }
}
