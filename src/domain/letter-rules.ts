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

/** Whether the public may see the letter at all: a draft is visible only to its organizers. */
export function isPublic(letter: { status: string }): boolean {
  return letter.status !== 'draft';
}

/** The status the public is told (pages, the API, the feed): a letter they can see is open or closed. */
export function publicStatus(status: string): 'published' | 'closed' {
  return status === 'closed' ? 'closed' : 'published';
}
