// Units of work for a signature's life. Each public method is atomic: it reads what the lifecycle
// (domain/signature-lifecycle.ts) needs, asks it for the transition, and carries that out: the
// signature's state, its event, the letter's counters (total, per country, per hour) and the mail
// it causes change together in one transaction (batched with concurrent ones by GroupCommit), or
// not at all. No rule about whether a signature counts lives here.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { GroupCommit } from '../db/group-commit.js';
import {
  letterCountryCounts,
  letterHourCounts,
  letters,
  notableSignatories,
  type SignatureStatus,
  signatureEvents,
  signatures,
  signatureTokens,
} from '../db/schema.js';
import { isSignable } from '../domain/letter-rules.js';
import { isOneEditApart, NEAR_MATCH_MIN_LENGTH, nameBlocks } from '../domain/name-key.js';
import {
  confirmationEvent,
  type HoldReason,
  holdReasonFor,
  type LifecycleEvent,
  mayMailAgain,
  type Transition,
  transition,
} from '../domain/signature-lifecycle.js';
import { hashToken, VERIFY_LINK_TTL_MS, WITHDRAW_LINK_TTL_MS, withdrawTokenFor } from '../domain/tokens.js';
import { LetterClosed, NotFound } from '../errors.js';
import type { OutboxRepo } from '../mail/outbox-repo.js';

export type Signature = typeof signatures.$inferSelect;

