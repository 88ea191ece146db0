// The database for SQLite (the embedded default). postgres.ts defines the same tables, columns,
// defaults and indexes for PostgreSQL, and test/unit/schemas.test.ts holds them to it.
// `npm run db:generate` turns changes here into a migration under migrations/sqlite/.
//
// Counters (letter_count_slots, letter_country_counts, letter_hour_counts) are kept in the same
// transaction as every signature state change, so no request path ever counts rows in
// `signatures`. Each is split into slots: a confirmation adds to one slot chosen at random, and
// readers sum them, so concurrent confirmations of one letter do not queue on one row.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  DUPLICATE_NAME_POLICIES,
  HOLD_REASONS,
  LETTER_STATUSES,
  ORGANIZER_TOKEN_PURPOSES,
  OUTBOX_STATUSES,
  ROLES,
  SIGNATURE_EVENT_TYPES,
  SIGNATURE_STATUSES,
  TOKEN_PURPOSES,
} from '../vocabulary.js';

const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const collectives = sqliteTable('collectives', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  createdAt: createdAt(),
  /** When its moderators were last mailed about held signatures (at most hourly), and the newest event that mail covered. */
  digestedAt: integer('digested_at', { mode: 'timestamp_ms' }),
  digestedEventId: integer('digested_event_id'),
});

export const letters = sqliteTable(
  'letters',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    collectiveId: integer('collective_id')
      .notNull()
      .references(() => collectives.id),
    slug: text('slug').notNull().unique(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    addressee: text('addressee').notNull().default(''),
    bodyMd: text('body_md').notNull().default(''),
    status: text('status', { enum: LETTER_STATUSES }).notNull().default('draft'),
    goal: integer('goal'),
    closesAt: integer('closes_at', { mode: 'timestamp_ms' }),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    duplicateNames: text('duplicate_names', { enum: DUPLICATE_NAME_POLICIES }).notNull().default('hold'),
    /** Current text version; signatures record the version they signed. */
    version: integer('version').notNull().default(1),
    /** When the text of a published letter was last edited (null if never). */
    editedAt: integer('edited_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    /** Bumped on every change to what the public sees of the letter, except its count (see letter_count_slots). */
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index('letters_status_published_idx').on(t.status, t.publishedAt, t.id)],
);

/** Earlier texts of a letter, one row per version (the current one included). */
export const letterVersions = sqliteTable(
  'letter_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    addressee: text('addressee').notNull().default(''),
    bodyMd: text('body_md').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('letter_versions_letter_version_uq').on(t.letterId, t.version)],
);

export const signatures = sqliteTable(
  'signatures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    letterVersion: integer('letter_version').notNull().default(1),
    name: text('name').notNull(),
    /** Canonical form of the name (see domain/name-key.ts). */
    nameKey: text('name_key').notNull(),
    /** Blocking keys for near-match search: first and last four characters of name_key. */
    nameHead: text('name_head').notNull(),
    nameTail: text('name_tail').notNull(),
    nameLen: integer('name_len').notNull(),
    /** The address as typed: mail goes here. Never shown publicly. */
    email: text('email').notNull(),
    /** Canonical mailbox (see domain/email-key.ts): one signature per letter per key. */
    emailKey: text('email_key').notNull(),
    title: text('title'),
    organisation: text('organisation'),
    country: text('country'),
    isPublic: integer('is_public', { mode: 'boolean' }).notNull().default(true),
    /** Hidden from the public list by moderators, still counted. */
    hidden: integer('hidden', { mode: 'boolean' }).notNull().default(false),
    comment: text('comment'),
    status: text('status', { enum: SIGNATURE_STATUSES }).notNull().default('pending'),
    /** Pending: why confirming will hold it (the spike guard). Held: why it is held. */
    holdReason: text('hold_reason', { enum: HOLD_REASONS }),
    /** Rejected or marked fraudulent by an organizer, and not approved since (sticky: see the lifecycle). */
    previouslyRefused: integer('previously_refused', { mode: 'boolean' }).notNull().default(false),
    /** The signature (or notable entry's signature) a held one collided with. */
    matchedSignatureId: integer('matched_signature_id'),
    matchedNotableId: integer('matched_notable_id'),
    /** A counted signature whose name is one edit away from this one. */
    possibleDuplicateOf: integer('possible_duplicate_of'),
    ip: text('ip'),
    lastMailAt: integer('last_mail_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    verifiedAt: integer('verified_at', { mode: 'timestamp_ms' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('signatures_letter_email_uq').on(t.letterId, t.emailKey),
    index('signatures_letter_name_idx').on(t.letterId, t.nameKey),
    // Near-match blocking (signature-repo nearMatch): covering, so the candidates' status and
    // name key come from the index; a table row per candidate cost ms at 1,000,000 signatures.
    index('signatures_letter_head_idx').on(t.letterId, t.nameHead, t.nameLen, t.status, t.nameKey),
    index('signatures_letter_tail_idx').on(t.letterId, t.nameTail, t.nameLen, t.status, t.nameKey),
    index('signatures_letter_status_idx').on(t.letterId, t.status, t.id),
    // The public list, newest first, keyset-paginated by (verified_at, id). Listed-ness is in the
    // key rather than the predicate, so both databases match it with bound parameters.
    index('signatures_public_list_idx').on(t.letterId, t.isPublic, t.hidden, t.verifiedAt, t.id).where(sql`status = 'verified'`),
  ],
);

