// The values the database's text columns may hold, shared by both schemas (sqlite.ts and
// postgres.ts) and by the code that reads them. Statuses and hold reasons belong to the
// signature lifecycle (domain/signature-lifecycle.ts).
import { ENTRY_KINDS } from '../domain/log-entry.js';
import { HOLD_REASONS, type HoldReason, SIGNATURE_STATES } from '../domain/signature-lifecycle.js';

export { HOLD_REASONS, type HoldReason };

export const LETTER_STATUSES = ['draft', 'published', 'closed'] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];

export const DUPLICATE_NAME_POLICIES = ['hold', 'allow'] as const;
export type DuplicateNamePolicy = (typeof DUPLICATE_NAME_POLICIES)[number];

export const SIGNATURE_STATUSES = SIGNATURE_STATES;
export type SignatureStatus = (typeof SIGNATURE_STATUSES)[number];

export const TOKEN_PURPOSES = ['verify', 'withdraw'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export const SIGNATURE_EVENT_TYPES = [
  'signed',
  'verified',
  'held',
  'late',
  'approved',
  'rejected',
  'withdrawn',
  'hidden',
  'unhidden',
  'fraudulent',
  'repaired',
] as const;
export type SignatureEventType = (typeof SIGNATURE_EVENT_TYPES)[number];

export const OUTBOX_STATUSES = ['pending', 'sent', 'dead'] as const;

export const ROLES = ['owner', 'editor', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

export const ORGANIZER_TOKEN_PURPOSES = ['signin', 'reset', 'invite'] as const;

/** An update to signers: written, then being sent (its mail queued in batches), then sent. */
export const UPDATE_STATUSES = ['draft', 'sending', 'sent'] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

/** What an entry of a letter's public log records (domain/log-entry.ts). */
export const LOG_ENTRY_KINDS = ENTRY_KINDS;
