// The entries of a letter's public log, and the rule that replays them into a count. An entry is
// a small JSON object in a fixed key order: `kind`, `sig` (an opaque random id of the signature,
// the same in all its entries), `at` (UTC, to the minute) and, for `confirm` and `restore`, the
// letter `version` signed and `commit`, a salted hash of the public fields. Never an email, an
// IP or a token. Which transition of the lifecycle writes which kind is decided here too.
import { createHash } from 'node:crypto';
import { pooledRandomBytes } from './random-pool.js';
import { isModeratorRefused, type SignatureState, type Transition } from './signature-lifecycle.js';
import { hasLoneSurrogate } from './text.js';

export const ENTRY_KINDS = ['confirm', 'withdraw', 'remove', 'restore'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface LogEntry {
  kind: EntryKind;
  sig: string;
  /** `2026-06-01T12:00Z`. */
  at: string;
  /** confirm and restore only. */
  version?: number;
  commit?: string;
}

/** Salts are 16 random bytes: the commitment of a short name cannot be guessed without one. */
export const SALT_BYTES = 16;
const SIG_BYTES = 16;
const randomBytes = pooledRandomBytes();

// ---- the replay rule ----------------------------------------------------------------------------

/** A signature counts iff the kind of its latest entry is confirm or restore. */
export function isCountingKind(kind: EntryKind | undefined): boolean {
  return kind === 'confirm' || kind === 'restore';
}

/** How the replayed count moves when a signature whose latest entry was `previous` gets `next`. */
export function replayDelta(previous: EntryKind | undefined, next: EntryKind): -1 | 0 | 1 {
  return (Number(isCountingKind(next)) - Number(isCountingKind(previous))) as -1 | 0 | 1;
}

/**
 * Which entry a lifecycle transition writes: one for every change of the count and none
 * otherwise. +1 is a confirmation, or a restore when an organizer approves a signature they had
 * refused; −1 is a withdrawal by the signer (or the erasure of their data) or a removal by an
 * organizer (rejected or fraudulent).
 */
export function entryKindFor(from: SignatureState, t: Transition): EntryKind | null {
  if (t.countDelta === 1) return isModeratorRefused(from) ? 'restore' : 'confirm';
  if (t.countDelta === -1) return t.record === 'withdrawn' ? 'withdraw' : 'remove';
  return null;
}

// ---- entries ------------------------------------------------------------------------------------

/** UTC to the minute: when, but not to the second, so entries do not time a signer precisely. */
export function minuteOf(date: Date): string {
  return `${date.toISOString().slice(0, 16)}Z`;
}

/** The entry's bytes: keys always in this order, nothing but ASCII. */
export function entryText(entry: LogEntry): string {
  const counting = entry.kind === 'confirm' || entry.kind === 'restore';
  const base = { kind: entry.kind, sig: entry.sig, at: entry.at };
  return JSON.stringify(counting ? { ...base, version: entry.version, commit: entry.commit } : base);
}

const SIG_SHAPE = /^[A-Za-z0-9_-]{22}$/;
const AT_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/;

/** An entry from its bytes, or null when they are not exactly what entryText writes. */
export function parseEntry(text: string): LogEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const e = value as Record<string, unknown>;
  if (!ENTRY_KINDS.includes(e.kind as EntryKind) || typeof e.sig !== 'string' || typeof e.at !== 'string') return null;
  const entry: LogEntry = { kind: e.kind as EntryKind, sig: e.sig, at: e.at };
  if (isCountingKind(entry.kind)) {
    if (!Number.isInteger(e.version) || typeof e.commit !== 'string') return null;
    entry.version = e.version as number;
    entry.commit = e.commit;
  }
  return SIG_SHAPE.test(entry.sig) && AT_SHAPE.test(entry.at) && entryText(entry) === text ? entry : null;
}

// ---- commitments --------------------------------------------------------------------------------

/** What a confirmation commits to: the fields the public list shows. */
export interface PublicFields {
  name: string;
  title: string | null;
  organisation: string | null;
  country: string | null;
}

/** The opaque id a signature carries in all its entries. */
export function newSig(random: (bytes: number) => Buffer = randomBytes): string {
  return random(SIG_BYTES).toString('base64url');
}

export function newSalt(random: (bytes: number) => Buffer = randomBytes): Buffer {
  return random(SALT_BYTES);
}

/** The committed text: JSON.stringify of [name, title, organisation, country], missing values as "". */
export function committedText(fields: PublicFields): string {
  return JSON.stringify([fields.name, fields.title ?? '', fields.organisation ?? '', fields.country ?? '']);
}

/** base64(SHA-256(salt ‖ UTF-8 of the committed text)). */
export function commitment(salt: Uint8Array, fields: PublicFields): string {
  return createHash('sha256').update(salt).update(committedText(fields), 'utf8').digest('base64');
}

/** The log columns a signature keeps: its id in the log, its salt (base64) and its commitment. */
export interface LogIdentity {
  logSig: string;
  logSalt: string;
  logCommitment: string;
}

/** A fresh id and salt for a signature with these public fields, and their commitment. */
export function logIdentity(fields: PublicFields, random?: (bytes: number) => Buffer): LogIdentity {
  const salt = newSalt(random);
  return { logSig: newSig(random), logSalt: salt.toString('base64'), logCommitment: commitment(salt, fields) };
}

/**
 * C0 and C1 controls, DEL and the line and paragraph separators: JSON encoders disagree on how
 * to write them (escaped or raw, \n or \u000a, upper- or lower-case hex), and the commitment is
 * over JSON text, so a verifier in another language could not recompute it.
 */
const UNPORTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Whether every JSON encoder writes this text the same way (apart from the quotes and
 * backslashes all of them escape alike): no control characters, no line separators, and no
 * lone surrogate, which UTF-8 cannot hold at all.
 */
export function isPortableText(value: string): boolean {
  return !UNPORTABLE.test(value) && !hasLoneSurrogate(value);
}
