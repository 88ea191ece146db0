// Letters from Markdown files (the CLI's import-letter, idempotent by slug), and the demo letters
// loaded on a first start so a newcomer sees a living site (never in production).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emailKey } from '../domain/email-key.js';
import { type MarkdownWarning, markdownWarnings } from '../domain/markdown.js';
import type { SignService } from '../signatures/sign-service.js';
import { ROOT_DIR } from '../views.js';
import {
  type LetterFile,
  type LetterFileTranslation,
  parseLetterFile,
  parseTranslationFile,
  translationFileLanguage,
  withTranslations,
} from './letter-file.js';
import type { Letter, LetterRepo } from './letter-repo.js';

// Found from the project root, so compiled code (dist/) reads the same files as the sources.
const DEMO_DIR = join(ROOT_DIR, 'src', 'letters', 'demo');

const DEMO_SIGNERS: Array<[string, string | null, string | null, string | null]> = [
  ['Ada Lindqvist', 'Illustrator', null, 'SE'],
  ['Bruno Carvalho', 'Storyboard artist', 'Estúdio Maré', 'BR'],
  ['Chloé Dubois', 'Animator', null, 'FR'],
  ['Dev Malhotra', 'Concept artist', null, 'IN'],
  ['Ewa Nowak', 'Comic artist', null, 'PL'],
  ['Femi Adeyemi', 'Photographer', null, 'NG'],
  ['Grace O’Neill', 'Novelist', null, 'IE'],
  ['Hiro Tanaka', 'Composer', null, 'JP'],
  ['Isla MacLeod', 'Poet', null, 'GB'],
  ['Jamal Wright', 'Session musician', null, 'US'],
  ['Katarzyna Zielińska', 'Translator', null, 'PL'],
  ['Liam Byrne', 'Voice actor', null, 'IE'],
];

/** A letter file into the repository (also the benchmark's fixtures). */
export function importLetterFile(letters: LetterRepo, file: LetterFile, now: Date): Promise<{ letter: Letter; created: boolean }> {
  return letters.importLetter({
    collective: { slug: file.collective, name: file.collective_name },
    fields: {
      slug: file.slug,
      title: file.title,
      summary: file.summary,
      addressee: file.addressee,
      bodyMd: file.body,
      goal: file.goal ?? null,
      milestones: file.milestones,
      closesAt: file.closes_at ?? null,
      duplicateNames: file.duplicate_names,
      language: file.language,
    },
    status: file.status,
    notables: file.notable,
    translations: file.translations.map((t) => ({
      language: t.language,
      title: t.title,
      summary: t.summary,
      addressee: t.addressee,
      bodyMd: t.body,
    })),
    now,
  });
}

/**
 * A letter file and the translation files beside it (NAME.xx.md next to NAME.md), as the
 * import command reads them (it reports each file's problem on its own).
 */
export function readLetterFiles(folder: string, name: string): LetterFile {
  const file = parseLetterFile(readFileSync(join(folder, name), 'utf8'));
  const translations: LetterFileTranslation[] = [];
  for (const other of readdirSync(folder).sort()) {
    const language = translationFileLanguage(name, other);
    if (language !== null) translations.push(parseTranslationFile(language, readFileSync(join(folder, other), 'utf8')));
  }
  return withTranslations(file, translations);
}

export class LetterImports {
  constructor(
    private readonly letters: LetterRepo,
    private readonly signing: SignService,
  ) {}

  /**
   * Creates or updates the letter the file describes, in one unit of work, and says what of its
   * text the page will not show as written (the editor's preview says the same).
   */
  async importFile(file: LetterFile, now: Date): Promise<{ letter: Letter; created: boolean; warnings: MarkdownWarning[] }> {
    const imported = await importLetterFile(this.letters, file, now);
    // A translation's text is shown under the same rules: what it will not show, named by language.
    const translated = file.translations.flatMap((t) =>
      markdownWarnings(t.body).map((w) => ({ ...w, message: `${t.language}: ${w.message}` })),
    );
    return { ...imported, warnings: [...markdownWarnings(file.body), ...translated] };
  }

  /** Imports the demo letters and a few confirmed signatures when the database has no letters. */
  async seedDemo(now: Date): Promise<boolean> {
    if ((await this.letters.count()) > 0) return false;
    const files = readdirSync(DEMO_DIR)
      // A letter per file; NAME.xx.md is a translation beside one.
      .filter((f) => /^[^.]+\.md$/.test(f))
      .sort();
    for (const [index, file] of files.entries()) {
      const parsed = readLetterFiles(DEMO_DIR, file);
      const { letter } = await this.importFile(parsed, new Date(now.getTime() - (files.length - index) * 86_400_000));
      const signers = DEMO_SIGNERS.filter((_, i) => (i + index) % 2 === 0 || i < 4);
      for (const [i, [name, title, organisation, country]] of signers.entries()) {
        const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`;
        await this.signing.addConfirmed(
          { letterId: letter.id, name, email, emailKey: emailKey(email) ?? email, title, organisation, country },
          new Date(now.getTime() - (signers.length - i) * 3_600_000),
        );
      }
    }
    return true;
  }
}
