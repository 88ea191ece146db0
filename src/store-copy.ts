// Moving up from SQLite to PostgreSQL: every row of one store into an empty other (copy-store.ts),
// then the counter check on both sides, with each letter's count as its counters say, so the
// operator sees both sides agree. Takes the two stores directly: it works on whole databases.
import { copyStore, DestinationNotEmpty } from './db/copy-store.js';
import type { Store } from './db/store.js';
import { type Drift, findDrift, storedCounts } from './signatures/counter-check.js';

export interface CopiedSide {
  drift: Drift[];
  counts: Array<{ slug: string; count: number }>;
}

export type CopyOutcome = { ok: true; source: CopiedSide; destination: CopiedSide } | { ok: false; message: string };

export async function copyAndCheck(from: Store, to: Store, progress: (table: string, rows: number) => void): Promise<CopyOutcome> {
  try {
    await copyStore(from, to, progress);
  } catch (error) {
    if (error instanceof DestinationNotEmpty) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, source: await checked(from), destination: await checked(to) };
}

async function checked(store: Store): Promise<CopiedSide> {
  return { drift: await findDrift(store), counts: await storedCounts(store) };
}
