// /letters/:slug/signatures: every listed signature of a public letter, the notable signatories
// first, then the newest, in pages (keyset cursors, shared with the API), with a search on names.

import type { PressSignature } from '../api/press-repo.js';
import type { PressService } from '../api/press-service.js';
import { searchWords } from '../api/press-service.js';
import { nameKeyMatches } from '../domain/name-key.js';
import type { LetterRepo, LetterWithCollective, Notable } from './letter-repo.js';
import type { PublicLetters } from './public-letters.js';

export const SIGNATORIES_PER_PAGE = 50;

export interface SignatoryPageView {
  letter: LetterWithCollective;
  /** As typed (shown back in the box and the status line). */
  q: string;
  /** On the first page only: the notables, those matching q when searching. */
  notables: Notable[];
  signatures: PressSignature[];
  firstPage: boolean;
  nextCursor: string | null;
}

export class SignatoryPage {
  constructor(private readonly deps: { publicLetters: PublicLetters; letters: LetterRepo; press: PressService }) {}

  /** Throws NotFound for a draft or no letter, BadRequest for a cursor not made for this letter. */
  async view(slug: string, q: string, cursor: string | undefined): Promise<SignatoryPageView> {
    const letter = await this.deps.publicLetters.publicLetter(slug);
    const words = searchWords(q);
    // Something typed that folds to nothing (only punctuation) lists everyone, as an empty box does.
    const firstPage = cursor === undefined;
    const [notables, page] = await Promise.all([
      firstPage ? this.deps.letters.notables(letter.id) : [],
      this.deps.press.listed(letter.id, SIGNATORIES_PER_PAGE, cursor, words),
    ]);
    return {
      letter,
      q,
      notables: words.length > 0 ? notables.filter((n) => nameKeyMatches(n.nameKey, words)) : notables,
      signatures: page.rows,
      firstPage,
      nextCursor: page.nextCursor,
    };
  }
}
