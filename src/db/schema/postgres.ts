// The database for PostgreSQL (several processes, several machines). sqlite.ts defines the same
// tables, columns, defaults and indexes for SQLite, and test/unit/schemas.test.ts holds them to
// it. `npm run db:generate` turns changes here into a migration under migrations/postgres/.
//
// Counters (letter_count_slots, letter_country_counts, letter_hour_counts) are kept in the same
// transaction as every signature state change, so no request path ever counts rows in
// `signatures`. Each is split into slots: a confirmation adds to one slot chosen at random, and
// readers sum them, so concurrent confirmations of one letter do not queue on one row.
import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Milestone } from '../../domain/milestones.js';
import { LOCALES } from '../../i18n/locales.js';
import {
  DUPLICATE_NAME_POLICIES,
  HOLD_REASONS,
  LETTER_STATUSES,
  LOG_ENTRY_KINDS,
  ORGANIZER_TOKEN_PURPOSES,
  OUTBOX_STATUSES,
  ROLES,
  SIGNATURE_EVENT_TYPES,
  SIGNATURE_STATUSES,
  TOKEN_PURPOSES,
  UPDATE_STATUSES,
} from '../vocabulary.js';

/** Times to the millisecond, as the SQLite schema keeps them, with the time zone. */
const TIME = { mode: 'date', withTimezone: true, precision: 3 } as const;

/**
 * Text compared byte by byte (as SQLite compares text), whatever the database's collation: a
 * prefix search as a range (word >= 'ada' AND word < 'ada' || U+10FFFF) then means the same on
 * both stores, and a plain index answers it.
 */
const byteOrderText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

const createdAt = () => timestamp('created_at', TIME).notNull().defaultNow();

export const collectives = pgTable('collectives', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  createdAt: createdAt(),
  /** When its moderators were last mailed about held signatures (at most hourly), and the newest event that mail covered. */
  digestedAt: timestamp('digested_at', TIME),
  digestedEventId: integer('digested_event_id'),
});

export const letters = pgTable(
  'letters',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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
    closesAt: timestamp('closes_at', TIME),
    publishedAt: timestamp('published_at', TIME),
    closedAt: timestamp('closed_at', TIME),
    duplicateNames: text('duplicate_names', { enum: DUPLICATE_NAME_POLICIES }).notNull().default('hold'),
    /** Counts announced on the way, ascending, with what happens there (domain/milestones.ts); not part of the signed text. */
    milestones: jsonb('milestones').$type<Milestone[]>().notNull().default([]),
    /** The language the letter is written in (a locale of src/i18n/locales.ts); its translations are in letter_translations. */
    language: text('language').notNull().default('en'),
    /** Current text version; signatures record the version they signed. */
    version: integer('version').notNull().default(1),
    /** When the text of a published letter was last edited (null if never). */
    editedAt: timestamp('edited_at', TIME),
    createdAt: createdAt(),
    /** Bumped on every change to what the public sees of the letter, except its count (see letter_count_slots). */
    updatedAt: timestamp('updated_at', TIME).notNull().defaultNow(),
  },
  (t) => [index('letters_status_published_idx').on(t.status, t.publishedAt, t.id)],
);

/** Earlier texts of a letter, one row per version (the current one included). */
export const letterVersions = pgTable(
  'letter_versions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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

/**
 * A letter's text in another language than its own: one row per language, tied to the version
 * of the letter it was made from (`translates_version`), so a translation of an older text is
 * shown as such.
 */
export const letterTranslations = pgTable(
  'letter_translations',
  {
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id, { onDelete: 'cascade' }),
    language: text('language').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    addressee: text('addressee').notNull().default(''),
    bodyMd: text('body_md').notNull(),
    translatesVersion: integer('translates_version').notNull(),
    updatedAt: timestamp('updated_at', TIME).notNull(),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.language] })],
);

