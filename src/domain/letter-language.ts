// Which text of a letter a reader is shown: its translation into the reader's language when it
// has one, else its own text. Pure: the page, the signing form and the tests decide alike.

export interface LetterText {
  title: string;
  summary: string;
  addressee: string;
  bodyMd: string;
}

export interface TranslatedText extends LetterText {
  language: string;
  translatesVersion: number;
}

export interface ShownText extends LetterText {
  /** The language of the text shown. */
  language: string;
  /** The version of the letter this text is (a translation: the version it was made from). */
  version: number;
  /** A translation made from an earlier version: the letter's words changed since. */
  outdated: boolean;
  /** The reader's language has no text: the letter's own is shown instead. */
  fallback: boolean;
}

export function shownText(
  letter: LetterText & { language: string; version: number },
  translations: readonly TranslatedText[],
  readerLanguage: string,
): ShownText {
  const own = { title: letter.title, summary: letter.summary, addressee: letter.addressee, bodyMd: letter.bodyMd };
  if (readerLanguage === letter.language) {
    return { ...own, language: letter.language, version: letter.version, outdated: false, fallback: false };
  }
  const translation = translations.find((t) => t.language === readerLanguage);
  if (!translation) return { ...own, language: letter.language, version: letter.version, outdated: false, fallback: true };
  return {
    title: translation.title,
    summary: translation.summary,
    addressee: translation.addressee,
    bodyMd: translation.bodyMd,
    language: translation.language,
    version: translation.translatesVersion,
    outdated: translation.translatesVersion < letter.version,
    fallback: false,
  };
}

/** The languages a letter can be read in: its own first, then its translations' (for hreflang). */
export function readableLanguages(letter: { language: string }, translations: ReadonlyArray<{ language: string }>): string[] {
  return [letter.language, ...translations.map((t) => t.language).filter((l) => l !== letter.language)];
}

/** A language's name in another language ("anglais" for en in fr), by the runtime's Intl data. */
export function languageName(code: string, inLanguage: string): string {
  try {
    return new Intl.DisplayNames([inLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
