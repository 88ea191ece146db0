// The moderation queue and decisions. Counters and signature events change inside
// SignatureRepo.moderateMany, with an audit entry for each real change, in one transaction.
import type { HoldReason } from '../db/schema.js';
import type { Notable } from '../letters/letter-repo.js';
import type { ModerationAction, Signature, SignatureRepo } from '../signatures/signature-repo.js';
import type { LetterAccess } from './access.js';
import type { SignedInOrganizer } from './organizer-repo.js';
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
  now: () => Date;
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
    const now = this.deps.now();
    const context = { collectiveId: access.letter.collectiveId, letterId: access.letter.id, organizerId: organizer.id, now };
    let changed = 0;
    await this.deps.signatures.moderateMany(access.letter.id, ids, action, organizer.id, now, (results) => {
      changed = this.deps.admin.recordModerationTx(context, action, results);
    });
    return changed;
  }
}
