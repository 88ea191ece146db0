// The moderation queue and decisions. Counters and signature events change inside
// SignatureRepo.moderateMany, with an audit entry for each real change, in one unit of work.
import type { HoldReason } from '../db/vocabulary.js';
import { emailKey } from '../domain/email-key.js';
import { isCounted } from '../domain/signature-lifecycle.js';
import type { LetterRepo, Notable } from '../letters/letter-repo.js';
import type { OutboxRepo } from '../mail/outbox-repo.js';
import type { ModerationAction, Signature, SignatureRepo } from '../signatures/signature-repo.js';

/** What an organizer (or the CLI) can decide about a signature. */
export type { ModerationAction } from '../signatures/signature-repo.js';

import type { LetterAccess } from './access.js';
import type { SignedInOrganizer } from './session-repo.js';
import type { SignatureAdminRepo, SignatureSearch } from './signature-admin-repo.js';

/** The queue page shows this many at once; decisions shrink it. */
export const QUEUE_PAGE = 200;

export interface HeldItem {
  signature: Signature;
  /** The counted or held signature it collided with, if any. */
  matched: Signature | null;
  /** The notable entry it would impersonate, if any. */
  notable: Notable | null;
}

export interface FlaggedItem {
  signature: Signature;
  resembles: Signature | null;
}

export interface ModerationServiceDeps {
  signatures: SignatureRepo;
  admin: SignatureAdminRepo;
  letters: LetterRepo;
  outbox: OutboxRepo;
  now: () => Date;
}

/** An erased signer: which signature it was, and whether it counted until then. */
export interface Erasure {
  signatureId: number;
  counted: boolean;
}

/** What a decision did to one signature, for the CLI's answer. */
export interface Decision {
  signatureId: number;
  before: Pick<Signature, 'status' | 'hidden'>;
  after: Pick<Signature, 'status' | 'hidden'>;
}

export class ModerationService {
  constructor(private readonly deps: ModerationServiceDeps) {}

  async queue(
    letterId: number,
    reason: HoldReason | null,
  ): Promise<{ items: HeldItem[]; total: number; byReason: Record<HoldReason, number> }> {
    const byReason = await this.deps.admin.heldCounts(letterId);
    const shown = await this.deps.admin.held(letterId, { reason, limit: QUEUE_PAGE });
    const total = reason ? byReason[reason] : Object.values(byReason).reduce((sum, n) => sum + n, 0);
    const notableIds = shown.map((h) => h.matchedNotableId).filter((id): id is number => id !== null);
    const notables = await this.deps.admin.notablesByIds(letterId, notableIds);
    return {
      items: shown.map(({ matched, ...signature }) => ({
        signature,
        matched,
        notable: signature.matchedNotableId ? (notables.get(signature.matchedNotableId) ?? null) : null,
      })),
      total,
      byReason,
    };
  }

  async possibleDuplicates(letterId: number): Promise<FlaggedItem[]> {
    const flagged = await this.deps.admin.possibleDuplicates(letterId);
    const ids = flagged.map((s) => s.possibleDuplicateOf).filter((id): id is number => id !== null);
    const resembled = await this.deps.admin.byIds(letterId, ids);
    return flagged.map((signature) => ({
      signature,
      resembles: signature.possibleDuplicateOf ? (resembled.get(signature.possibleDuplicateOf) ?? null) : null,
    }));
  }

  search(letterId: number, search: SignatureSearch): Promise<Signature[]> {
    return this.deps.admin.search(letterId, search);
  }

  /** Applies one decision to the selection. Returns how many signatures actually changed. */
  async act(access: LetterAccess, organizer: SignedInOrganizer, action: ModerationAction, ids: number[]): Promise<number> {
    const results = await this.decide(access.letter, organizer.id, action, ids);
    return results.filter(changedSomething).length;
  }

  /** The held queue from the command line: the oldest `limit` and how many there are in all (null: no such letter). */
  async heldBySlug(slug: string, limit: number) {
    const letter = await this.deps.letters.findBySlug(slug);
    if (!letter) return null;
    const [counts, items] = await Promise.all([this.deps.admin.heldCounts(letter.id), this.deps.admin.held(letter.id, { limit })]);
    return { items, total: Object.values(counts).reduce((sum, n) => sum + n, 0) };
  }

  /**
   * A decision from the command line, by signature id: the same rules, counters and audit entry
   * as in the web, with no organizer (`via: cli` in the entry). Null when there is no such signature.
   */
  async decideById(signatureId: number, action: ModerationAction): Promise<Decision | null> {
    const signature = await this.deps.admin.findById(signatureId);
    const letter = signature && (await this.deps.letters.findById(signature.letterId));
    if (!signature || !letter) return null;
    const [result] = await this.decide(letter, null, action, [signatureId]);
    return result ?? null;
  }

  /** One signature of a letter, for the erasure's confirmation page. */
  async signature(letterId: number, signatureId: number): Promise<Signature | null> {
    const signature = await this.deps.admin.findById(signatureId);
    return signature?.letterId === letterId ? signature : null;
  }

  /**
   * Erases a signer's personal data from a letter (SignatureRepo.erase), with what the site
   * keeps of them elsewhere: a notable entry made from the signature, and their mail. Audited
   * (organizerId null: from the command line). Null when the signature is not on the letter.
   */
  async erase(
    letter: { id: number; collectiveId: number; slug: string },
    organizerId: number | null,
    signatureId: number,
  ): Promise<Erasure | null> {
    const now = this.deps.now();
    const context = { collectiveId: letter.collectiveId, letterId: letter.id, organizerId, now };
    const erased = await this.deps.signatures.erase(letter.id, signatureId, organizerId, now, async (tx, signature) => {
      await this.deps.admin.forgetSignerTx(tx, context, signature);
      await this.deps.outbox.forgetTx(tx, signature.email, letter.slug);
    });
    return erased ? { signatureId: erased.id, counted: isCounted(erased.status) } : null;
  }

  /** The erasure from the command line, by letter and address. */
  async eraseByEmail(slug: string, address: string): Promise<Erasure | 'no_letter' | 'no_signature'> {
    const letter = await this.deps.letters.findBySlug(slug);
    if (!letter) return 'no_letter';
    const key = emailKey(address);
    const signature = key ? await this.deps.admin.findByEmailKey(letter.id, key) : undefined;
    if (!signature) return 'no_signature';
    return (await this.erase(letter, null, signature.id)) ?? 'no_signature';
  }

  /** The decision and its audit entries (for those it changed) commit in one unit of work. */
  private async decide(
    letter: { id: number; collectiveId: number },
    organizerId: number | null,
    action: ModerationAction,
    ids: number[],
  ): Promise<Decision[]> {
    const now = this.deps.now();
    const context = { collectiveId: letter.collectiveId, letterId: letter.id, organizerId, now };
    const results = await this.deps.signatures.moderateMany(letter.id, ids, action, organizerId, now, async (tx, results) => {
      await this.deps.admin.recordModerationTx(tx, context, action, results);
    });
    return results.map((r) => ({ signatureId: r.signature.id, before: r.before, after: r.after }));
  }
}

function changedSomething(d: Decision): boolean {
  return d.before.status !== d.after.status || d.before.hidden !== d.after.hidden;
}
