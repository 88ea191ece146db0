// Units of work for signatures. Each public method is atomic: the signature's state, its event,
// the letter's counters (total, per country, per hour) and any mail it causes change together
// in one transaction (batched with concurrent ones by GroupCommit), or not at all.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { GroupCommit } from '../db/group-commit.js';
import {
  type HoldReason,
  letterCountryCounts,
  letterHourCounts,
  letters,
  notableSignatories,
  type SignatureEventType,
  type SignatureStatus,
  signatureEvents,
  signatures,
  signatureTokens,
} from '../db/schema.js';
import { isOneEditApart, NEAR_MATCH_MIN_LENGTH, nameBlocks } from '../domain/name-key.js';
import { hashToken } from '../domain/tokens.js';
import { LetterClosed, NotFound } from '../errors.js';
import type { Mail, OutboxRepo } from '../mail/outbox-repo.js';

export type Signature = typeof signatures.$inferSelect;

export const VERIFY_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;
/** A person asking again gets at most one mail a minute. */
export const RESEND_INTERVAL_MS = 60 * 1000;
const HOUR_MS = 3600 * 1000;

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
  /** Set by the spike guard: the signature will be held for review once verified. */
  holdForSpike: boolean;
}

export interface SignerLinks {
  verifyToken?: string;
  withdrawToken: string;
}

/** Builds the mail for the situation; the service owns wording and links. */
export type ComposeMail = (kind: 'verify' | 'already_signed', links: SignerLinks) => Mail;

export type SignOutcome = 'created' | 'resent' | 'already_signed' | 'throttled' | 'silent';

export type VerifyOutcome =
  | { kind: 'unknown' }
  | { kind: 'expired'; signatureId: number; letterId: number }
  | { kind: 'inactive'; letterId: number; status: SignatureStatus }
  | { kind: 'verified' | 'held' | 'already'; letterId: number; status: SignatureStatus; withdrawToken: string };

export type ModerationAction = 'approve' | 'reject' | 'hide' | 'unhide' | 'fraudulent';

export interface ModerationResult {
  signature: Signature;
  before: Pick<Signature, 'status' | 'hidden'>;
  after: Pick<Signature, 'status' | 'hidden'>;
}

const COUNTED: SignatureStatus = 'verified';
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

