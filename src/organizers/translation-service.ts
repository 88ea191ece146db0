// The rules of a letter's translations in the editor: into a language of the site other than the
// letter's own, with a text the letter's own rules would accept (no image without a description),
// tied to the version translated; the letter's own language changes only while it is a draft.
import { z } from 'zod';
import { markdownWarnings } from '../domain/markdown.js';
import { isLocale, LOCALES, type Locale } from '../i18n/locales.js';
import type { Letter } from '../letters/letter-repo.js';
import type { LetterTranslation } from '../letters/translation-repo.js';
import type { LetterAccess } from './access.js';
import type { FieldErrors } from './form.js';
import { letterFormSchema } from './letter-form.js';
import type { SignedInOrganizer } from './session-repo.js';
import type { TranslationAdminRepo } from './translation-admin-repo.js';

const fields = letterFormSchema.shape;

/** The translation form: the same fields and limits as the letter's own text. */
export const translationFormSchema = z.object({
  title: fields.title,
  summary: fields.summary,
  addressee: fields.addressee,
  body: fields.body,
  intent: z.enum(['save', 'preview']).optional().default('save'),
});

export type TranslationForm = z.output<typeof translationFormSchema>;

/** The form to choose the letter's own language (its values are checked by the service). */
export const letterLanguageFormSchema = z.object({
  language: z.string({ error: 'letters.translations.errorLanguage' }).max(10, 'letters.translations.errorLanguage'),
});

/** A translation's state, as the list shows it. */
export interface TranslationState {
  language: Locale;
  translatesVersion: number;
  current: boolean;
  updatedAt: Date;
}

export type TranslationSaved = { ok: true; translation: LetterTranslation } | { ok: false; errors: FieldErrors };

export class TranslationService {
  constructor(
    private readonly deps: {
      repo: TranslationAdminRepo;
      now: () => Date;
    },
  ) {}

  /** The letter's translations, with whether each is of its current text. */
  async list(letter: Letter): Promise<TranslationState[]> {
    const rows = await this.deps.repo.forLetter(letter.id);
    return rows
      .filter((t): t is LetterTranslation & { language: Locale } => isLocale(t.language) && t.language !== letter.language)
      .map((t) => ({
        language: t.language,
        translatesVersion: t.translatesVersion,
        current: t.translatesVersion === letter.version,
        updatedAt: t.updatedAt,
      }));
  }

  /** The languages a translation may be into: the site's, except the letter's own. */
  targetLanguages(letter: Letter): Locale[] {
    return LOCALES.filter((l) => l !== letter.language);
  }

  /** A language a translation of this letter may be into, from a path parameter; null otherwise. */
  target(letter: Letter, language: string): Locale | null {
    return isLocale(language) && language !== letter.language ? language : null;
  }

  find(letter: Letter, language: Locale): Promise<LetterTranslation | undefined> {
    return this.deps.repo.find(letter.id, language);
  }

  async save(access: LetterAccess, organizer: SignedInOrganizer, language: Locale, form: TranslationForm): Promise<TranslationSaved> {
    const refused = markdownWarnings(form.body).find((w) => w.refused);
    if (refused) return { ok: false, errors: { body: refused.message } };
    const translation = await this.deps.repo.save(
      access.letter.id,
      { language, title: form.title, summary: form.summary, addressee: form.addressee, bodyMd: form.body },
      organizer.id,
      this.deps.now(),
    );
    return { ok: true, translation };
  }

  delete(access: LetterAccess, organizer: SignedInOrganizer, language: Locale): Promise<boolean> {
    return this.deps.repo.delete(access.letter.id, language, organizer.id, this.deps.now());
  }

  /**
   * Sets the letter's own language: a message key when refused (not a language of the site, a
   * published letter, or a language it has a translation into).
   */
  async setLanguage(
    access: LetterAccess,
    organizer: SignedInOrganizer,
    language: string,
  ): Promise<{ ok: true } | { ok: false; error: string }> {
    const { letter } = access;
    if (!isLocale(language)) return { ok: false, error: 'letters.translations.errorLanguage' };
    if (language === letter.language) return { ok: true };
    if (letter.status !== 'draft') return { ok: false, error: 'letters.translations.errorPublished' };
    const saved = await this.deps.repo.setLanguage(letter.id, language, organizer.id, this.deps.now());
    return saved ? { ok: true } : { ok: false, error: 'letters.translations.errorLanguageTaken' };
  }
}