export interface NewSignature {
  letterId: number;
  name: string;
  nameKey: string;
  email: string;
  emailKey: string;
  title: string | null;
  organisation: string | null;
  country: string | null;
  isPublic: boolean;
  comment: string | null;
  ip: string | null;
  /** Set by the spike guard: the signature will be held for review once confirmed. */
  holdForSpike: boolean;
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

const HOUR_MS = 3600 * 1000;
/** Signatures a new one may collide with by name: confirmed by email, counted or under review. */
const CONFIRMED: SignatureStatus[] = ['verified', 'held'];
/** Bounded: the flag is advice for moderators, and signing must stay fast at any size. */
const NEAR_MATCH_CANDIDATES = 500;

// One indexed read per blocking key, each on a covering index (schema.ts), so no candidate costs
// a table row. Written as an OR of the two, SQLite read every confirmed signature of the letter
// through the status index instead (100 ms per confirmation at 1,000,000 signatures). Each
// branch is bounded on its own, so an edit in the first four characters (found only through the
// tail) is looked for as well. Exported for the query-plan test.
const confirmedList = CONFIRMED.map((s) => `'${s}'`).join(', ');
export const NEAR_MATCH_SQL = `SELECT id, name_key AS nameKey FROM (
     SELECT id, name_key FROM signatures
      WHERE letter_id = @letterId AND name_head = @head AND name_len BETWEEN @minLen AND @maxLen
        AND status IN (${confirmedList})
      LIMIT ${NEAR_MATCH_CANDIDATES / 2})
   UNION ALL
   SELECT id, name_key FROM (
     SELECT id, name_key FROM signatures
      WHERE letter_id = @letterId AND name_tail = @tail AND name_len BETWEEN @minLen AND @maxLen
        AND status IN (${confirmedList})
      LIMIT ${NEAR_MATCH_CANDIDATES / 2})`;

/** The columns a transition sets besides the status (confirmations record their review facts). */
interface TransitionChanges {
  holdReason?: HoldReason | null;
  matchedSignatureId?: number | null;
  matchedNotableId?: number | null;
  possibleDuplicateOf?: number | null;
}

export class SignatureRepo {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly commits: GroupCommit,
    private readonly outbox: OutboxRepo,
    private readonly generateToken: () => string,
  ) {
    const p = sql.placeholder;
    // The statements of signing and confirming, prepared once: building and compiling them per
    // request cost more than running them.
    this.stmts = {
      letter: db
        .select({
          id: letters.id,
          status: letters.status,
          closesAt: letters.closesAt,
          version: letters.version,
          duplicateNames: letters.duplicateNames,
        })
        .from(letters)
        .where(eq(letters.id, p('id')))
        .prepare(),
      byEmailKey: db
        .select()
        .from(signatures)
        .where(and(eq(signatures.letterId, p('letterId')), eq(signatures.emailKey, p('emailKey'))))
        .prepare(),
      byId: db
        .select()
        .from(signatures)
        .where(eq(signatures.id, p('id')))
        .prepare(),
      insertToken: db
        .insert(signatureTokens)
        .values({
          signatureId: p('signatureId'),
          purpose: p('purpose'),
          tokenHash: p('tokenHash'),
          expiresAt: p('expiresAt'),
          createdAt: p('createdAt'),
        })
        .onConflictDoNothing()
        .prepare(),
      insertEvent: db
        .insert(signatureEvents)
        .values({
          signatureId: p('signatureId'),
          letterId: p('letterId'),
          type: p('type'),
          fromStatus: p('fromStatus'),
          toStatus: p('toStatus'),
          countDelta: p('countDelta'),
          organizerId: p('organizerId'),
          at: p('at'),
        })
        .prepare(),
      tokenByHash: db
        .select({ token: signatureTokens, signature: signatures })
        .from(signatureTokens)
        .innerJoin(signatures, eq(signatures.id, signatureTokens.signatureId))
        .where(eq(signatureTokens.tokenHash, p('tokenHash')))
        .prepare(),
      tokenExists: db
        .select({ id: signatureTokens.id })
        .from(signatureTokens)
        .where(and(eq(signatureTokens.tokenHash, p('tokenHash')), eq(signatureTokens.signatureId, p('signatureId'))))
        .prepare(),
      sameName: db
        .select({ id: signatures.id })
        .from(signatures)
        .where(
          and(
            eq(signatures.letterId, p('letterId')),
            eq(signatures.nameKey, p('nameKey')),
            inArray(signatures.status, CONFIRMED),
            sql`${signatures.id} <> ${p('id')}`,
          ),
        )
        .orderBy(signatures.id)
        .limit(1)
        .prepare(),
      notableByName: db
        .select({ id: notableSignatories.id, signatureId: notableSignatories.signatureId })
        .from(notableSignatories)
        .where(and(eq(notableSignatories.letterId, p('letterId')), eq(notableSignatories.nameKey, p('nameKey'))))
        .prepare(),
      bumpLetter: db
        .update(letters)
        .set({
          signatureCount: sql`${letters.signatureCount} + ${p('delta')}`,
          updatedAt: sql`${p('now')}`,
        })
        .where(eq(letters.id, p('letterId')))
        .prepare(),
      bumpCountry: db
        .insert(letterCountryCounts)
        .values({ letterId: p('letterId'), country: p('country'), count: p('delta') })
        .onConflictDoUpdate({
          target: [letterCountryCounts.letterId, letterCountryCounts.country],
          set: { count: sql`${letterCountryCounts.count} + excluded.count` },
        })
        .prepare(),
      bumpHour: db
        .insert(letterHourCounts)
        .values({ letterId: p('letterId'), hour: p('hour'), count: p('delta') })
        .onConflictDoUpdate({
          target: [letterHourCounts.letterId, letterHourCounts.hour],
          set: { count: sql`${letterHourCounts.count} + excluded.count` },
        })
        .prepare(),
      insertPending: db
        .insert(signatures)
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
          holdReason: p('holdReason'),
          status: 'pending',
          lastMailAt: p('now'),
          createdAt: p('now'),
          updatedAt: p('now'),
        })
        .returning()
        .prepare(),
      // Placeholders in SET are raw SQL parameters (as in bumpLetter): times go in as milliseconds.
      touchMail: db
        .update(signatures)
        .set({ lastMailAt: sql`${p('now')}`, updatedAt: sql`${p('now')}` })
        .where(eq(signatures.id, p('id')))
        .prepare(),
      useToken: db
        .update(signatureTokens)
        .set({ usedAt: sql`${p('now')}` })
        .where(eq(signatureTokens.id, p('id')))
        .prepare(),
      // A transition is a compare-and-set on the status the lifecycle was asked about.
      transition: db
        .update(signatures)
        .set({
          status: sql`${p('to')}`,
          updatedAt: sql`${p('now')}`,
          verifiedAt: sql`coalesce(${signatures.verifiedAt}, ${p('verifiedAt')})`,
          previouslyRefused: sql`${p('previouslyRefused')}`,
          holdReason: sql`${p('holdReason')}`,
          matchedSignatureId: sql`${p('matchedSignatureId')}`,
          matchedNotableId: sql`${p('matchedNotableId')}`,
          possibleDuplicateOf: sql`${p('possibleDuplicateOf')}`,
        })
        .where(and(eq(signatures.id, p('id')), eq(signatures.status, p('from'))))
        .returning()
        .prepare(),
      // Withdrawing ends the confirmation links still out: they would confirm nothing anyway.
      retireVerifyLinks: db
        .update(signatureTokens)
        .set({ usedAt: sql`${p('now')}` })
        .where(
          and(
            eq(signatureTokens.signatureId, p('signatureId')),
            eq(signatureTokens.purpose, 'verify'),
            sql`${signatureTokens.usedAt} IS NULL`,
          ),
        )
        .prepare(),
      nearMatch: db.$client.prepare(NEAR_MATCH_SQL),
    };
  }

  // ---- signing -------------------------------------------------------------------------------

  /**
   * Records a signature, or the same address signing again, and queues the mail the lifecycle
   * says, atomically. The outcome is for logs and tests only: callers must answer every outcome
   * the same way, so nobody can learn whether an address has signed.
   */
  createPendingSignature(input: NewSignature, letter: LetterForMail, now: Date): Promise<SignOutcome> {
    return this.commits.run(() => this.signTx(input, letter, now));
  }

  private signTx(input: NewSignature, letterForMail: LetterForMail, now: Date): SignOutcome {
    const letter = this.stmts.letter.get({ id: input.letterId });
    if (!letter) throw new NotFound();
    if (!isSignable(letter, now)) throw new LetterClosed();
    const mail = { to: input.email, name: input.name, letterTitle: letterForMail.title, letterSlug: letterForMail.slug };

    const existing = this.stmts.byEmailKey.get({ letterId: input.letterId, emailKey: input.emailKey });
    if (!existing) {
      const signature = this.stmts.insertPending.get({
        ...this.withoutSpike(input),
        ...nameBlockColumns(input.nameKey),
        letterVersion: letter.version,
        holdReason: input.holdForSpike ? 'spike' : null,
        now,
      }) as Signature;
      this.eventTx(signature, 'signed', null, 0, now);
      this.queueVerifyTx(signature.id, mail, now);
      return 'created';
    }

    const t = transition(existing.status, 'sign_again');
    // Asking again without changing anything (a resend) is throttled; starting over is not.
    if (t.record === null && !mayMailAgain(existing.lastMailAt, now)) return 'throttled';
    if (t.record) {
      // Starting over (after a withdrawal, or a refusal): what they typed now replaces what they
      // typed then; the sticky refusal mark stays, so confirming will be held.
      const renewed = this.db
        .update(signatures)
        .set({
          ...this.withoutSpike(input),
          ...nameBlockColumns(input.nameKey),
          letterVersion: letter.version,
          holdReason: input.holdForSpike ? 'spike' : null,
          matchedSignatureId: null,
          matchedNotableId: null,
          possibleDuplicateOf: null,
          hidden: false,
          status: t.to,
          verifiedAt: null,
          lastMailAt: now,
          updatedAt: now,
        })
        .where(and(eq(signatures.id, existing.id), eq(signatures.status, existing.status)))
        .returning()
        .get();
      if (!renewed) throw new Error('signature changed while signing again');
      this.eventTx(renewed, t.record, existing.status, t.countDelta, now);
    } else {
      this.stmts.touchMail.run({ id: existing.id, now: now.getTime() });
    }
    if (t.mail === 'verify') {
      this.queueVerifyTx(existing.id, mail, now);
      return t.record ? 'created' : 'resent';
    }
    // Already confirmed: a reminder with a fresh withdrawal link, nothing else.
    const withdrawToken = this.issueTokenTx(existing.id, 'withdraw', this.generateToken(), now);
    const { to, ...data } = mail;
    this.outbox.enqueueTx({ kind: 'already_signed', to, data: { ...data, withdrawToken } }, now);
    return 'already_signed';
  }

  private withoutSpike(input: NewSignature): Omit<NewSignature, 'holdForSpike'> {
    const { holdForSpike: _, ...rest } = input;
    return rest;
  }

  /** A confirmation link and the withdrawal link derived from it, mailed together. */
  private queueVerifyTx(signatureId: number, mail: { to: string; name: string; letterTitle: string; letterSlug: string }, now: Date): void {
    const verifyToken = this.issueTokenTx(signatureId, 'verify', this.generateToken(), now);
    const withdrawToken = this.issueTokenTx(signatureId, 'withdraw', withdrawTokenFor(verifyToken), now);
    const { to, ...data } = mail;
    this.outbox.enqueueTx({ kind: 'verify', to, data: { ...data, verifyToken, withdrawToken } }, now);
  }

  private issueTokenTx(signatureId: number, purpose: 'verify' | 'withdraw', token: string, now: Date): string {
    const ttl = purpose === 'verify' ? VERIFY_LINK_TTL_MS : WITHDRAW_LINK_TTL_MS;
    this.stmts.insertToken.run({
      signatureId,
      purpose,
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + ttl),
      createdAt: now,
    });
    return token;
  }

  /** Mails a fresh confirmation link to a pending signature (at most once a minute). */
  resendVerification(signatureId: number, letter: LetterForMail, now: Date): Promise<boolean> {
    return this.commits.run(() => {
      const sig = this.stmts.byId.get({ id: signatureId });
      if (!sig) return false;
      // Only a signature still waiting for its confirmation gets a new link (a resend is a
      // repeat of signing that changes nothing else).
      const t = transition(sig.status, 'sign_again');
      if (t.record !== null || t.mail !== 'verify' || !mayMailAgain(sig.lastMailAt, now)) return false;
      this.stmts.touchMail.run({ id: sig.id, now: now.getTime() });
      this.queueVerifyTx(sig.id, { to: sig.email, name: sig.name, letterTitle: letter.title, letterSlug: letter.slug }, now);
      return true;
    });
  }

  /**
   * Records a signature confirmed elsewhere (demo data, imports): no mail, but the same
   * counters and events as a confirmation by link.
   */
  addVerifiedSignature(input: NewSignature, verifiedAt: Date): Promise<Signature> {
    return this.commits.run(() => {
      const letter = this.stmts.letter.get({ id: input.letterId });
      if (!letter) throw new NotFound();
      const pending = this.stmts.insertPending.get({
        ...this.withoutSpike(input),
        ...nameBlockColumns(input.nameKey),
        letterVersion: letter.version,
        holdReason: null,
        now: verifiedAt,
      }) as Signature;
      this.eventTx(pending, 'signed', null, 0, verifiedAt);
      return this.applyTx(pending, transition('pending', 'confirm'), verifiedAt, null);
    });
  }

  // ---- links ---------------------------------------------------------------------------------

  /** What a signer's link points at, without changing anything (for the GET pages). */
  async lookupToken(token: string, purpose: 'verify' | 'withdraw', now: Date): Promise<TokenLookup> {
    const row = this.stmts.tokenByHash.get({ tokenHash: hashToken(token) });
    if (!row || row.token.purpose !== purpose) return { state: 'unknown' };
    const state = row.token.usedAt ? 'used' : row.token.expiresAt <= now ? 'expired' : 'valid';
    const withdrawToken = purpose === 'verify' ? this.knownWithdrawToken(row.signature.id, token) : null;
    return { state, signature: row.signature, withdrawToken };
  }

  /** The withdrawal link mailed with this confirmation link, when it exists. Reads only. */
  private knownWithdrawToken(signatureId: number, verifyToken: string): string | null {
    const candidate = withdrawTokenFor(verifyToken);
    return this.stmts.tokenExists.get({ tokenHash: hashToken(candidate), signatureId }) ? candidate : null;
  }

  /**
   * Confirms a signature from its emailed link. A link confirms once: used again, it changes
   * nothing and creates nothing, and answers with the withdrawal link the signer already has.
   */
  verifySignature(token: string, now: Date): Promise<VerifyOutcome> {
    return this.commits.run(() => this.verifyTx(token, now));
  }

  private verifyTx(token: string, now: Date): VerifyOutcome {
    const row = this.stmts.tokenByHash.get({ tokenHash: hashToken(token) });
    if (row?.token.purpose !== 'verify') return { kind: 'unknown' };
    const sig = row.signature;
    const confirmed = sig.status === 'verified' || sig.status === 'held' || sig.status === 'late';
    if (confirmed) {
      return { kind: 'already', letterId: sig.letterId, status: sig.status, withdrawToken: this.knownWithdrawToken(sig.id, token) };
    }
    if (sig.status !== 'pending') return { kind: 'inactive', letterId: sig.letterId, status: sig.status };
    if (row.token.usedAt || row.token.expiresAt <= now) return { kind: 'expired', letterId: sig.letterId };
    this.stmts.useToken.run({ id: row.token.id, now: now.getTime() });

    const letter = this.stmts.letter.get({ id: sig.letterId });
    if (!letter) throw new NotFound();
    const open = isSignable(letter, now);
    const review = open ? this.reviewFactsTx(sig, letter.duplicateNames) : null;
    const t = transition('pending', confirmationEvent(open, review?.reason ?? null));
    const updated = this.applyTx(sig, t, now, null, {
      holdReason: review?.reason ?? null,
      matchedSignatureId: review?.signatureId ?? null,
      matchedNotableId: review?.notableId ?? null,
      possibleDuplicateOf: t.to === 'verified' ? this.nearMatchTx(sig) : null,
    });
    // Links issued before withdrawal links were derived have none to repeat: give this one its own.
    const withdrawToken = this.issueTokenTx(sig.id, 'withdraw', withdrawTokenFor(token), now);
    const kind = updated.status === 'verified' ? 'verified' : updated.status === 'held' ? 'held' : 'late';
    return { kind, letterId: sig.letterId, status: updated.status, withdrawToken };
  }

  /** The facts the hold decision needs, and what the signature collided with. */
  private reviewFactsTx(
    sig: Signature,
    duplicateNames: 'hold' | 'allow',
  ): { reason: HoldReason | null; signatureId?: number; notableId?: number } {
    const notables = this.stmts.notableByName.all({ letterId: sig.letterId, nameKey: sig.nameKey });
    const impersonated = notables.find((n) => n.signatureId !== sig.id);
    const twin =
      duplicateNames === 'hold' && !impersonated
        ? this.stmts.sameName.get({ letterId: sig.letterId, nameKey: sig.nameKey, id: sig.id })
        : undefined;
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
  private nearMatchTx(sig: Signature): number | null {
    if (sig.nameLen < NEAR_MATCH_MIN_LENGTH) return null;
    const candidates = this.stmts.nearMatch.all({
      letterId: sig.letterId,
      head: sig.nameHead,
      tail: sig.nameTail,
      minLen: sig.nameLen - 1,
      maxLen: sig.nameLen + 1,
    }) as Array<{ id: number; nameKey: string }>;
    return candidates.find((c) => c.id !== sig.id && isOneEditApart(c.nameKey, sig.nameKey))?.id ?? null;
  }

  // ---- withdrawal ----------------------------------------------------------------------------

  /** Withdraws a signature from its emailed link; it stops counting at once. */
  withdrawSignature(token: string, now: Date): Promise<WithdrawOutcome> {
    return this.commits.run(() => {
      const row = this.stmts.tokenByHash.get({ tokenHash: hashToken(token) });
      if (row?.token.purpose !== 'withdraw') return { kind: 'unknown' as const };
      const sig = row.signature;
      if (row.token.expiresAt <= now && sig.status !== 'withdrawn') return { kind: 'expired' as const, letterId: sig.letterId };
      const t = transition(sig.status, 'withdraw');
      if (t.record) {
        this.applyTx(sig, t, now, null);
        this.stmts.retireVerifyLinks.run({ signatureId: sig.id, now: now.getTime() });
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
    return this.commits.run(() => this.moderateTx(letterId, signatureId, action, organizerId, now));
  }

  /**
   * The same decision for many signatures, all or nothing. `recordTx` runs inside the same
   * transaction (the audit log), so a decision and its record commit together.
   */
  moderateMany(
    letterId: number,
    ids: number[],
    action: ModerationAction,
    organizerId: number | null,
    now: Date,
    recordTx?: (results: ModerationResult[]) => void,
  ): Promise<ModerationResult[]> {
    return this.commits.run(() => {
      const results = ids.map((id) => this.moderateTx(letterId, id, action, organizerId, now));
      recordTx?.(results);
      return results;
    });
  }

  private moderateTx(letterId: number, id: number, action: ModerationAction, organizerId: number | null, now: Date): ModerationResult {
    const sig = this.stmts.byId.get({ id });
    if (!sig || sig.letterId !== letterId) throw new NotFound('That signature is not on this letter.');
    const before = { status: sig.status, hidden: sig.hidden };
    let updated = sig;
    if (action === 'hide' || action === 'unhide') {
      // Visibility is a flag beside the lifecycle: the signature keeps its state and its count.
      const hidden = action === 'hide';
      if (sig.hidden !== hidden) {
        updated = this.db.update(signatures).set({ hidden, updatedAt: now }).where(eq(signatures.id, id)).returning().get();
        this.stmts.insertEvent.run({
          signatureId: id,
          letterId,
          type: hidden ? 'hidden' : 'unhidden',
          fromStatus: sig.status,
          toStatus: sig.status,
          countDelta: 0,
          organizerId,
          at: now,
        });
        // The public list changed: bump updated_at so cached answers refresh.
        this.stmts.bumpLetter.run({ delta: 0, now: now.getTime(), letterId });
      }
    } else {
      const t = transition(sig.status, MODERATION_EVENTS[action]);
      // Approving clears the review facts of a held signature: it counts as any other now.
      const cleared = t.to === 'verified' ? { holdReason: null, matchedSignatureId: null, matchedNotableId: null } : {};
      if (t.record) updated = this.applyTx(sig, t, now, organizerId, cleared);
    }
    return { signature: updated, before, after: { status: updated.status, hidden: updated.hidden } };
  }

  // ---- carrying out a transition --------------------------------------------------------------

  /** Moves a signature as the lifecycle said, keeping every counter and the event log in step. */
  private applyTx(sig: Signature, t: Transition, now: Date, organizerId: number | null, changes: TransitionChanges = {}): Signature {
    const refused = t.refusal === 'set' ? true : t.refusal === 'clear' ? false : sig.previouslyRefused;
    const updated = this.stmts.transition.get({
      id: sig.id,
      from: sig.status,
      to: t.to,
      now: now.getTime(),
      verifiedAt: t.to === 'verified' || t.to === 'held' || t.to === 'late' ? now.getTime() : null,
      previouslyRefused: refused ? 1 : 0,
      holdReason: 'holdReason' in changes ? (changes.holdReason ?? null) : sig.holdReason,
      matchedSignatureId: 'matchedSignatureId' in changes ? (changes.matchedSignatureId ?? null) : sig.matchedSignatureId,
      matchedNotableId: 'matchedNotableId' in changes ? (changes.matchedNotableId ?? null) : sig.matchedNotableId,
      possibleDuplicateOf: 'possibleDuplicateOf' in changes ? (changes.possibleDuplicateOf ?? null) : sig.possibleDuplicateOf,
    }) as Signature | undefined;
    // The status moved under us: nothing is written, and the whole unit of work fails.
    if (!updated) throw new Error(`signature ${sig.id} is no longer ${sig.status}`);
    if (t.countDelta !== 0) this.applyCountTx(updated, t.countDelta, now);
    if (t.record) this.eventTx(updated, t.record, sig.status, t.countDelta, now, organizerId);
    return updated;
  }

  /** The letter's total, its country counter and its hour bucket move together. */
  private applyCountTx(sig: Signature, delta: number, now: Date): void {
    this.stmts.bumpLetter.run({ delta, now: now.getTime(), letterId: sig.letterId });
    if (sig.country) this.stmts.bumpCountry.run({ letterId: sig.letterId, country: sig.country, delta });
    const verifiedAt = (sig.verifiedAt ?? now).getTime();
    this.stmts.bumpHour.run({ letterId: sig.letterId, hour: verifiedAt - (verifiedAt % HOUR_MS), delta });
  }

  private eventTx(
    sig: Signature,
    type: NonNullable<Transition['record']>,
    from: SignatureStatus | null,
    delta: number,
    now: Date,
    organizerId: number | null = null,
  ): void {
    this.stmts.insertEvent.run({
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

function nameBlockColumns(key: string) {
  const blocks = nameBlocks(key);
  return { nameHead: blocks.head, nameTail: blocks.tail, nameLen: blocks.length };
}
