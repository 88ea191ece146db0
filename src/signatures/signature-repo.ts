// Units of work for a signature's life. Each public method is atomic: it reads what the lifecycle
// (domain/signature-lifecycle.ts) needs, asks it for the transition, and carries that out: the
// signature's state, its event, the letter's counters and the mail it causes change together in
// one unit of work, or not at all. No rule about whether a signature counts lives here.
//
// Status changes are compare-and-set on the status that was read, so two processes confirming
// the same link at once cannot both count it: the loser's unit of work is run again and finds
// the signature already confirmed.
import { aliasedTable, and, eq, inArray, sql } from 'drizzle-orm';
import { ConcurrentChange, type Db, param, type Store, type Tables } from '../db/store.js';
import type { SignatureStatus } from '../db/vocabulary.js';
import { isSignable } from '../domain/letter-rules.js';
import { isOneEditApart, NEAR_MATCH_MIN_LENGTH, nameBlocks } from '../domain/name-key.js';
import {
  confirmationEvent,
  type HoldReason,
  holdReasonFor,
  isConfirmed,
  type LifecycleEvent,
  mayMailAgain,
  type Transition,
  transition,
} from '../domain/signature-lifecycle.js';
import { hashToken, VERIFY_LINK_TTL_MS, WITHDRAW_LINK_TTL_MS, withdrawTokenFor } from '../domain/tokens.js';
import type { UpdateConsent } from '../domain/update-consent.js';
import { LetterClosed, NotFound } from '../errors.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales.js';
import { LogQueue } from '../log/log-queue.js';
import { type OutboxRepo, outboxValues } from '../mail/outbox-repo.js';
import type { QueuedMail } from '../mail/templates.js';
import { Counters } from './counters.js';
import { NameWords } from './name-words.js';
import { type FirstSignature, OneTripSigning, type SignerColumns } from './one-trip-signing.js';
import type { SpikeWindows } from './spike-windows.js';

export type Signature = Tables['signatures']['$inferSelect'];

/** A new signature, with its id, salt and commitment for the public log (computed by the caller). */
export interface NewSignature extends SignerColumns {
  /** The spike guard's sources for this signing (IP, network, mail domain); empty to skip it. */
  sources: string[];
  /** The "updates" box was ticked: given now, with these words (null: unticked, nothing changes). */
  updatesConsent: UpdateConsent | null;
}

/** What the signer's mail says about the letter (the template adds the links). */
export interface LetterForMail {
  title: string;
  slug: string;
}

/** For logs and tests only: callers answer every outcome the same way. */
export type SignOutcome = 'created' | 'resent' | 'already_signed' | 'throttled';

/** A confirmation link, used: what happened, and the withdrawal link that goes with it. */
export type VerifyOutcome =
  | { kind: 'unknown' }
  | { kind: 'expired'; letterId: number }
  | { kind: 'inactive'; letterId: number; status: SignatureStatus }
  | { kind: 'verified' | 'held' | 'late' | 'already'; letterId: number; status: SignatureStatus; withdrawToken: string | null };

export type WithdrawOutcome = { kind: 'unknown' } | { kind: 'expired'; letterId: number } | { kind: 'withdrawn'; letterId: number };

export type TokenLookup =
  | { state: 'unknown' }
  | { state: 'expired' | 'used' | 'valid'; signature: Signature; withdrawToken: string | null };

export type ModerationAction = 'approve' | 'reject' | 'hide' | 'unhide' | 'fraudulent';

const MODERATION_EVENTS: Record<'approve' | 'reject' | 'fraudulent', LifecycleEvent> = {
  approve: 'approve',
  reject: 'reject',
  fraudulent: 'mark_fraudulent',
};

export interface ModerationResult {
  signature: Signature;
  before: Pick<Signature, 'status' | 'hidden'>;
  after: Pick<Signature, 'status' | 'hidden'>;
}

/** Signatures a new one may collide with by name: confirmed by email, counted or under review. */
const CONFIRMED: SignatureStatus[] = ['verified', 'held'];
/** Bounded: the flag is advice for moderators, and confirming must stay fast at any size. */
const NEAR_MATCH_CANDIDATES_PER_BLOCK = 250;

/** The columns a transition sets besides the status (confirmations record their review facts). */
interface TransitionChanges {
  holdReason?: HoldReason | null;
  matchedSignatureId?: number | null;
  matchedNotableId?: number | null;
  possibleDuplicateOf?: number | null;
}

type Token = Tables['signatureTokens']['$inferSelect'];
type LetterRules = Pick<Tables['letters']['$inferSelect'], 'id' | 'status' | 'closesAt' | 'version' | 'language' | 'duplicateNames'>;