export class SignatureRepo {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly commits: GroupCommit,
    private readonly outbox: OutboxRepo,
    private readonly generateToken: () => string,
  ) {
    const p = sql.placeholder;
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
      insertVerifyToken: db
        .insert(signatureTokens)
        .values({
          signatureId: p('signatureId'),
          purpose: 'verify',
          tokenHash: p('tokenHash'),
          expiresAt: p('expiresAt'),
          createdAt: p('createdAt'),
        })
        .prepare(),
      // Withdrawal links do not expire: a signer may change their mind at any time.
      insertWithdrawToken: db
        .insert(signatureTokens)
        .values({ signatureId: p('signatureId'), purpose: 'withdraw', tokenHash: p('tokenHash'), createdAt: p('createdAt') })
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
        .orderBy(asc(signatures.id))
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
      // The writes of signing and confirming, prepared once: building and compiling them per
      // request cost more than running them.
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
      confirm: db
        .update(signatures)
        .set({
          status: sql`${p('status')}`,
          verifiedAt: sql`${p('now')}`,
          updatedAt: sql`${p('now')}`,
          holdReason: sql`${p('holdReason')}`,
          matchedSignatureId: sql`${p('matchedSignatureId')}`,
          matchedNotableId: sql`${p('matchedNotableId')}`,
          possibleDuplicateOf: sql`${p('possibleDuplicateOf')}`,
        })
        .where(eq(signatures.id, p('id')))
        .returning()
        .prepare(),
      nearMatch: db.$client.prepare(NEAR_MATCH_SQL),
    };
  }

  // ---- signing -------------------------------------------------------------------------------

  /**
   * Records a signature (or answers a repeat) and queues the right mail, atomically. The outcome
   * is for logs and tests only: callers must answer every outcome the same way, so nobody can
   * learn whether an address has signed.
   */
  createPendingSignature(input: NewSignature, compose: ComposeMail, now: Date): Promise<SignOutcome> {
    return this.commits.run(() => this.signTx(input, compose, now));
  }

  private signTx(input: NewSignature, compose: ComposeMail, now: Date): SignOutcome {
    const letter = this.stmts.letter.get({ id: input.letterId });
    if (!letter) throw new NotFound();
    if (letter.status !== 'published' || (letter.closesAt && letter.closesAt <= now)) throw new LetterClosed();

    const existing = this.stmts.byEmailKey.get({ letterId: input.letterId, emailKey: input.emailKey });
    if (!existing) {
      const signature = this.stmts.insertPending.get({
        ...this.withoutSpike(input),
        ...nameBlockColumns(input.nameKey),
        letterVersion: letter.version,
        holdReason: input.holdForSpike ? 'spike' : null,
        now,
      }) as Signature;
      this.eventTx(signature, 'signed', null, 'pending', 0, now);
      this.outbox.enqueueTx(compose('verify', this.issueLinksTx(signature.id, now, true)), now);
      return 'created';
    }

    const recentlyMailed = existing.lastMailAt && now.getTime() - existing.lastMailAt.getTime() < RESEND_INTERVAL_MS;
    switch (existing.status) {
      case 'pending': {
        if (recentlyMailed) return 'throttled';
        this.touchMailTx(existing.id, now);
        this.outbox.enqueueTx(compose('verify', this.issueLinksTx(existing.id, now, true)), now);
        return 'resent';
      }
      case 'verified':
      case 'held': {
        if (recentlyMailed) return 'throttled';
        this.touchMailTx(existing.id, now);
        this.outbox.enqueueTx(compose('already_signed', this.issueLinksTx(existing.id, now, false)), now);
        return 'already_signed';
      }
      case 'withdrawn': {
        // Someone who withdrew may sign again: start over as a fresh pending signature.
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
            status: 'pending',
            verifiedAt: null,
            lastMailAt: now,
            updatedAt: now,
          })
          .where(eq(signatures.id, existing.id))
          .returning()
          .get();
        this.eventTx(renewed, 'signed', 'withdrawn', 'pending', 0, now);
        this.outbox.enqueueTx(compose('verify', this.issueLinksTx(existing.id, now, true)), now);
        return 'created';
      }
      default:
        // Rejected or removed by moderators: nothing to send, and nothing to reveal.
        return 'silent';
    }
  }

  private withoutSpike(input: NewSignature): Omit<NewSignature, 'holdForSpike'> {
    const { holdForSpike: _, ...rest } = input;
    return rest;
  }

  private touchMailTx(id: number, now: Date): void {
    this.stmts.touchMail.run({ id, now: now.getTime() });
  }

  /** New links for a signer. Earlier links stay valid until they expire or are used. */
  private issueLinksTx(signatureId: number, now: Date, withVerify: boolean): SignerLinks {
    const withdrawToken = this.generateToken();
    this.stmts.insertWithdrawToken.run({ signatureId, tokenHash: hashToken(withdrawToken), createdAt: now });
    if (!withVerify) return { withdrawToken };
    const verifyToken = this.generateToken();
    this.stmts.insertVerifyToken.run({
      signatureId,
      tokenHash: hashToken(verifyToken),
      expiresAt: new Date(now.getTime() + VERIFY_TOKEN_TTL_MS),
      createdAt: now,
    });
    return { verifyToken, withdrawToken };
  }

  /**
   * Records a signature confirmed elsewhere (demo data, imports): no mail, but the same
   * counters and events as a confirmation by link.
   */
  addVerifiedSignature(input: NewSignature, verifiedAt: Date): Promise<Signature> {
    return this.commits.run(() => {
      const letter = this.stmts.letter.get({ id: input.letterId });
      if (!letter) throw new NotFound();
      const pending = this.db
        .insert(signatures)
        .values({
          ...this.withoutSpike(input),
          ...nameBlockColumns(input.nameKey),
          letterVersion: letter.version,
          status: 'pending',
          createdAt: verifiedAt,
          verifiedAt,
          updatedAt: verifiedAt,
        })
        .returning()
        .get();
      this.eventTx(pending, 'signed', null, 'pending', 0, verifiedAt);
      return this.changeStatusTx(pending, COUNTED, 'verified', verifiedAt, null);
    });
  }

  // ---- links ---------------------------------------------------------------------------------

  /** What a signer's link points at, without changing anything (for the GET confirmation pages). */
  async lookupToken(token: string, purpose: 'verify' | 'withdraw', now: Date) {
    const row = this.stmts.tokenByHash.get({ tokenHash: hashToken(token) });
    if (!row || row.token.purpose !== purpose) return { state: 'unknown' as const };
    const expired = !row.token.usedAt && row.token.expiresAt !== null && row.token.expiresAt <= now;
    return {
      state: expired ? ('expired' as const) : ('valid' as const),
      signature: row.signature,
    };
  }

  /** Confirms a signature from its emailed link. Repeating it is harmless and counts once. */
  verifySignature(token: string, now: Date): Promise<VerifyOutcome> {
    return this.commits.run(() => this.verifyTx(token, now));
  }

  private verifyTx(token: string, now: Date): VerifyOutcome {
    const row = this.stmts.tokenByHash.get({ tokenHash: hashToken(token) });
    if (row?.token.purpose !== 'verify') return { kind: 'unknown' };
    const sig = row.signature;
    if (sig.status === 'verified' || sig.status === 'held') {
      return {
        kind: 'already',
        letterId: sig.letterId,
        status: sig.status,
        withdrawToken: this.issueLinksTx(sig.id, now, false).withdrawToken,
      };
    }
    if (sig.status !== 'pending') return { kind: 'inactive', letterId: sig.letterId, status: sig.status };
    if (row.token.usedAt || (row.token.expiresAt && row.token.expiresAt <= now)) {
      return { kind: 'expired', signatureId: sig.id, letterId: sig.letterId };
    }
    this.stmts.useToken.run({ id: row.token.id, now: now.getTime() });

    const letter = this.stmts.letter.get({ id: sig.letterId });
    const hold = this.holdReasonTx(sig, letter?.duplicateNames ?? 'hold');
    const status: SignatureStatus = hold ? 'held' : COUNTED;
    const possibleDuplicateOf = hold ? null : this.nearMatchTx(sig);
    const updated = this.stmts.confirm.get({
      id: sig.id,
      status,
      now: now.getTime(),
      holdReason: hold?.reason ?? null,
      matchedSignatureId: hold?.signatureId ?? null,
      matchedNotableId: hold?.notableId ?? null,
      possibleDuplicateOf,
    }) as Signature;
    if (status === COUNTED) {
      this.applyCountTx(updated, +1, now);
      this.eventTx(updated, 'verified', 'pending', status, +1, now);
    } else {
      this.eventTx(updated, 'held', 'pending', status, 0, now);
    }
    const withdrawToken = this.issueLinksTx(sig.id, now, false).withdrawToken;
    return { kind: status === COUNTED ? 'verified' : 'held', letterId: sig.letterId, status, withdrawToken };
  }

  /** Mails a fresh verification link for a signature whose link expired (at most once a minute). */
  resendVerification(signatureId: number, compose: ComposeMail, now: Date): Promise<boolean> {
    return this.commits.run(() => {
      const sig = this.db.select().from(signatures).where(eq(signatures.id, signatureId)).get();
      if (sig?.status !== 'pending') return false;
      if (sig.lastMailAt && now.getTime() - sig.lastMailAt.getTime() < RESEND_INTERVAL_MS) return false;
      this.touchMailTx(sig.id, now);
      this.outbox.enqueueTx(compose('verify', this.issueLinksTx(sig.id, now, true)), now);
      return true;
    });
  }

  /** Why a newly confirmed signature must wait for a moderator, if it must. */
  private holdReasonTx(
    sig: Signature,
    duplicateNames: 'hold' | 'allow',
  ): { reason: HoldReason; signatureId?: number; notableId?: number } | null {
    const notables = this.stmts.notableByName.all({ letterId: sig.letterId, nameKey: sig.nameKey });
    const impersonated = notables.find((n) => n.signatureId !== sig.id);
    if (impersonated) {
      return { reason: 'notable', notableId: impersonated.id, signatureId: impersonated.signatureId ?? undefined };
    }
    if (sig.holdReason === 'spike') return { reason: 'spike' };
    if (duplicateNames === 'hold') {
      const twin = this.stmts.sameName.get({ letterId: sig.letterId, nameKey: sig.nameKey, id: sig.id });
      if (twin) return { reason: 'name_duplicate', signatureId: twin.id };
    }
    return null;
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
  withdrawSignature(token: string, now: Date): Promise<{ kind: 'unknown' } | { kind: 'withdrawn'; letterId: number }> {
    return this.commits.run(() => {
      const row = this.stmts.tokenByHash.get({ tokenHash: hashToken(token) });
      if (row?.token.purpose !== 'withdraw') return { kind: 'unknown' as const };
      const sig = row.signature;
      if (sig.status !== 'withdrawn') this.changeStatusTx(sig, 'withdrawn', 'withdrawn', now, null);
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
    const sig = this.db
      .select()
      .from(signatures)
      .where(and(eq(signatures.id, id), eq(signatures.letterId, letterId)))
      .get();
    if (!sig) throw new NotFound('That signature is not on this letter.');
    const before = { status: sig.status, hidden: sig.hidden };
    let updated = sig;
    switch (action) {
      case 'approve':
        if (sig.status === 'held' || sig.status === 'rejected') {
          updated = this.changeStatusTx(sig, COUNTED, 'approved', now, organizerId);
        }
        break;
      case 'reject':
        if (sig.status !== 'rejected' && sig.status !== 'withdrawn') {
          updated = this.changeStatusTx(sig, 'rejected', 'rejected', now, organizerId);
        }
        break;
      case 'fraudulent':
        if (sig.status !== 'fraudulent') updated = this.changeStatusTx(sig, 'fraudulent', 'fraudulent', now, organizerId);
        break;
      case 'hide':
      case 'unhide': {
        const hidden = action === 'hide';
        if (sig.hidden !== hidden) {
          updated = this.db.update(signatures).set({ hidden, updatedAt: now }).where(eq(signatures.id, id)).returning().get();
          this.eventTx(updated, hidden ? 'hidden' : 'unhidden', sig.status, sig.status, 0, now, organizerId);
          // The public list changed: bump updated_at so cached API answers refresh.
          this.stmts.bumpLetter.run({ delta: 0, now: now.getTime(), letterId });
        }
        break;
      }
    }
    return { signature: updated, before, after: { status: updated.status, hidden: updated.hidden } };
  }

  /** Moves a signature to a new status, keeping every counter and the event log in step. */
  private changeStatusTx(sig: Signature, to: SignatureStatus, event: SignatureEventType, now: Date, organizerId: number | null): Signature {
    const wasCounted = sig.status === COUNTED;
    const isCounted = to === COUNTED;
    const delta = wasCounted === isCounted ? 0 : isCounted ? 1 : -1;
    const updated = this.db
      .update(signatures)
      .set({ status: to, updatedAt: now, verifiedAt: sig.verifiedAt ?? (isCounted ? now : null) })
      .where(eq(signatures.id, sig.id))
      .returning()
      .get();
    if (delta !== 0) this.applyCountTx(updated, delta, now);
    this.eventTx(updated, event, sig.status, to, delta, now, organizerId);
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
    type: SignatureEventType,
    from: SignatureStatus | null,
    to: SignatureStatus,
    delta: number,
    now: Date,
    organizerId: number | null = null,
  ): void {
    this.stmts.insertEvent.run({
      signatureId: sig.id,
      letterId: sig.letterId,
      type,
      fromStatus: from,
      toStatus: to,
      countDelta: delta,
      organizerId,
      at: now,
    });
  }

  // ---- reading -------------------------------------------------------------------------------

  async findById(id: number): Promise<Signature | undefined> {
    return this.db.select().from(signatures).where(eq(signatures.id, id)).get();
  }

  /**
   * The moderation queue: held signatures, oldest first, each with what it collided with. Bounded:
   * a spike can hold tens of thousands at once, and a page shows a few hundred.
   */
  async held(
    letterId: number,
    options: { reason?: HoldReason | null; limit: number },
  ): Promise<Array<Signature & { matched: Signature | null }>> {
    const rows = this.db
      .select()
      .from(signatures)
      .where(
        and(
          eq(signatures.letterId, letterId),
          eq(signatures.status, 'held'),
          options.reason ? eq(signatures.holdReason, options.reason) : undefined,
        ),
      )
      .orderBy(asc(signatures.id))
      .limit(options.limit)
      .all();
    return rows.map((row) => ({
      ...row,
      matched: row.matchedSignatureId
        ? (this.db.select().from(signatures).where(eq(signatures.id, row.matchedSignatureId)).get() ?? null)
        : null,
    }));
  }

  /** How many signatures are held on a letter, by reason (an index range, no rows loaded). */
  async heldCounts(letterId: number): Promise<Record<HoldReason, number>> {
    const counts: Record<HoldReason, number> = { name_duplicate: 0, notable: 0, spike: 0 };
    const rows = this.db
      .select({ reason: signatures.holdReason, count: sql<number>`count(*)` })
      .from(signatures)
      .where(and(eq(signatures.letterId, letterId), eq(signatures.status, 'held')))
      .groupBy(signatures.holdReason)
      .all();
    for (const row of rows) if (row.reason) counts[row.reason] = row.count;
    return counts;
  }

  /** Counted signatures flagged as one edit away from another (for the moderation view). */
  async possibleDuplicates(letterId: number, limit = 200): Promise<Signature[]> {
    return this.db
      .select()
      .from(signatures)
      .where(and(eq(signatures.letterId, letterId), sql`${signatures.possibleDuplicateOf} IS NOT NULL`, eq(signatures.status, COUNTED)))
      .orderBy(desc(signatures.id))
      .limit(limit)
      .all();
  }
}

function nameBlockColumns(key: string) {
  const blocks = nameBlocks(key);
  return { nameHead: blocks.head, nameTail: blocks.tail, nameLen: blocks.length };
}