export const signatures = pgTable(
  'signatures',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    /** The version of the text the signer was shown (a translation's: the version it translates). */
    letterVersion: integer('letter_version').notNull().default(1),
    /**
     * The language of the text the signer was shown. Signatures from before letters had
     * translations were all given on English pages (the only language the site had): 'en'.
     */
    language: text('language').notNull().default('en'),
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
    isPublic: boolean('is_public').notNull().default(true),
    /** Hidden from the public list by moderators, still counted. */
    hidden: boolean('hidden').notNull().default(false),
    comment: text('comment'),
    status: text('status', { enum: SIGNATURE_STATUSES }).notNull().default('pending'),
    /** Pending: why confirming will hold it (the spike guard). Held: why it is held. */
    holdReason: text('hold_reason', { enum: HOLD_REASONS }),
    /** Rejected or marked fraudulent by an organizer, and not approved since (sticky: see the lifecycle). */
    previouslyRefused: boolean('previously_refused').notNull().default(false),
    /** The signature (or notable entry's signature) a held one collided with. */
    matchedSignatureId: integer('matched_signature_id'),
    matchedNotableId: integer('matched_notable_id'),
    /** A counted signature whose name is one edit away from this one. */
    possibleDuplicateOf: integer('possible_duplicate_of'),
    /** The signature's opaque id in its letter's public log, the same in all its entries. */
    logSig: text('log_sig'),
    /** base64 of the random salt of its commitment (deleted with the person's data on erasure). */
    logSalt: text('log_salt'),
    /** base64(SHA-256(salt ‖ public fields)), computed when signing: confirming copies it into the log. */
    logCommitment: text('log_commitment'),
    ip: text('ip'),
    /** When the signer ticked "Email me updates" (null: never mailed an update), and the wording they saw. */
    updatesConsentAt: timestamp('updates_consent_at', TIME),
    /** A key of domain/update-consent.ts's wordings: the exact words shown beside the box. */
    updatesConsentWording: text('updates_consent_wording'),
    /** Unsubscribed from this letter's updates (the signature still counts). */
    updatesUnsubscribedAt: timestamp('updates_unsubscribed_at', TIME),
    lastMailAt: timestamp('last_mail_at', TIME),
    createdAt: createdAt(),
    verifiedAt: timestamp('verified_at', TIME),
    updatedAt: timestamp('updated_at', TIME),
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
    // Who an update goes to (updates/update-repo.ts): counted, consenting, subscribed, in id order,
    // so counting them and walking them in batches reads only them, at any size of letter. The
    // status leads the key as in signatures_letter_status_idx, so SQLite prefers this one.
    index('signatures_update_recipients_idx')
      .on(t.letterId, t.status, t.id)
      .where(sql`status = 'verified' AND updates_consent_at IS NOT NULL AND updates_unsubscribed_at IS NULL`),
    // Signatures stored before the public log existed (every new one has its log id from the
    // start): what the log's one-time backfill looks for at each start, without reading the table.
    index('signatures_unlogged_idx').on(t.id).where(sql`log_sig IS NULL`),
  ],
);

/**
 * The folded words of every listed signature's name (the words of its name_key), so the public
 * search finds a name by the start of any of its words through an index instead of reading every
 * name. A row exists exactly while its signature is listed (counted, shown by choice, not hidden):
 * written and removed in the same transaction as the change that lists or unlists it. The
 * confirmation time is in the key, so a page of matches, newest first, reads index entries only.
 */
export const signatureNameWords = pgTable(
  'signature_name_words',
  {
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    word: byteOrderText('word').notNull(),
    verifiedAt: timestamp('verified_at', TIME).notNull(),
    signatureId: integer('signature_id')
      .notNull()
      .references(() => signatures.id),
  },
  (t) => [
    primaryKey({ columns: [t.letterId, t.word, t.verifiedAt, t.signatureId] }),
    // A signature's own words: removing them, and checking a search's other words.
    index('signature_name_words_signature_idx').on(t.signatureId, t.word),
  ],
);

/** Signer links. Only SHA-256 hashes of tokens are stored; every link expires. */
export const signatureTokens = pgTable(
  'signature_tokens',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    signatureId: integer('signature_id')
      .notNull()
      .references(() => signatures.id),
    purpose: text('purpose', { enum: TOKEN_PURPOSES }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', TIME).notNull(),
    usedAt: timestamp('used_at', TIME),
    createdAt: createdAt(),
  },
  (t) => [index('signature_tokens_signature_idx').on(t.signatureId)],
);

/** Append-only: every change of a signature's state, written in the same transaction. */
export const signatureEvents = pgTable(
  'signature_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    signatureId: integer('signature_id').notNull(),
    letterId: integer('letter_id').notNull(),
    type: text('type', { enum: SIGNATURE_EVENT_TYPES }).notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** Change to the letter's count caused by this event: -1, 0 or +1. */
    countDelta: integer('count_delta').notNull().default(0),
    organizerId: integer('organizer_id'),
    at: timestamp('at', TIME).notNull(),
  },
  (t) => [index('signature_events_letter_idx').on(t.letterId, t.id)],
);