export class SignatureRepo {
  private readonly t: Tables;
  private readonly counters: Counters;
  /** Each change of the count queues its public log entry in the same unit of work. */
  private readonly log: LogQueue;
  /** The public search's words, kept with listed-ness (name-words.ts). */
  private readonly words: NameWords;
  /** PostgreSQL's shortcut for a new signer (see one-trip-signing.ts); SQLite needs none. */
  private readonly oneTrip: OneTripSigning | null;
  private readonly q;

  constructor(
    private readonly store: Store,
    private readonly outbox: OutboxRepo,
    private readonly spike: SpikeWindows | null,
    private readonly generateToken: () => string,
  ) {
    this.t = store.tables;
    const t = this.t;
    this.counters = new Counters(store);
    this.log = new LogQueue(store);
    this.words = new NameWords(store);
    this.oneTrip = store.dialect === 'postgres' ? new OneTripSigning(store) : null;
    const p = sql.placeholder;
    const s = t.signatures;
    const prepared = store.prepared.bind(store);
    // What the rules for signing and confirming need of a letter.
    const letterRules = {
      id: t.letters.id,
      status: t.letters.status,
      closesAt: t.letters.closesAt,
      version: t.letters.version,
      language: t.letters.language,
      duplicateNames: t.letters.duplicateNames,
    };
    // The statements of signing and confirming, prepared once: building them per request cost
    // more than running them on SQLite.
    this.q = {
      letter: prepared<{ id: number }, LetterRules[]>('sig_letter', (db) =>
        db
          .select(letterRules)
          .from(t.letters)
          .where(eq(t.letters.id, p('id'))),
      ),
      byEmailKey: prepared<{ letterId: number; emailKey: string }, Signature[]>('sig_by_email', (db) =>
        db
          .select()
          .from(s)
          .where(and(eq(s.letterId, p('letterId')), eq(s.emailKey, p('emailKey')))),
      ),
      byId: prepared<{ id: number }, Signature[]>('sig_by_id', (db) =>
        db
          .select()
          .from(s)
          .where(eq(s.id, p('id'))),
      ),
      insertPending: prepared<Record<string, unknown>, Signature[]>('sig_insert', (db) =>
        db
          .insert(s)
          .values({
            letterId: p('letterId'),
            letterVersion: p('letterVersion'),
            name: p('name'),
            nameKey: p('nameKey'),
            nameHead: p('nameHead'),
            nameTail: p('nameTail'),
            nameLen: p('nameLen'),
            email: p('email'),
            emailKey: p('emailKey'),
            title: p('title'),
            organisation: p('organisation'),
            country: p('country'),
            isPublic: p('isPublic'),
            comment: p('comment'),
            ip: p('ip'),
            language: p('language'),
            logSig: p('logSig'),
            logSalt: p('logSalt'),
            logCommitment: p('logCommitment'),
            holdReason: p('holdReason'),
            status: 'pending',
            lastMailAt: p('now'),
            createdAt: p('now'),
            updatedAt: p('now'),
          })
          .returning(),
      ),
      // Ticking the box again consents again, and undoes an unsubscription from this letter.
      recordConsent: prepared<{ id: number; at: Date; wording: string }, unknown>('sig_updates_consent', (db) =>
        db
          .update(s)
          .set({ updatesConsentAt: param<Date>('at'), updatesConsentWording: param<string>('wording'), updatesUnsubscribedAt: null })
          .where(eq(s.id, p('id'))),
      ),
      touchMail: prepared<{ id: number; now: Date }, unknown>('sig_touch_mail', (db) =>
        db
          .update(s)
          .set({ lastMailAt: param<Date>('now'), updatedAt: param<Date>('now') })
          .where(eq(s.id, p('id'))),
      ),
      // A transition is a compare-and-set on the status the lifecycle was asked about. Confirming
      // also stamps verified_at (a separate statement: a null time cannot go through the column's
      // encoding).
      transition: prepared<Record<string, unknown>, Signature[]>('sig_transition', (db) =>
        db
          .update(s)
          .set(transitionColumns())
          .where(and(eq(s.id, p('id')), eq(s.status, p('from'))))
          .returning(),
      ),
      confirmTransition: prepared<Record<string, unknown>, Signature[]>('sig_transition_confirm', (db) =>
        db
          .update(s)
          .set({ ...transitionColumns(), verifiedAt: param<Date>('verifiedAt') })
          .where(and(eq(s.id, p('id')), eq(s.status, p('from'))))
          .returning(),
      ),
      insertEvent: prepared<Record<string, unknown>, unknown>('sig_event', (db) =>
        db.insert(t.signatureEvents).values({
          signatureId: p('signatureId'),
          letterId: p('letterId'),
          type: p('type'),
          fromStatus: p('fromStatus'),
          toStatus: p('toStatus'),
          countDelta: p('countDelta'),
          organizerId: p('organizerId'),
          at: p('at'),
        }),
      ),
      insertToken: prepared<{ signatureId: number; purpose: string; tokenHash: string; expiresAt: Date; createdAt: Date }, unknown>(
        'sig_token_insert',
        (db) =>
          db
            .insert(t.signatureTokens)
            .values({
              signatureId: p('signatureId'),
              purpose: p('purpose'),
              tokenHash: p('tokenHash'),
              expiresAt: p('expiresAt'),
              createdAt: p('createdAt'),
            })
            .onConflictDoNothing(),
      ),
      // A link, its signature and letter, and whether the withdrawal link derived from it (a
      // confirmation link's partner, mailed with it) exists: one read where there were three.
      tokenByHash: prepared<
        { tokenHash: string; partnerHash: string },
        Array<{ token: Token; signature: Signature; letter: LetterRules; partner: { id: number } | null }>
      >('sig_token_by_hash', (db) => {
        const partner = aliasedTable(t.signatureTokens, 'partner');
        return db
          .select({ token: t.signatureTokens, signature: s, letter: letterRules, partner: { id: partner.id } })
          .from(t.signatureTokens)
          .innerJoin(s, eq(s.id, t.signatureTokens.signatureId))
          .innerJoin(t.letters, eq(t.letters.id, s.letterId))
          .leftJoin(partner, and(eq(partner.tokenHash, p('partnerHash')), eq(partner.signatureId, s.id)))
          .where(eq(t.signatureTokens.tokenHash, p('tokenHash')));
      }),
      // Used once: a link two requests race for is used by the first only.
      useToken: prepared<{ id: number; now: Date }, Array<{ id: number }>>('sig_token_use', (db) =>
        db
          .update(t.signatureTokens)
          .set({ usedAt: param<Date>('now') })
          .where(and(eq(t.signatureTokens.id, p('id')), sql`${t.signatureTokens.usedAt} IS NULL`))
          .returning({ id: t.signatureTokens.id }),
      ),
      // Withdrawing ends the confirmation links still out: they would confirm nothing anyway.
      retireVerifyLinks: prepared<{ signatureId: number; now: Date }, unknown>('sig_token_retire', (db) =>
        db
          .update(t.signatureTokens)
          .set({ usedAt: param<Date>('now') })
          .where(
            and(
              eq(t.signatureTokens.signatureId, p('signatureId')),
              eq(t.signatureTokens.purpose, 'verify'),
              sql`${t.signatureTokens.usedAt} IS NULL`,
            ),
          ),
      ),
      // What a confirmation may collide with by name, in one read: a notable signatory of that
      // name who is not this signature, and an earlier confirmed signature of that name.
      collisions: store.preparedSql<
        { letterId: number; nameKey: string; id: number },
        { notableId: number | null; notableSignatureId: number | null; twinId: number | null }
      >(
        'sig_collisions',
        (() => {
          const n = t.notableSignatories;
          const notable = (column: typeof n.id | typeof n.signatureId) =>
            sql`(SELECT ${column} FROM ${n} WHERE ${n.letterId} = ${p('letterId')} AND ${n.nameKey} = ${p('nameKey')}
                   AND (${n.signatureId} IS NULL OR ${n.signatureId} <> ${p('id')}) ORDER BY ${n.id} LIMIT 1)`;
          return sql`SELECT ${notable(n.id)} AS "notableId", ${notable(n.signatureId)} AS "notableSignatureId",
            (SELECT ${s.id} FROM ${s} WHERE ${s.letterId} = ${p('letterId')} AND ${s.nameKey} = ${p('nameKey')}
               AND ${inArray(s.status, CONFIRMED)} AND ${s.id} <> ${p('id')} ORDER BY ${s.id} LIMIT 1) AS "twinId"`;
        })(),
      ),
      // Near-match blocking: a bounded read per blocking key, each on a covering index, so no
      // candidate costs a table row (an OR of the two read every confirmed signature instead);
      // both in one statement.
      nearCandidates: store.preparedSql<
        { letterId: number; head: string; tail: string; minLen: number; maxLen: number },
        { id: number; nameKey: string; block: number }
      >(
        'sig_near',
        (() => {
          const block = (column: typeof s.nameHead | typeof s.nameTail, name: string) =>
            store.db
              .select({ id: s.id, nameKey: s.nameKey })
              .from(s)
              .where(
                and(
                  eq(s.letterId, p('letterId')),
                  eq(column, p(name)),
                  sql`${s.nameLen} BETWEEN ${p('minLen')} AND ${p('maxLen')}`,
                  inArray(s.status, CONFIRMED),
                ),
              )
              .limit(NEAR_MATCH_CANDIDATES_PER_BLOCK);
          return sql`SELECT id, name_key AS "nameKey", 0 AS block FROM (${block(s.nameHead, 'head')}) AS head_block
            UNION ALL SELECT id, name_key AS "nameKey", 1 AS block FROM (${block(s.nameTail, 'tail')}) AS tail_block`;
        })(),
      ),
      bumpLetter: prepared<{ letterId: number; now: Date }, unknown>('sig_letter_touch', (db) =>
        db
          .update(t.letters)
          .set({ updatedAt: param<Date>('now') })
          .where(eq(t.letters.id, p('letterId'))),
      ),
    };
  }

