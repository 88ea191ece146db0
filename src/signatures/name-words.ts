// The public search's index of names (signature_name_words): a signature's folded words are
// there exactly while it is listed. Every change that lists or unlists a signature (confirming,
// approving, withdrawing, rejecting, hiding, showing again) calls `syncTx` in its own unit of
// work, so the search never shows a name the list would not.
import { eq } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';

type Listable = Pick<Tables['signatures']['$inferSelect'], 'id' | 'letterId' | 'nameKey' | 'status' | 'isPublic' | 'hidden' | 'verifiedAt'>;

/** Listed as the public list says (letters/letter-repo.ts, listedSignature). */
export function isListed(sig: Pick<Listable, 'status' | 'isPublic' | 'hidden'>): boolean {
  return sig.status === 'verified' && sig.isPublic && !sig.hidden;
}

/** The distinct words of a name key (domain/name-key.ts: folded words, one space between). */
export function nameWords(nameKey: string): string[] {
  return [...new Set(nameKey.split(' ').filter(Boolean))];
}

export class NameWords {
  constructor(private readonly store: Store) {}

  /** Brings the words in line with the signature as it is now, given how it was (null: new). */
  async syncTx(tx: Db, before: Listable | null, after: Listable): Promise<void> {
    const was = before !== null && isListed(before);
    const is = isListed(after);
    // The words, and the time they are listed under, change only with listed-ness or a renewal.
    if (was && is && before.nameKey === after.nameKey && before.verifiedAt?.getTime() === after.verifiedAt?.getTime()) return;
    const w = this.store.tables.signatureNameWords;
    if (was) await tx.delete(w).where(eq(w.signatureId, after.id));
    if (!is || !after.verifiedAt) return;
    const verifiedAt = after.verifiedAt;
    const rows = nameWords(after.nameKey).map((word) => ({ letterId: after.letterId, word, verifiedAt, signatureId: after.id }));
    if (rows.length > 0) await tx.insert(w).values(rows).onConflictDoNothing();
  }
}
