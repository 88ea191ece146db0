// The life of a letter: draft → published → closed, and closed → published to reopen.
// A published letter never goes back to draft: people have signed it.
import type { LetterStatus } from '../db/vocabulary.js';
import { currentTranslator } from '../i18n/context.js';

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

/** The button label for a move, as organizers think of it (in the page's language). */
export function transitionLabel(from: LetterStatus, to: LetterStatus): string {
  const i18n = currentTranslator();
  const t = (key: string) => i18n.t(key);
  if (to === 'closed') return t('organizers.status.close');
  if (from === 'closed') return t('organizers.status.reopen');
  return t('organizers.status.publish');
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
  const i18n = currentTranslator();
  const t = (key: string, values?: Record<string, string | number>) => i18n.t(key, values);
  if (letter.status === 'draft' && to === 'published') {
    return {
      question: t('organizers.status.publishQuestion', { title: letter.title }),
      consequences: [
        t('organizers.status.publishNoDraft'),
        t('organizers.status.publishOpens'),
        t('organizers.status.publishAddress', { path: `/letters/${letter.slug}` }),
        t('organizers.status.publishEdit'),
      ],
      confirmLabel: t('organizers.status.publishNow'),
    };
  }
  if (to === 'closed') {
    return {
      question: t('organizers.status.closeQuestion', { title: letter.title }),
      consequences: [
        t('organizers.status.closeStops'),
        t('organizers.status.closeWaiting', { count: context.pending }),
        t('organizers.status.closeStays'),
        t('organizers.status.closeReopen'),
      ],
      confirmLabel: t('organizers.status.closeNow'),
    };
  }
  return null;
}
