// The life of a signature as one state machine. Every change of a signature's status, by the
// signer (confirming, withdrawing, signing again) or by an organizer (approving, rejecting,
// marking fraudulent), is a cell of TRANSITIONS: the next status, how the letter's count moves,
// which event is recorded and which mail goes out. The repository only carries out what this
// table returns; nothing else decides whether a signature counts.
//
// Counted means status `verified`, and nothing else. Hidden (a moderator hiding a counted name
// from the public list) is a flag beside the status, not a state.

export const SIGNATURE_STATES = ['pending', 'verified', 'held', 'late', 'rejected', 'fraudulent', 'withdrawn'] as const;
export type SignatureState = (typeof SIGNATURE_STATES)[number];

export const LIFECYCLE_EVENTS = [
  /** The signer's link, while the letter is open and nothing needs review. */
  'confirm',
  /** The signer's link, while the letter is open, with a reason to hold (see holdReasonFor). */
  'confirm_held',
  /** The signer's link after the letter closed: recorded, never counted. */
  'confirm_late',
  'withdraw',
  /** The same address signs the same letter again. */
  'sign_again',
  'approve',
  'reject',
  'mark_fraudulent',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/** Events an organizer causes (the others are the signer's own). */
export const MODERATOR_EVENTS: readonly LifecycleEvent[] = ['approve', 'reject', 'mark_fraudulent'];

/** What the event log records for a transition (signature_events.type). */
export type RecordedEvent = 'signed' | 'verified' | 'held' | 'late' | 'approved' | 'rejected' | 'withdrawn' | 'fraudulent';

/** The mail a transition sends to the signer. */
export type LifecycleMail = 'verify' | 'already_signed' | null;

export interface Transition {
  to: SignatureState;
  /** Change to the letter's count: -1, 0 or +1 (always counted(to) - counted(from)). */
  countDelta: -1 | 0 | 1;
  /** null: nothing changed, nothing is recorded. */
  record: RecordedEvent | null;
  mail: LifecycleMail;
  /**
   * The sticky "refused by an organizer" mark kept on the signature: set by a rejection or a
   * fraud mark, cleared only by an approval. It survives withdrawing and signing again, so the
   * next confirmation is held (holdReasonFor) instead of counted.
   */
  refusal: 'set' | 'clear' | null;
}

export const isCounted = (state: SignatureState): boolean => state === 'verified';

/** The signer used their link: counted, waiting for review, or too late to count. */
export const isConfirmed = (state: SignatureState): boolean => state === 'verified' || state === 'held' || state === 'late';

/** Moderators' decisions stick: a signer's own actions never make these count again. */
export const isModeratorRefused = (state: SignatureState): boolean => state === 'rejected' || state === 'fraudulent';

/** A cell that changes nothing: the event does not apply in that state. */
const stay = (state: SignatureState, mail: LifecycleMail = null): Transition => ({
  to: state,
  countDelta: 0,
  record: null,
  mail,
  refusal: null,
});

function move(from: SignatureState, to: SignatureState, record: RecordedEvent, mail: LifecycleMail = null): Transition {
  const delta = Number(isCounted(to)) - Number(isCounted(from));
  const refusal = record === 'rejected' || record === 'fraudulent' ? 'set' : record === 'approved' ? 'clear' : null;
  return { to, countDelta: delta as -1 | 0 | 1, record, mail, refusal };
}

/**
 * The whole table. Read a row as "a signature in this state, when this happens". Notes:
 * - `sign_again` from pending re-sends the confirmation link (the service throttles it); from a
 *   counted or confirmed state it mails "you have already signed" with a withdrawal link.
 * - From withdrawn, signing again starts over. From rejected or fraudulent it also starts over,
 *   but the signature is marked as previously refused, so confirming it is held for review
 *   (holdReasonFor) and only an organizer can make it count.
 * - Withdrawing a refused signature changes nothing: it is neither counted nor shown, and the
 *   organizers' decision stays visible to them.
 * - A late confirmation (after the letter closed) is kept as a record and never counts; the
 *   organizers cannot approve it into a closed count either. A signature held before the close
 *   can still be approved (its signer was in time), and withdrawals and refusals still apply:
 *   after the close the count moves only by what was confirmed before it, or down.
 */
export const TRANSITIONS: Record<SignatureState, Record<LifecycleEvent, Transition>> = {
  pending: {
    confirm: move('pending', 'verified', 'verified'),
    confirm_held: move('pending', 'held', 'held'),
    confirm_late: move('pending', 'late', 'late'),
    withdraw: move('pending', 'withdrawn', 'withdrawn'),
    sign_again: stay('pending', 'verify'),
    approve: stay('pending'),
    reject: move('pending', 'rejected', 'rejected'),
    mark_fraudulent: move('pending', 'fraudulent', 'fraudulent'),
  },
  verified: {
    confirm: stay('verified'),
    confirm_held: stay('verified'),
    confirm_late: stay('verified'),
    withdraw: move('verified', 'withdrawn', 'withdrawn'),
    sign_again: stay('verified', 'already_signed'),
    approve: stay('verified'),
    reject: move('verified', 'rejected', 'rejected'),
    mark_fraudulent: move('verified', 'fraudulent', 'fraudulent'),
  },
  held: {
    confirm: stay('held'),
    confirm_held: stay('held'),
    confirm_late: stay('held'),
    withdraw: move('held', 'withdrawn', 'withdrawn'),
    sign_again: stay('held', 'already_signed'),
    approve: move('held', 'verified', 'approved'),
    reject: move('held', 'rejected', 'rejected'),
    mark_fraudulent: move('held', 'fraudulent', 'fraudulent'),
  },
  late: {
    confirm: stay('late'),
    confirm_held: stay('late'),
    confirm_late: stay('late'),
    withdraw: move('late', 'withdrawn', 'withdrawn'),
    sign_again: stay('late', 'already_signed'),
    approve: stay('late'),
    reject: move('late', 'rejected', 'rejected'),
    mark_fraudulent: move('late', 'fraudulent', 'fraudulent'),
  },
  rejected: {
    confirm: stay('rejected'),
    confirm_held: stay('rejected'),
    confirm_late: stay('rejected'),
    withdraw: stay('rejected'),
    sign_again: move('rejected', 'pending', 'signed', 'verify'),
    approve: move('rejected', 'verified', 'approved'),
    reject: stay('rejected'),
    mark_fraudulent: move('rejected', 'fraudulent', 'fraudulent'),
  },
  fraudulent: {
    confirm: stay('fraudulent'),
    confirm_held: stay('fraudulent'),
    confirm_late: stay('fraudulent'),
    withdraw: stay('fraudulent'),
    sign_again: move('fraudulent', 'pending', 'signed', 'verify'),
    approve: stay('fraudulent'),
    reject: move('fraudulent', 'rejected', 'rejected'),
    mark_fraudulent: stay('fraudulent'),
  },
  withdrawn: {
    confirm: stay('withdrawn'),
    confirm_held: stay('withdrawn'),
    confirm_late: stay('withdrawn'),
    withdraw: stay('withdrawn'),
    sign_again: move('withdrawn', 'pending', 'signed', 'verify'),
    approve: stay('withdrawn'),
    reject: stay('withdrawn'),
    mark_fraudulent: move('withdrawn', 'fraudulent', 'fraudulent'),
  },
};

export function transition(state: SignatureState, event: LifecycleEvent): Transition {
  return TRANSITIONS[state][event];
}

// ---- holding for review ------------------------------------------------------------------------

export const HOLD_REASONS = ['name_duplicate', 'notable', 'spike', 'previously_rejected'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** What is known about a signature when its signer confirms it. */
export interface HoldFacts {
  /** A notable entry of the letter (not promoted from this very signature) has the same name key. */
  impersonatesNotable: boolean;
  /** An organizer rejected or marked this address fraudulent on this letter before. */
  previouslyRefused: boolean;
  /** The spike guard flagged the signing. */
  spike: boolean;
  /** Another confirmed signature on the letter has the same name key. */
  sameNameConfirmed: boolean;
  /** The letter's policy for same names. */
  duplicateNames: 'hold' | 'allow';
}

/** Why a signature must wait for an organizer when confirmed, most serious reason first. */
export function holdReasonFor(facts: HoldFacts): HoldReason | null {
  if (facts.impersonatesNotable) return 'notable';
  if (facts.previouslyRefused) return 'previously_rejected';
  if (facts.spike) return 'spike';
  if (facts.duplicateNames === 'hold' && facts.sameNameConfirmed) return 'name_duplicate';
  return null;
}

/** Which confirmation event applies: the letter's state and the hold decision pick the cell. */
export function confirmationEvent(letterOpen: boolean, hold: HoldReason | null): LifecycleEvent {
  if (!letterOpen) return 'confirm_late';
  return hold ? 'confirm_held' : 'confirm';
}

// ---- re-sending mail ---------------------------------------------------------------------------

/** A person asking again gets at most one mail a minute, whatever they ask for. */
export const RESEND_INTERVAL_MS = 60 * 1000;

/** Whether another mail may go to this signer now (lastMailAt: when the previous one was queued). */
export function mayMailAgain(lastMailAt: Date | null, now: Date): boolean {
  return lastMailAt === null || now.getTime() - lastMailAt.getTime() >= RESEND_INTERVAL_MS;
}
