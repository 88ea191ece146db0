// RFC 6962 Merkle trees (§2.1; verification as RFC 9162 §2.1.3–2.1.4 writes it): the hashes of
// leaves and nodes, the root of a tree, the frontier a log appends to, and inclusion and
// consistency proofs with their verification. Pure: hashes in, hashes out. Proofs are built from
// the hashes of complete subtrees, which the caller looks up (a log stores them in tiles).
import { createHash } from 'node:crypto';

export const HASH_SIZE = 32;

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

export function leafHash(entry: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** A complete subtree: 2^height leaves starting at leaf index · 2^height. */
export interface Subtree {
  height: number;
  index: number;
}

/** A range of leaves [start, end), as proofs name the subtrees whose hashes they carry. */
export type LeafRange = readonly [start: number, end: number];

/** The largest power of two strictly below n (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// ---- appending: the frontier ---------------------------------------------------------------------

/**
 * The frontier of a tree of `size` leaves: the roots of its complete subtrees, largest first, one
 * per bit set in size. It is all a log needs to append a leaf and know its new root.
 */
export type Frontier = Buffer[];

/**
 * Appends a leaf to the tree whose frontier is given (the array is changed in place) and reports
 * every complete subtree the leaf finishes, itself included, smallest first.
 */
export function appendLeaf(frontier: Frontier, size: number, leaf: Buffer, completed?: (subtree: Subtree, hash: Buffer) => void): void {
  let hash = leaf;
  let height = 0;
  let index = size;
  completed?.({ height, index }, hash);
  // Each trailing 1 bit of the old size is a subtree of that height waiting for a right sibling.
  while (index % 2 === 1) {
    const left = frontier.pop();
    if (!left) throw new Error(`frontier too short for a tree of ${size} leaves`);
    hash = nodeHash(left, hash);
    height++;
    index = (index - 1) / 2;
    completed?.({ height, index }, hash);
  }
  frontier.push(hash);
}

/** The root of the tree a frontier belongs to. */
export function frontierRoot(frontier: readonly Buffer[]): Buffer {
  const last = frontier[frontier.length - 1];
  if (!last) return EMPTY_ROOT;
  let root = last;
  for (let i = frontier.length - 2; i >= 0; i--) root = nodeHash(frontier[i] as Buffer, root);
  return root;
}

/** How many hashes the frontier of a tree of `size` leaves holds (the bits set in size). */
export function frontierLength(size: number): number {
  let n = 0;
  for (let rest = size; rest > 0; rest = Math.floor(rest / 2)) n += rest % 2;
  return n;
}

/** The root of a whole list of leaf hashes (MTH). */
export function rootOf(leaves: readonly Buffer[]): Buffer {
  const frontier: Frontier = [];
  for (const [i, leaf] of leaves.entries()) appendLeaf(frontier, i, leaf);
  return frontierRoot(frontier);
}

// ---- proofs: which subtrees ---------------------------------------------------------------------

/** The ranges whose hashes prove leaf `index` is in the tree of `size` leaves, bottom up (RFC 6962 PATH). */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path: LeafRange[] = [];
  const walk = (start: number, end: number): void => {
    if (end - start === 1) return;
    const middle = start + splitPoint(end - start);
    if (index < middle) {
      walk(start, middle);
      path.push([middle, end]);
    } else {
      walk(middle, end);
      path.push([start, middle]);
    }
  };
  walk(0, size);
  return path;
}

/** The ranges whose hashes prove the tree of `size` extends the tree of `oldSize` (RFC 6962 PROOF). */
export function consistencyRanges(oldSize: number, size: number): LeafRange[] {
  if (!(oldSize >= 0 && oldSize <= size)) throw new RangeError(`no consistency proof from ${oldSize} to ${size}`);
  if (oldSize === 0 || oldSize === size) return [];
  const proof: LeafRange[] = [];
  const walk = (m: number, start: number, end: number, whole: boolean): void => {
    if (m === end - start) {
      if (!whole) proof.push([start, end]);
      return;
    }
    const k = splitPoint(end - start);
    if (m <= k) {
      walk(m, start, start + k, whole);
      proof.push([start + k, end]);
    } else {
      walk(m - k, start + k, end, false);
      proof.push([start, start + k]);
    }
  };
  walk(oldSize, 0, size, true);
  return proof;
}

/**
 * The complete subtrees a range of a tree is made of, left to right. Ranges from the proofs
 * above are nodes of the tree, so each piece is aligned on its own size.
 */
export function completeSubtrees([start, end]: LeafRange): Subtree[] {
  const pieces: Subtree[] = [];
  let at = start;
  while (at < end) {
    let width = splitPoint(end - at + 1);
    // The largest power of two that fits and keeps the piece aligned.
    while (width > 1 && (at % width !== 0 || at + width > end)) width /= 2;
    pieces.push({ height: Math.log2(width), index: at / width });
    at += width;
  }
  return pieces;
}

/** MTH of a range, from the hashes of its complete subtrees. */
export function rangeHash(range: LeafRange, subtreeHash: (subtree: Subtree) => Buffer): Buffer {
  const [start, end] = range;
  const size = end - start;
  if (size <= 0) throw new RangeError('an empty range has no hash');
  if ((size & (size - 1)) === 0 && start % size === 0) return subtreeHash({ height: Math.log2(size), index: start / size });
  const middle = start + splitPoint(size);
  return nodeHash(rangeHash([start, middle], subtreeHash), rangeHash([middle, end], subtreeHash));
}

// ---- proofs: verification -----------------------------------------------------------------------

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/** The root an inclusion proof leads to, or null when the proof cannot be one (RFC 9162 §2.1.3.2). */
export function rootFromInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Buffer | null {
  if (!(index >= 0 && index < size) || leaf.length !== HASH_SIZE) return null;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0 || p.length !== HASH_SIZE) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  const computed = rootFromInclusion(index, size, leaf, proof);
  return computed !== null && same(computed, root);
}

/**
 * Whether the tree of size `size` and root `root` extends the one of `oldSize` and `oldRoot`
 * (RFC 9162 §2.1.4.2). A proof from the empty tree proves nothing, so it is refused, as
 * transparency-dev/merkle does: callers treat an empty old tree as trivially extended.
 */
export function verifyConsistency(
  oldSize: number,
  size: number,
  oldRoot: Uint8Array,
  root: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (size < oldSize || oldSize <= 0) return false;
  if (oldSize === size) return proof.length === 0 && same(oldRoot, root);
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_SIZE)) return false;
  const path = (oldSize & (oldSize - 1)) === 0 ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = size - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0] as Uint8Array);
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && same(fr, oldRoot) && same(sr, root);
}
