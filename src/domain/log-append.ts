// Appending entries to a letter's log, as the integrator does between reading the queue and
// writing one unit of work: the new frontier, root and replayed count, and the hashes of every
// subtree the entries complete that the tiles keep (leaves, and heights 8, 16, …). Pure.
import { type EntryKind, replayDelta } from './log-entry.js';
import { storedLevel } from './log-tiles.js';
import { appendLeaf, type Frontier, frontierLength, frontierRoot, HASH_SIZE, leafHash } from './merkle.js';

/** What the log knows after its latest checkpoint. */
export interface LogState {
  size: number;
  /** Counted signatures after replaying every entry. */
  count: number;
  frontier: Frontier;
}

export const EMPTY_LOG: LogState = { size: 0, count: 0, frontier: [] };

export interface StoredHash {
  level: number;
  index: number;
  hash: Buffer;
}

export interface NewEntry {
  sig: string;
  kind: EntryKind;
  bytes: Buffer;
}

export interface Appended {
  state: LogState;
  root: Buffer;
  hashes: StoredHash[];
}

/**
 * Appends entries in order. `latest` holds, for each signature the entries name, the kind of its
 * latest entry already in the log (none if it has none); the replayed count moves by the replay
 * rule as each entry lands.
 */
export function appendEntries(state: LogState, entries: readonly NewEntry[], latest: ReadonlyMap<string, EntryKind>): Appended {
  const frontier = [...state.frontier];
  const kinds = new Map(latest);
  const hashes: StoredHash[] = [];
  let { size, count } = state;
  for (const entry of entries) {
    appendLeaf(frontier, size, leafHash(entry.bytes), (subtree, hash) => {
      const level = storedLevel(subtree);
      if (level !== null) hashes.push({ level, index: subtree.index, hash });
    });
    size++;
    count += replayDelta(kinds.get(entry.sig), entry.kind);
    kinds.set(entry.sig, entry.kind);
  }
  return { state: { size, count, frontier }, root: frontierRoot(frontier), hashes };
}

/** The frontier as stored with a checkpoint: its hashes concatenated, in base64. */
export function encodeFrontier(frontier: Frontier): string {
  return Buffer.concat(frontier).toString('base64');
}

/** A stored frontier back as hashes, or null when it cannot be the frontier of a tree of `size`. */
export function decodeFrontier(text: string, size: number): Frontier | null {
  const bytes = Buffer.from(text, 'base64');
  const n = frontierLength(size);
  if (bytes.length !== n * HASH_SIZE) return null;
  return Array.from({ length: n }, (_, i) => bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
}
