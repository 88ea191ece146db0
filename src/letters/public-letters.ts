// Letters as the public may see them: published and closed ones. A draft, or a slug that names
// nothing, is the same 404 everywhere (pages, the API, signing).
import { renderMarkdown } from '../domain/markdown.js';
import { NotFound } from '../errors.js';
import type { LetterRepo, LetterVersion, LetterWithCollective } from './letter-repo.js';

export const NO_LETTER = 'There is no open letter at this address.';

export class PublicLetters {
  constructor(private readonly letters: LetterRepo) {}

  /** The letter at this slug, or NotFound when there is none or it is a draft. */
  async publicLetter(slug: string): Promise<LetterWithCollective> {
    const letter = await this.letters.findBySlug(slug);
    if (!letter || letter.status === 'draft') throw new NotFound(NO_LETTER);
    return letter;
  }

  /** Published and closed letters, newest first (the home page). */
  list(): Promise<LetterWithCollective[]> {
    return this.letters.listPublic();
  }

  /** Every version of a letter's text, newest first, each rendered. */
  async versions(letter: LetterWithCollective): Promise<Array<LetterVersion & { html: string }>> {
    const versions = await this.letters.versions(letter.id);
    return versions.reverse().map((v) => ({ ...v, html: renderMarkdown(v.bodyMd) }));
  }
}