  // ---- signing -------------------------------------------------------------------------------

  /**
   * Records a signature, or the same address signing again, and queues the mail the lifecycle
   * says, atomically. The outcome is for logs and tests only: callers must answer every outcome
   * the same way, so nobody can learn whether an address has signed.
   */
  async createPendingSignature(
    input: NewSignature,
    letter: LetterForMail,
    now: Date,
    locale: Locale = DEFAULT_LOCALE,
  ): Promise<SignOutcome> {
    const spike = this.spike && input.sources.length > 0 ? await this.spike.record(input.letterId, input.sources, now) : false;
    const { sources: _, ...signer } = input;
    const fields: FirstSignature = {
      ...signer,
      ...nameBlockColumns(input.nameKey),
      holdReason: spike ? ('spike' as const) : null,
      ...consentColumns(input.updatesConsent),
    };
    const mail: SignerMail = { to: input.email, name: input.name, letterTitle: letter.title, letterSlug: letter.slug, locale };
    if (this.oneTrip) {
      const verifyToken = this.generateToken();
      const withdrawToken = withdrawTokenFor(verifyToken);
      const created = await this.oneTrip.create(
        fields,
        { verify: linkRow('verify', verifyToken, now), withdraw: linkRow('withdraw', withdrawToken, now) },
        outboxValues(verifyMail(mail, verifyToken, withdrawToken)),
        now,
      );
      if (created !== null) return 'created';
    }
    return this.store.unitOfWork((tx) => this.signTx(tx, fields, mail, now));
  }