/** Signer links. Only SHA-256 hashes of tokens are stored; every link expires. */
export const signatureTokens = sqliteTable(
  'signature_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    signatureId: integer('signature_id')
      .notNull()
      .references(() => signatures.id),
    purpose: text('purpose', { enum: TOKEN_PURPOSES }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('signature_tokens_signature_idx').on(t.signatureId)],
);

/** Append-only: every change of a signature's state, written in the same transaction. */
export const signatureEvents = sqliteTable(
  'signature_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    signatureId: integer('signature_id').notNull(),
    letterId: integer('letter_id').notNull(),
    type: text('type', { enum: SIGNATURE_EVENT_TYPES }).notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** Change to the letter's count caused by this event: -1, 0 or +1. */
    countDelta: integer('count_delta').notNull().default(0),
    organizerId: integer('organizer_id'),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('signature_events_letter_idx').on(t.letterId, t.id)],
);

/** A letter's count, in slots: the sum of a letter's rows is its number of counted signatures. */
export const letterCountSlots = sqliteTable(
  'letter_count_slots',
  {
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    slot: integer('slot').notNull().default(0),
    count: integer('count').notNull().default(0),
    /** When this slot last moved: the newest of a letter's slots is when its count last changed. */
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.slot] })],
);

/** Counted signatures per country, in slots. */
export const letterCountryCounts = sqliteTable(
  'letter_country_counts',
  {
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    country: text('country').notNull(),
    slot: integer('slot').notNull().default(0),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.country, t.slot] })],
);

/** Counted signatures per hour of verified_at (UTC), in slots. */
export const letterHourCounts = sqliteTable(
  'letter_hour_counts',
  {
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    /** Start of the hour, milliseconds since the epoch. */
    hour: integer('hour').notNull(),
    slot: integer('slot').notNull().default(0),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.hour, t.slot] })],
);

/**
 * The spike guard's windows: signing attempts per letter, minute and source (an IP, its network,
 * an email domain, or `*` for all), in slots like the counters. Old minutes are swept.
 */
export const spikeCounts = sqliteTable(
  'spike_counts',
  {
    letterId: integer('letter_id').notNull(),
    /** Start of the minute, milliseconds since the epoch. */
    minute: integer('minute').notNull(),
    source: text('source').notNull(),
    slot: integer('slot').notNull().default(0),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.minute, t.source, t.slot] })],
);

/** Fixed-window counters shared by every process: failed sign-ins, and rate limits on PostgreSQL. */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull().default(0),
    windowEndsAt: integer('window_ends_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('rate_limits_window_idx').on(t.windowEndsAt)],
);

export const notableSignatories = sqliteTable(
  'notable_signatories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    description: text('description').notNull().default(''),
    /** The verified signature this entry was promoted from; null when added by hand. */
    signatureId: integer('signature_id').references(() => signatures.id),
    position: integer('position').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('notable_letter_position_idx').on(t.letterId, t.position), index('notable_letter_name_idx').on(t.letterId, t.nameKey)],
);

/**
 * Mail waiting to go out. Rows are written in the same transaction as what caused them, holding
 * only the template's name (`kind`) and its data as JSON: the worker renders, after the commit.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    to: text('to').notNull(),
    data: text('data').notNull().default('{}'),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    lastError: text('last_error'),
    /** A sender's lease: another process may take the message once it has passed. */
    claimedUntil: integer('claimed_until', { mode: 'timestamp_ms' }),
    /** Names the lease, so a sender whose lease ran out cannot mark someone else's send. */
    claim: text('claim'),
    createdAt: createdAt(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
);

export const organizers = sqliteTable('organizers', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** scrypt hash (see domain/passwords.ts); null until the organizer sets one. */
  passwordHash: text('password_hash'),
  createdAt: createdAt(),
});

export const memberships = sqliteTable(
  'memberships',
  {
    organizerId: integer('organizer_id')
      .notNull()
      .references(() => organizers.id),
    collectiveId: integer('collective_id')
      .notNull()
      .references(() => collectives.id),
    role: text('role', { enum: ROLES }).notNull(),
    createdAt: createdAt(),
    /** The member wants the hourly mail about held signatures (when their role moderates). */
    moderationDigest: integer('moderation_digest', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.organizerId, t.collectiveId] })],
);

/** Sign-in, password-reset and invitation links for organizers (hashes only). */
export const organizerTokens = sqliteTable('organizer_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  purpose: text('purpose', { enum: ORGANIZER_TOKEN_PURPOSES }).notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  organizerId: integer('organizer_id').references(() => organizers.id),
  /** For invitations: who is invited where, with which role. */
  email: text('email'),
  collectiveId: integer('collective_id').references(() => collectives.id),
  role: text('role', { enum: ROLES }),
  /** For invitations: the member who issued it (their invitations end when they leave). */
  issuedBy: integer('issued_by').references(() => organizers.id),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  createdAt: createdAt(),
});

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the session cookie's token. */
    id: text('id').primaryKey(),
    organizerId: integer('organizer_id')
      .notNull()
      .references(() => organizers.id),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_organizer_idx').on(t.organizerId)],
);

/** Every organizer action (and CLI repairs): who, what, when, before and after. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    collectiveId: integer('collective_id'),
    letterId: integer('letter_id'),
    organizerId: integer('organizer_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: integer('target_id'),
    before: text('before'),
    after: text('after'),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('audit_collective_idx').on(t.collectiveId, t.id)],
);