/** A letter's count, in slots: the sum of a letter's rows is its number of counted signatures. */
export const letterCountSlots = pgTable(
  'letter_count_slots',
  {
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    slot: integer('slot').notNull().default(0),
    count: integer('count').notNull().default(0),
    /** When this slot last moved: the newest of a letter's slots is when its count last changed. */
    updatedAt: timestamp('updated_at', TIME).notNull(),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.slot] })],
);

/** Counted signatures per country, in slots. */
export const letterCountryCounts = pgTable(
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
export const letterHourCounts = pgTable(
  'letter_hour_counts',
  {
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    /** Start of the hour, milliseconds since the epoch. */
    hour: bigint('hour', { mode: 'number' }).notNull(),
    slot: integer('slot').notNull().default(0),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.hour, t.slot] })],
);

/**
 * The spike guard's windows: signing attempts per letter, minute and source (an IP, its network,
 * an email domain, or `*` for all), in slots like the counters. Old minutes are swept.
 */
export const spikeCounts = pgTable(
  'spike_counts',
  {
    letterId: integer('letter_id').notNull(),
    /** Start of the minute, milliseconds since the epoch. */
    minute: bigint('minute', { mode: 'number' }).notNull(),
    source: text('source').notNull(),
    slot: integer('slot').notNull().default(0),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.minute, t.source, t.slot] })],
);

/** Fixed-window counters shared by every process: failed sign-ins, and rate limits on PostgreSQL. */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull().default(0),
    windowEndsAt: timestamp('window_ends_at', TIME).notNull(),
  },
  (t) => [index('rate_limits_window_idx').on(t.windowEndsAt)],
);

export const notableSignatories = pgTable(
  'notable_signatories',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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
export const outbox = pgTable(
  'outbox',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    kind: text('kind').notNull(),
    to: text('to').notNull(),
    data: text('data').notNull().default('{}'),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', TIME).notNull(),
    lastError: text('last_error'),
    /** A sender's lease: another process may take the message once it has passed. */
    claimedUntil: timestamp('claimed_until', TIME),
    /** Names the lease, so a sender whose lease ran out cannot mark someone else's send. */
    claim: text('claim'),
    /** 0: sent first (confirmations, account mail); 1: bulk (updates), sent when nothing else waits. */
    priority: integer('priority').notNull().default(0),
    /** Bulk mail only: the update and the signature it goes to, unique together (one mail each). */
    updateId: integer('update_id'),
    signatureId: integer('signature_id'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', TIME),
  },
  (t) => [
    index('outbox_due_idx').on(t.status, t.priority, t.nextAttemptAt),
    uniqueIndex('outbox_update_signature_uq').on(t.updateId, t.signatureId).where(sql`update_id IS NOT NULL`),
  ],
);

export const organizers = pgTable('organizers', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** scrypt hash (see domain/passwords.ts); null until the organizer sets one. */
  passwordHash: text('password_hash'),
  createdAt: createdAt(),
  /** The language of their organizer pages and of the mail the site sends them (they choose it on their account page). */
  language: text('language', { enum: LOCALES }).notNull().default('en'),
});

export const memberships = pgTable(
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
    moderationDigest: boolean('moderation_digest').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.organizerId, t.collectiveId] })],
);

/** Sign-in, password-reset and invitation links for organizers (hashes only). */
export const organizerTokens = pgTable('organizer_tokens', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  purpose: text('purpose', { enum: ORGANIZER_TOKEN_PURPOSES }).notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  organizerId: integer('organizer_id').references(() => organizers.id),
  /** For invitations: who is invited where, with which role. */
  email: text('email'),
  collectiveId: integer('collective_id').references(() => collectives.id),
  role: text('role', { enum: ROLES }),
  /** For invitations: the member who issued it (their invitations end when they leave). */
  issuedBy: integer('issued_by').references(() => organizers.id),
  expiresAt: timestamp('expires_at', TIME).notNull(),
  usedAt: timestamp('used_at', TIME),
  createdAt: createdAt(),
});

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the session cookie's token. */
    id: text('id').primaryKey(),
    organizerId: integer('organizer_id')
      .notNull()
      .references(() => organizers.id),
    expiresAt: timestamp('expires_at', TIME).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_organizer_idx').on(t.organizerId)],
);