  /** The general path: every case the lifecycle knows, in one unit of work. */
  private async signTx(tx: Db, typed: FirstSignature, mail: SignerMail, now: Date): Promise<SignOutcome> {
    const [letter] = await this.q.letter(tx, { id: typed.letterId });
    if (!letter) throw new NotFound();
    if (!isSignable(letter, now)) throw new LetterClosed();
    // The version the signer was shown, which an edit since cannot have raised above the letter's.
    const fields = { ...typed, letterVersion: Math.min(typed.letterVersion, letter.version) };

    const [existing] = await this.q.byEmailKey(tx, { letterId: fields.letterId, emailKey: fields.emailKey });
    if (!existing) {
      const [signature] = await this.q.insertPending(tx, { ...fields, now });
      const created = signature as Signature;
      await this.consentTx(tx, created.id, fields);
      await this.eventTx(tx, created, 'signed', null, 0, now);
      await this.queueVerifyTx(tx, created.id, mail, now);
      return 'created';
    }

    await this.consentTx(tx, existing.id, fields);
    const t = transition(existing.status, 'sign_again');
    // Asking again without changing anything (a resend) is throttled; starting over is not.
    if (t.record === null && !mayMailAgain(existing.lastMailAt, now)) return 'throttled';
    if (t.record) {
      const { updatesConsentAt: _at, updatesConsentWording: _wording, ...typedNow } = fields;
      // Starting over (after a withdrawal, or a refusal): what they typed now replaces what they
      // typed then; the sticky refusal mark stays, so confirming will be held.
      const [renewed] = await tx
        .update(this.t.signatures)
        .set({
          ...typedNow,
          // The signature keeps its id in the log; its salt and commitment follow what was typed now.
          logSig: existing.logSig ?? fields.logSig,
          matchedSignatureId: null,
          matchedNotableId: null,
          possibleDuplicateOf: null,
          hidden: false,
          status: t.to,
          verifiedAt: null,
          lastMailAt: now,
          updatedAt: now,
        })
        .where(and(eq(this.t.signatures.id, existing.id), eq(this.t.signatures.status, existing.status)))
        .returning();
      if (!renewed) throw new ConcurrentChange(`signature ${existing.id}`);
      await this.words.syncTx(tx, existing, renewed);
      await this.eventTx(tx, renewed, t.record, existing.status, t.countDelta, now);
    } else {
      await this.q.touchMail(tx, { id: existing.id, now });
    }
    if (t.mail === 'verify') {
      await this.queueVerifyTx(tx, existing.id, mail, now);
      return t.record ? 'created' : 'resent';
    }
    // Already confirmed: a reminder with a fresh withdrawal link, nothing else.
    const withdrawToken = await this.issueTokenTx(tx, existing.id, 'withdraw', this.generateToken(), now);
    const { to, ...data } = mail;
    await this.outbox.enqueueTx(tx, { kind: 'already_signed', to, data: { ...data, withdrawToken } }, now);
    return 'already_signed';
  }

