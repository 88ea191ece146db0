// A letter's translations as organizers change them: each write and its audit entry in one unit
// of work. The rows themselves are TranslationRepo's (letters/translation-repo.ts).
import { eq } from 'drizzle-orm';
import type { Db, Store } from '../db/store.js';
import type { Letter } from '../letters/letter-repo.js';
import type { LetterTranslation, TranslationInput, TranslationRepo } from '../letters/translation-repo.js';
import type { AuditRepo } from './audit-repo.js';

/** A translation as the audit log keeps it. */
function auditable(t: Pick<LetterTranslation, 'language' | 'title' | 'summary' | 'addressee' | 'bodyMd' | 'translatesVersion'>) {
  return {
    language: t.language,
    title: t.title,
    summary: t.summary,
    addressee: t.addressee,
    bodyMd: t.bodyMd,
    translatesVersion: t.translatesVersion,
  };
}

export class TranslationAdminRepo {
  constructor(
    private readonly store: Store,
    private readonly translations: TranslationRepo,
    private readonly audit: AuditRepo,
  ) {}

  forLetter(letterId: number): Promise<LetterTranslation[]> {
    return this.translations.forLetter(letterId);
  }

  find(letterId: number, language: string): Promise<LetterTranslation | undefined> {
    return this.translations.find(letterId, language);
  }

  /** Saves the translation, made from the letter's version at this moment (read in the same unit of work). */
  save(letterId: number, input: TranslationInput, actorId: number, now: Date): Promise<LetterTranslation> {
    return this.store.unitOfWork(async (tx) => {
      const letter = await this.letterTx(tx, letterId);
      const before = await this.translations.find(letterId, input.language, tx);
      const saved = await this.translations.saveTx(tx, letterId, input, letter.version, now);
      await this.audit.recordTx(tx, {
        collectiveId: letter.collectiveId,
        letterId,
        organizerId: actorId,
        action: before ? 'letter.translation_update' : 'letter.translation_add',
        targetType: 'letter',
        targetId: letterId,
        before: before ? auditable(before) : null,
        after: auditable(saved),
        at: now,
      });
      return saved;
    });
  }

  /** Deletes the translation; false when there was none. */
  delete(letterId: number, language: string, actorId: number, now: Date): Promise<boolean> {
    return this.store.unitOfWork(async (tx) => {
      const letter = await this.letterTx(tx, letterId);
      const removed = await this.translations.deleteTx(tx, letterId, language, now);
      if (!removed) return false;
      await this.audit.recordTx(tx, {
        collectiveId: letter.collectiveId,
        letterId,
        organizerId: actorId,
        action: 'letter.translation_delete',
        targetType: 'letter',
        targetId: letterId,
        before: auditable(removed),
        at: now,
      });
      return true;
    });
  }

  /**
   * Sets a draft's own language. Refused (null) when the letter is no longer a draft or has a
   * translation into that language: checked again here, inside the unit of work.
   */
  setLanguage(letterId: number, language: string, actorId: number, now: Date): Promise<Letter | null> {
    return this.store.unitOfWork(async (tx) => {
      const letter = await this.letterTx(tx, letterId);
      if (letter.language === language) return letter;
      if (letter.status !== 'draft' || (await this.translations.find(letterId, language, tx))) return null;
      const l = this.store.tables.letters;
      const [updated] = await tx.update(l).set({ language, updatedAt: now }).where(eq(l.id, letterId)).returning();
      await this.audit.recordTx(tx, {
        collectiveId: letter.collectiveId,
        letterId,
        organizerId: actorId,
        action: 'letter.language',
        targetType: 'letter',
        targetId: letterId,
        before: { language: letter.language },
        after: { language },
        at: now,
      });
      return updated as Letter;
    });
  }

  private async letterTx(tx: Db, letterId: number): Promise<Letter> {
    const l = this.store.tables.letters;
    const [letter] = await tx.select().from(l).where(eq(l.id, letterId)).limit(1);
    if (!letter) throw new Error(`letter ${letterId} vanished during a translation`);
    return letter;
  }
}
