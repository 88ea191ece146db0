// Letters as the public may see them: published and closed ones. A draft, or a slug that names
// nothing, is the same 404 everywhere (pages, the API, signing).
import { isPublic } from '../domain/letter-rules.js';
import { renderMarkdown } from '../domain/markdown.js';
import { NotFound } from '../errors.js';
import { FreshCache } from '../fresh-cache.js';
import type { LetterRepo, LetterVersion, LetterWithCollective } from './letter-repo.js';

/** A letter with its collective, as the public reads it. */
export type { LetterWithCollective } from './letter-repo.js';

export const NO_LETTER = 'There is no open letter at this address.';

/** The letter if the public may see it; else the same NotFound for a draft as for nothing at all. */
export function publicOrNotFound<T extends { status: string }>(letter: T | null | undefined): T {
  if (!letter || !isPublic(letter)) throw new NotFound(NO_LETTER);
  return letter;
}

/** Letters looked up by slug and kept (the most read and signed are a handful at any time). */
const LETTERS_KEPT = 256;

export class PublicLetters {
  private readonly bySlug: FreshCache<LetterWithCollective>;

  constructor(
    private readonly letters: LetterRepo,
    freshness: { changeMark: () => number; now: () => Date },
  ) {
    this.bySlug = new FreshCache({
      changeMark: freshness.changeMark,
      maxAgeMs: 1000,
      maxEntries: LETTERS_KEPT,
      clock: () => freshness.now().getTime(),
    });
  }

  /**
   * The letter at this slug, or NotFound when there is none or it is a draft. Kept as the other
   * caches are (see fresh-cache.ts): a signing spike looks its letter up once per write, not
   * once per signer. Whoever acts on it checks again in the unit of work.
   */
  publicLetter(slug: string): Promise<LetterWithCollective> {
    return this.bySlug.get(slug, async () => publicOrNotFound(await this.letters.findBySlug(slug)));
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
