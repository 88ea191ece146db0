// Writes a letter's log entry for a change of its count, inside the unit of work that changes it
// (SignatureRepo.applyTx): one INSERT of an entry built from what the signature row carries. The
// integrator (log-service.ts) sequences queued entries into the tree afterwards.
import { eq, sql } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';
import { type EntryKind, entryKindFor, entryText, isCountingKind, logIdentity, minuteOf } from '../domain/log-entry.js';
import type { SignatureState, Transition } from '../domain/signature-lifecycle.js';

type Signature = Tables['signatures']['$inferSelect'];

export type QueuedEntry = {
  letterId: number;
  sig: string;
  kind: EntryKind;
  entry: string;
};

export class LogQueue {
  private readonly insert;

  constructor(private readonly store: Store) {
    const q = store.tables.logQueue;
    const p = sql.placeholder;
    this.insert = store.prepared<QueuedEntry & { now: Date }, unknown>('log_enqueue', (db) =>
      db.insert(q).values({ letterId: p('letterId'), sig: p('sig'), kind: p('kind'), entry: p('entry'), createdAt: p('now') }),
    );
  }

  /**
   * Queues the entry a transition writes (none when the count does not move). `signature` is the
   * row after the transition. A signature stored before the log existed has no id, salt or
   * commitment yet: confirming it gives it them here (rare, and cheap: one hash); one that
   * stops counting before the backfill reached it was never in the log and needs no entry.
   */
  async recordTx(tx: Db, from: SignatureState, t: Transition, signature: Signature, now: Date): Promise<void> {
    const kind = entryKindFor(from, t);
    if (!kind) return;
    let row = signature;
    if (!row.logSig || (isCountingKind(kind) && !row.logCommitment)) {
      if (!isCountingKind(kind)) return;
      row = await this.giveIdentityTx(tx, row);
    }
    await this.insert(tx, { ...entryFor(row, kind, now), now });
  }

  /** Queues entries written elsewhere (the backfill), in the caller's unit of work. */
  async queueTx(tx: Db, entries: QueuedEntry[], now: Date): Promise<void> {
    for (const entry of entries) await this.insert(tx, { ...entry, now });
  }

  private async giveIdentityTx(tx: Db, row: Signature): Promise<Signature> {
    const identity = logIdentity(row);
    const s = this.store.tables.signatures;
    const [updated] = await tx
      .update(s)
      .set({ logSig: row.logSig ?? identity.logSig, logSalt: identity.logSalt, logCommitment: identity.logCommitment })
      .where(eq(s.id, row.id))
      .returning();
    return updated ?? row;
  }
}

/** The entry a signature's row writes for `kind` at `at`. */
export function entryFor(row: Signature, kind: EntryKind, at: Date): QueuedEntry {
  const sig = row.logSig as string;
  const entry = entryText({ kind, sig, at: minuteOf(at), version: row.letterVersion, commit: row.logCommitment ?? undefined });
  return { letterId: row.letterId, sig, kind, entry };
}