  /** Ticking the box consents (again); leaving it unticked keeps an earlier consent as it was. */
  private async consentTx(tx: Db, signatureId: number, consent: Pick<FirstSignature, 'updatesConsentAt' | 'updatesConsentWording'>) {
    if (!consent.updatesConsentAt || !consent.updatesConsentWording) return;
    await this.q.recordConsent(tx, { id: signatureId, at: consent.updatesConsentAt, wording: consent.updatesConsentWording });
  }

  /** A confirmation link and the withdrawal link derived from it, mailed together. */
  private async queueVerifyTx(tx: Db, signatureId: number, mail: SignerMail, now: Date): Promise<void> {
    const verifyToken = await this.issueTokenTx(tx, signatureId, 'verify', this.generateToken(), now);
    const withdrawToken = await this.issueTokenTx(tx, signatureId, 'withdraw', withdrawTokenFor(verifyToken), now);
    await this.outbox.enqueueTx(tx, verifyMail(mail, verifyToken, withdrawToken), now);
  }

  private async issueTokenTx(tx: Db, signatureId: number, purpose: 'verify' | 'withdraw', token: string, now: Date): Promise<string> {
    await this.q.insertToken(tx, { signatureId, purpose, createdAt: now, ...linkRow(purpose, token, now) });
    return token;
  }

  /** Mails a fresh confirmation link to a pending signature (at most once a minute). */
  resendVerification(signatureId: number, letter: LetterForMail, now: Date, locale: Locale = DEFAULT_LOCALE): Promise<boolean> {
    return this.store.unitOfWork(async (tx) => {
      const [sig] = await this.q.byId(tx, { id: signatureId });
      if (!sig) return false;
      // Only a signature still waiting for its confirmation gets a new link (a resend is a
      // repeat of signing that changes nothing else).
      const t = transition(sig.status, 'sign_again');
      if (t.record !== null || t.mail !== 'verify' || !mayMailAgain(sig.lastMailAt, now)) return false;
      await this.q.touchMail(tx, { id: sig.id, now });
      const mail = { to: sig.email, name: sig.name, letterTitle: letter.title, letterSlug: letter.slug, locale };
      await this.queueVerifyTx(tx, sig.id, mail, now);
      return true;
    });
  }

  /**
   * Records a signature confirmed elsewhere (demo data, imports): no mail, but the same
   * counters and events as a confirmation by link.
   */
  addVerifiedSignature(input: Omit<NewSignature, 'language' | 'letterVersion'>, verifiedAt: Date): Promise<Signature> {
    return this.store.unitOfWork(async (tx) => {
      const [letter] = await this.q.letter(tx, { id: input.letterId });
      if (!letter) throw new NotFound();
      const { sources: _, ...fields } = input;
      const [pending] = await this.q.insertPending(tx, {
        ...fields,
        ...nameBlockColumns(input.nameKey),
        // Confirmed elsewhere: the letter's current text, in its own language.
        letterVersion: letter.version,
        language: letter.language,
        holdReason: null,
        now: verifiedAt,
      });
      await this.consentTx(tx, (pending as Signature).id, consentColumns(input.updatesConsent));
      await this.eventTx(tx, pending as Signature, 'signed', null, 0, verifiedAt);
      return this.applyTx(tx, pending as Signature, transition('pending', 'confirm'), verifiedAt, null);
    });
  }

  // ---- links ---------------------------------------------------------------------------------

  /** What a signer's link points at, without changing anything (for the GET pages). */
  async lookupToken(token: string, purpose: 'verify' | 'withdraw', now: Date): Promise<TokenLookup> {
    const row = await this.link(this.store.db, token);
    if (!row || row.token.purpose !== purpose) return { state: 'unknown' };
    const state = row.token.usedAt ? 'used' : row.token.expiresAt <= now ? 'expired' : 'valid';
    return { state, signature: row.signature, withdrawToken: purpose === 'verify' ? partnerOf(token, row) : null };
  }

  /** A link by its token, with its signature and whether its withdrawal partner exists. */
  private async link(tx: Db, token: string) {
    const [row] = await this.q.tokenByHash(tx, { tokenHash: hashToken(token), partnerHash: hashToken(withdrawTokenFor(token)) });
    return row;
  }