/** Every organizer action (and CLI repairs): who, what, when, before and after. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    collectiveId: integer('collective_id'),
    letterId: integer('letter_id'),
    organizerId: integer('organizer_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: integer('target_id'),
    before: text('before'),
    after: text('after'),
    at: timestamp('at', TIME).notNull(),
  },
  (t) => [index('audit_collective_idx').on(t.collectiveId, t.id)],
);

/**
 * News from organizers to a letter's signers. Sending fixes the recipients (the total, and the
 * highest signature id that may receive it); a background job then queues their mail in batches,
 * in signature-id order after `cursor`, and the outbox worker sends it. The counters are kept in
 * the same units of work as the outbox rows they count, so progress survives restarts.
 */
export const letterUpdates = pgTable(
  'letter_updates',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    subject: text('subject').notNull(),
    bodyMd: text('body_md').notNull().default(''),
    /** Mailed to signers only, never shown on the letter's page or in its feed. */
    signersOnly: boolean('signers_only').notNull().default(false),
    status: text('status', { enum: UPDATE_STATUSES }).notNull().default('draft'),
    createdBy: integer('created_by').references(() => organizers.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', TIME).notNull(),
    /** Who sent it (null: the command line), and when. */
    sentBy: integer('sent_by').references(() => organizers.id),
    sentAt: timestamp('sent_at', TIME),
    /** Recipients when it was sent, and the newest signature among them: later signers are not mailed. */
    recipientTotal: integer('recipient_total'),
    lastSignatureId: integer('last_signature_id'),
    /** The fan-out's position: recipients up to this signature id have their mail queued. */
    cursor: integer('cursor').notNull().default(0),
    queuedCount: integer('queued_count').notNull().default(0),
    sentCount: integer('sent_count').notNull().default(0),
    /** Not sent: refused by the recipient's server, given up, or no longer subscribed when its turn came. */
    unsentCount: integer('unsent_count').notNull().default(0),
    /** When the last batch was queued, and when the last of its mail was sent. */
    queuedAt: timestamp('queued_at', TIME),
    finishedAt: timestamp('finished_at', TIME),
  },
  (t) => [index('letter_updates_letter_idx').on(t.letterId, t.id), index('letter_updates_status_idx').on(t.status)],
);

/** Addresses whose mail server refused them permanently (an SMTP 5xx for the recipient): no more updates. */
export const emailSuppressions = pgTable('email_suppressions', {
  /** The canonical mailbox (domain/email-key.ts), as signatures.email_key holds it. */
  emailKey: text('email_key').primaryKey(),
  reason: text('reason').notNull(),
  createdAt: createdAt(),
});

// ---- the public signature log (src/log/, domain/merkle.ts, domain/log-tiles.ts) ------------------

/**
 * Entries waiting to be sequenced into their letter's log: written in the same unit of work as the
 * change of the count they record, taken in id order by the one integrator, deleted once in.
 */
export const logQueue = pgTable(
  'log_queue',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    sig: text('sig').notNull(),
    kind: text('kind', { enum: LOG_ENTRY_KINDS }).notNull(),
    /** The entry's exact bytes (ASCII JSON, domain/log-entry.ts). */
    entry: text('entry').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('log_queue_sig_idx').on(t.letterId, t.sig)],
);

/** A letter's log, append-only: entry `idx` is leaf `idx` of its Merkle tree. */
export const logEntries = pgTable(
  'log_entries',
  {
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    idx: integer('idx').notNull(),
    sig: text('sig').notNull(),
    kind: text('kind', { enum: LOG_ENTRY_KINDS }).notNull(),
    entry: text('entry').notNull(),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.idx] }), index('log_entries_sig_idx').on(t.letterId, t.sig, t.idx)],
);

/**
 * The tree's stored hashes (base64): level L holds the hashes of its complete subtrees of height
 * 8·L in order, so a tile of the log is a range of at most 256 rows of one level.
 */
export const logHashes = pgTable(
  'log_hashes',
  {
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    level: integer('level').notNull(),
    idx: integer('idx').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.level, t.idx] })],
);

/**
 * Every signed checkpoint, never changed: the latest is a letter's log now (it never shrinks),
 * earlier ones say when an entry was first included. Each keeps the tree's frontier, so the
 * next append reads one row instead of the tree.
 */
export const logCheckpoints = pgTable(
  'log_checkpoints',
  {
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id),
    size: integer('size').notNull(),
    /** base64 root hash. */
    root: text('root').notNull(),
    /** Signatures counted after replaying the first `size` entries. */
    count: integer('count').notNull(),
    /** base64 of the frontier's hashes, largest subtree first (domain/merkle.ts). */
    frontier: text('frontier').notNull(),
    /** The signed note as served. */
    note: text('note').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.letterId, t.size] })],
);
