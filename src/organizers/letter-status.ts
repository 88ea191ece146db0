// The life of a letter: draft → published → closed, and closed → published to reopen.
// A published letter never goes back to draft: people have signed it.
import type { LetterStatus } from '../db/vocabulary.js';

const NEXT: Record<LetterStatus, readonly LetterStatus[]> = {
  draft: ['published'],
  published: ['closed'],
  closed: ['published'],
};

export function allowedTransitions(from: LetterStatus): readonly LetterStatus[] {
  return NEXT[from];
}

export function canMove(from: LetterStatus, to: LetterStatus): boolean {
  return NEXT[from].includes(to);
}

/** The button label for a move, as organizers think of it. */
export function transitionLabel(from: LetterStatus, to: LetterStatus): string {
  if (to === 'closed') return 'Close signing';
  if (from === 'closed') return 'Reopen for signing';
  return 'Publish';
}