  /**
   * Confirms a signature from its emailed link. A link confirms once: used again, it changes
   * nothing and creates nothing, and answers with the withdrawal link the signer already has.
   */
  verifySignature(token: string, now: Date): Promise<VerifyOutcome> {
    return this.store.unitOfWork((tx) => this.verifyTx(tx, token, now));
  }

  private async verifyTx(tx: Db, token: string, now: Date): Promise<VerifyOutcome> {
    const row = await this.link(tx, token);
    if (row?.token.purpose !== 'verify') return { kind: 'unknown' };
    const sig = row.signature;
    if (isConfirmed(sig.status)) {
      return {
        kind: 'already',
        letterId: sig.letterId,
        status: sig.status,
        withdrawToken: partnerOf(token, row),
      };
    }
    if (sig.status !== 'pending') return { kind: 'inactive', letterId: sig.letterId, status: sig.status };
    if (row.token.usedAt || row.token.expiresAt <= now) return { kind: 'expired', letterId: sig.letterId };
    const [used] = await this.q.useToken(tx, { id: row.token.id, now });
    if (!used) throw new ConcurrentChange(`link of signature ${sig.id}`);
    // Links issued before withdrawal links were derived have none to repeat: give this one its own.
    const withdrawToken = row.partner
      ? withdrawTokenFor(token)
      : await this.issueTokenTx(tx, sig.id, 'withdraw', withdrawTokenFor(token), now);

    const { letter } = row;
    const open = isSignable(letter, now);
    const review = open ? await this.reviewFactsTx(tx, sig, letter.duplicateNames) : null;
    const t = transition('pending', confirmationEvent(open, review?.reason ?? null));
    const updated = await this.applyTx(tx, sig, t, now, null, {
      holdReason: review?.reason ?? null,
      matchedSignatureId: review?.signatureId ?? null,
      matchedNotableId: review?.notableId ?? null,
      possibleDuplicateOf: t.to === 'verified' ? await this.nearMatchTx(tx, sig) : null,
    });
    const kind = updated.status === 'verified' ? 'verified' : updated.status === 'held' ? 'held' : 'late';
    return { kind, letterId: sig.letterId, status: updated.status, withdrawToken };
  }

  /** The facts the hold decision needs, and what the signature collided with. */
  private async reviewFactsTx(
    tx: Db,
    sig: Signature,
    duplicateNames: 'hold' | 'allow',
  ): Promise<{ reason: HoldReason | null; signatureId?: number; notableId?: number }> {
    const [found] = await this.q.collisions(tx, { letterId: sig.letterId, nameKey: sig.nameKey, id: sig.id });
    const impersonated =
      found?.notableId != null ? { id: Number(found.notableId), signatureId: optionalId(found.notableSignatureId) } : undefined;
    const twin = duplicateNames === 'hold' && !impersonated && found?.twinId != null ? { id: Number(found.twinId) } : undefined;
    const reason = holdReasonFor({
      impersonatesNotable: impersonated !== undefined,
      previouslyRefused: sig.previouslyRefused,
      spike: sig.holdReason === 'spike',
      sameNameConfirmed: twin !== undefined,
      duplicateNames,
    });
    if (reason === 'notable') return { reason, notableId: impersonated?.id, signatureId: impersonated?.signatureId ?? undefined };
    if (reason === 'name_duplicate') return { reason, signatureId: twin?.id };
    return { reason };
  }

  /** A confirmed signature whose name is one edit away, found through the blocking indexes. */
  private async nearMatchTx(tx: Db, sig: Signature): Promise<number | null> {
    if (sig.nameLen < NEAR_MATCH_MIN_LENGTH) return null;
    const range = { letterId: sig.letterId, minLen: sig.nameLen - 1, maxLen: sig.nameLen + 1 };
    // Each block is read on its own, so an edit in the first characters (found only through the
    // tail) is looked for as well; the head's candidates are tried first.
    const candidates = await this.q.nearCandidates(tx, { ...range, head: sig.nameHead, tail: sig.nameTail });
    candidates.sort((a, b) => Number(a.block) - Number(b.block));
    const match = candidates.find((c) => Number(c.id) !== sig.id && isOneEditApart(c.nameKey, sig.nameKey));
    return match ? Number(match.id) : null;
  }

  // ---- withdrawal ----------------------------------------------------------------------------

  /** Withdraws a signature from its emailed link; it stops counting at once. */
  withdrawSignature(token: string, now: Date): Promise<WithdrawOutcome> {
    return this.store.unitOfWork(async (tx) => {
      const row = await this.link(tx, token);
      if (row?.token.purpose !== 'withdraw') return { kind: 'unknown' as const };
      const sig = row.signature;
      if (row.token.expiresAt <= now && sig.status !== 'withdrawn') return { kind: 'expired' as const, letterId: sig.letterId };
      const t = transition(sig.status, 'withdraw');
      if (t.record) {
        await this.applyTx(tx, sig, t, now, null);
        await this.q.retireVerifyLinks(tx, { signatureId: sig.id, now });
      }
      // A refused signature stays refused: it is neither counted nor shown, which is what the
      // signer asked for, and the organizers' decision stays on record.
      return { kind: 'withdrawn' as const, letterId: sig.letterId };
    });
  }

