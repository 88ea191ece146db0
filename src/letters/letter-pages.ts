// Builds what the public letter pages show. Rendered Markdown is cached per letter until its
// text changes, so a spike of readers costs a few indexed lookups, not a Markdown parse each.
import { renderMarkdown } from '../domain/markdown.js';
import type { LetterRepo, LetterWithCollective, Notable, PublicSignature } from './letter-repo.js';

export const RECENT_SIGNATURES_ON_PAGE = 20;

export interface LetterView {
  letter: LetterWithCollective;
  bodyHtml: string;
  notables: Notable[];
  recent: PublicSignature[];
}

export class LetterPages {
  private readonly rendered = new Map<number, { source: string; html: string }>();

  constructor(private readonly letters: LetterRepo) {}

  /** The sanitized HTML of a letter's current text. */
  bodyHtml(letter: { id: number; bodyMd: string }): string {
    const cached = this.rendered.get(letter.id);
    if (cached && cached.source === letter.bodyMd) return cached.html;
    const html = renderMarkdown(letter.bodyMd);
    this.rendered.set(letter.id, { source: letter.bodyMd, html });
    return html;
  }

  async view(letter: LetterWithCollective): Promise<LetterView> {
    const [notables, recent] = await Promise.all([
      this.letters.notables(letter.id),
      this.letters.recentPublicSignatures(letter.id, RECENT_SIGNATURES_ON_PAGE),
    ]);
    return { letter, bodyHtml: this.bodyHtml(letter), notables, recent };
  }
}
