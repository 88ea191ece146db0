// When a letter takes signatures. Pure: the same rule for the page, the form, the API and the
// confirmation of a signature.

export interface LetterClock {
  status: 'draft' | 'published' | 'closed';
  closesAt: Date | null;
  closedAt: Date | null;
}

/** Published, and its deadline (if any) not reached. */
export function isSignable(letter: Pick<LetterClock, 'status' | 'closesAt'>, now: Date): boolean {
  return letter.status === 'published' && !(letter.closesAt && letter.closesAt <= now);
}

/** When signing ended (an organizer closed it, or its deadline passed), or null while open. */
export function signingEndedAt(letter: LetterClock, now: Date): Date | null {
  if (letter.status === 'closed') return letter.closedAt ?? letter.closesAt ?? now;
  if (letter.closesAt && letter.closesAt <= now) return letter.closesAt;
  return null;
}