  // ---- moderation ----------------------------------------------------------------------------

  /** Applies a moderator's decision to one signature. Throws NotFound when it is not on the letter. */
  moderate(
    letterId: number,
    signatureId: number,
    action: ModerationAction,
    organizerId: number | null,
    now: Date,
  ): Promise<ModerationResult> {
    return this.store.unitOfWork((tx) => this.moderateTx(tx, letterId, signatureId, action, organizerId, now));
  }

  /**
   * The same decision for many signatures, all or nothing. `recordTx` runs inside the same unit
   * of work (the audit log), so a decision and its record commit together.
   */
  moderateMany(
    letterId: number,
    ids: number[],
    action: ModerationAction,
    organizerId: number | null,
    now: Date,
    recordTx?: (tx: Db, results: ModerationResult[]) => Promise<void>,
  ): Promise<ModerationResult[]> {
    return this.store.unitOfWork(async (tx) => {
      const results: ModerationResult[] = [];
      for (const id of ids) results.push(await this.moderateTx(tx, letterId, id, action, organizerId, now));
      await recordTx?.(tx, results);
      return results;
    });
  }

  private async moderateTx(
    tx: Db,
    letterId: number,
    id: number,
    action: ModerationAction,
    organizerId: number | null,
    now: Date,
  ): Promise<ModerationResult> {
    const [sig] = await this.q.byId(tx, { id });
    if (!sig || sig.letterId !== letterId) throw new NotFound('That signature is not on this letter.');
    const before = { status: sig.status, hidden: sig.hidden };
    let updated = sig;
    if (action === 'hide' || action === 'unhide') {
      // Visibility is a flag beside the lifecycle: the signature keeps its state and its count.
      const hidden = action === 'hide';
      if (sig.hidden !== hidden) {
        const s = this.t.signatures;
        const [changed] = await tx
          .update(s)
          .set({ hidden, updatedAt: now })
          .where(and(eq(s.id, id), eq(s.hidden, sig.hidden)))
          .returning();
        if (!changed) throw new ConcurrentChange(`signature ${id}`);
        updated = changed;
        await this.words.syncTx(tx, sig, changed);
        await this.q.insertEvent(tx, {
          signatureId: id,
          letterId,
          type: hidden ? 'hidden' : 'unhidden',
          fromStatus: sig.status,
          toStatus: sig.status,
          countDelta: 0,
          organizerId,
          at: now,
        });
        // The public list changed: the letter's row moves, so cached pages and answers refresh.
        await this.q.bumpLetter(tx, { letterId, now });
      }
    } else {
      const t = transition(sig.status, MODERATION_EVENTS[action]);
      // Approving clears the review facts of a held signature: it counts as any other now.
      const cleared = t.to === 'verified' ? { holdReason: null, matchedSignatureId: null, matchedNotableId: null } : {};
      if (t.record) updated = await this.applyTx(tx, sig, t, now, organizerId, cleared);
    }
    return { signature: updated, before, after: { status: updated.status, hidden: updated.hidden } };
  }

  // ---- erasure ------------------------------------------------------------------------------

  /**
   * Erases a signer from a letter: first the withdrawal the lifecycle allows from where the
   * signature stands (a counted one stops counting, and the public log gets its `withdraw`
   * entry), then its links and the row itself, with every personal field and the salt. The
   * address may sign again later, as anyone new. `forgetTx` runs in the same unit of work before
   * the row goes (what other features keep of the signer, the audit entry). Null when the
   * signature is not on the letter.
   */
  erase(
    letterId: number,
    signatureId: number,
    organizerId: number | null,
    now: Date,
    forgetTx: (tx: Db, signature: Signature) => Promise<void>,
  ): Promise<Signature | null> {
    return this.store.unitOfWork(async (tx) => {
      const [sig] = await this.q.byId(tx, { id: signatureId });
      if (!sig || sig.letterId !== letterId) return null;
      const t = transition(sig.status, 'withdraw');
      const settled = t.record ? await this.applyTx(tx, sig, t, now, organizerId) : sig;
      await forgetTx(tx, sig);
      const s = this.t.signatures;
      await tx.delete(this.t.signatureTokens).where(eq(this.t.signatureTokens.signatureId, sig.id));
      const [gone] = await tx
        .delete(s)
        .where(and(eq(s.id, sig.id), eq(s.status, settled.status)))
        .returning({ id: s.id });
      if (!gone) throw new ConcurrentChange(`signature ${sig.id} changed while it was being erased`);
      return sig;
    });
  }

