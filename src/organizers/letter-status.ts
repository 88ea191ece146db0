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

/** What an organizer is asked before a move that cannot be taken back. */
export interface StatusQuestion {
  question: string;
  /** What follows, one fact a line. */
  consequences: string[];
  confirmLabel: string;
}

/**
 * The question to ask before moving a letter, or null when the move can simply be undone
 * (reopening: the letter can be closed again). Publishing can never be undone, and closing
 * leaves behind every signer who has not confirmed yet: both are asked first.
 */
export function statusQuestion(
  letter: { title: string; slug: string; status: LetterStatus },
  to: LetterStatus,
  context: { pending: number },
): StatusQuestion | null {
  if (letter.status === 'draft' && to === 'published') {
    return {
      question: `Publish ‘${letter.title}’?`,
      consequences: [
        'Once published it cannot become a draft again.',
        'Signing opens at once, and the letter appears on the home page, in the press API and in the feed.',
        `Its address, /letters/${letter.slug}, is fixed from then on, so shared links keep working.`,
        'You can still edit the text; each saved change becomes a new version, and earlier signatures stay with the text they signed.',
      ],
      confirmLabel: 'Publish now',
    };
  }
  if (to === 'closed') {
    const waiting =
      context.pending === 0
        ? 'Nobody is waiting to confirm a signature right now.'
        : `${context.pending.toLocaleString('en-GB')} ${context.pending === 1 ? 'signer has' : 'signers have'} not confirmed by email yet: if they confirm after now, they are told the letter closed, and they are not counted.`;
    return {
      question: `Close signing on ‘${letter.title}’?`,
      consequences: [
        'Signing stops at once: the form disappears and the API refuses new signatures.',
        waiting,
        'The letter and its counted signatures stay online.',
        'You can reopen it for signing later.',
      ],
      confirmLabel: 'Close signing now',
    };
  }
  return null;
}