  // ---- carrying out a transition --------------------------------------------------------------

  /** Moves a signature as the lifecycle said, keeping every counter and the event log in step. */
  private async applyTx(
    tx: Db,
    sig: Signature,
    t: Transition,
    now: Date,
    organizerId: number | null,
    changes: TransitionChanges = {},
  ): Promise<Signature> {
    const refused = t.refusal === 'set' ? true : t.refusal === 'clear' ? false : sig.previouslyRefused;
    const confirming = isConfirmed(t.to);
    const statement = confirming ? this.q.confirmTransition : this.q.transition;
    const [updated] = await statement(tx, {
      id: sig.id,
      from: sig.status,
      to: t.to,
      now,
      ...(confirming ? { verifiedAt: sig.verifiedAt ?? now } : {}),
      previouslyRefused: refused,
      holdReason: 'holdReason' in changes ? (changes.holdReason ?? null) : sig.holdReason,
      matchedSignatureId: 'matchedSignatureId' in changes ? (changes.matchedSignatureId ?? null) : sig.matchedSignatureId,
      matchedNotableId: 'matchedNotableId' in changes ? (changes.matchedNotableId ?? null) : sig.matchedNotableId,
      possibleDuplicateOf: 'possibleDuplicateOf' in changes ? (changes.possibleDuplicateOf ?? null) : sig.possibleDuplicateOf,
    });
    // The status moved under us (another process decided first): the unit of work runs again.
    if (!updated) throw new ConcurrentChange(`signature ${sig.id} is no longer ${sig.status}`);
    if (t.record) await this.eventTx(tx, updated, t.record, sig.status, t.countDelta, now, organizerId);
    await this.words.syncTx(tx, sig, updated);
    await this.log.recordTx(tx, sig.status, t, updated, now);
    // Counters last: their rows are shared, so they are held for as short a time as possible.
    if (t.countDelta !== 0) await this.counters.applyTx(tx, updated, t.countDelta, now);
    return updated;
  }

  private async eventTx(
    tx: Db,
    sig: Signature,
    type: NonNullable<Transition['record']>,
    from: SignatureStatus | null,
    delta: number,
    now: Date,
    organizerId: number | null = null,
  ): Promise<void> {
    await this.q.insertEvent(tx, {
      signatureId: sig.id,
      letterId: sig.letterId,
      type,
      fromStatus: from,
      toStatus: sig.status,
      countDelta: delta,
      organizerId,
      at: now,
    });
  }
}

/** What every transition sets, as parameters of the prepared statement. */
function transitionColumns() {
  return {
    status: param<SignatureStatus>('to'),
    updatedAt: param<Date>('now'),
    previouslyRefused: param<boolean>('previouslyRefused'),
    holdReason: param<HoldReason | null>('holdReason'),
    matchedSignatureId: param<number | null>('matchedSignatureId'),
    matchedNotableId: param<number | null>('matchedNotableId'),
    possibleDuplicateOf: param<number | null>('possibleDuplicateOf'),
  };
}

function consentColumns(consent: UpdateConsent | null) {
  return { updatesConsentAt: consent?.at ?? null, updatesConsentWording: consent?.wording ?? null };
}

function nameBlockColumns(key: string) {
  const blocks = nameBlocks(key);
  return { nameHead: blocks.head, nameTail: blocks.tail, nameLen: blocks.length };
}

/** What the signer's mail says besides its links. */
interface SignerMail {
  to: string;
  name: string;
  letterTitle: string;
  letterSlug: string;
  /** The language of the page the signer used: their mail is written in it. */
  locale: Locale;
}

/** The confirmation mail: both links, mailed together. */
function verifyMail(mail: SignerMail, verifyToken: string, withdrawToken: string): QueuedMail {
  const { to, ...data } = mail;
  return { kind: 'verify', to, data: { ...data, verifyToken, withdrawToken } };
}

/** A link as stored: only its hash, and when it stops working. */
function linkRow(purpose: 'verify' | 'withdraw', token: string, now: Date) {
  const ttl = purpose === 'verify' ? VERIFY_LINK_TTL_MS : WITHDRAW_LINK_TTL_MS;
  return { tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + ttl) };
}

/** The withdrawal link that goes with a confirmation link, if it was ever issued. */
function partnerOf(verifyToken: string, row: { partner: { id: number } | null }): string | null {
  return row.partner ? withdrawTokenFor(verifyToken) : null;
}

function optionalId(value: number | null): number | null {
  return value === null ? null : Number(value);
}
