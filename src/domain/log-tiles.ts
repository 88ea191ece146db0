// The C2SP tlog-tiles layout: a tree stored as tiles of height 8. A hash tile at level L, index N
// holds up to 256 consecutive hashes of complete subtrees of 256^L leaves (level 0: leaf
// hashes); an entry bundle holds the entries those level-0 hashes hash. Paths write N in groups
// of three digits (x001/x234/067). Pure: coordinates, paths and bundle bytes.
import type { Subtree } from './merkle.js';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** The spec's highest level; a log of fewer than 2^32 entries uses levels 0 to 3. */
export const MAX_TILE_LEVEL = 63;
/** Index groups a path may have: enough for any tile of a log below 2^53 entries. */
const MAX_GROUPS = 5;

export type TileRef = { kind: 'hashes'; level: number; index: number; width: number } | { kind: 'entries'; index: number; width: number };

/** `x001/x234/067` for 1234067. */
export function encodeTileIndex(index: number): string {
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

/** The path of a tile below a log's prefix (`tile/` not included): `0/x001/067`, `entries/005.p/17`. */
export function tilePath(tile: TileRef): string {
  const head = tile.kind === 'entries' ? 'entries' : String(tile.level);
  const partial = tile.width < TILE_WIDTH ? `.p/${tile.width}` : '';
  return `${head}/${encodeTileIndex(tile.index)}${partial}`;
}

const PATH = /^(entries|0|[1-9]\d?)\/((?:x\d{3}\/){0,4}\d{3})(?:\.p\/([1-9]\d{0,2}))?$/;

/**
 * A tile path as tilePath writes it, or null for anything else (a leading zero, a level past
 * 63, a width of 0 or 256 and up, a group too many): each tile has exactly one path.
 */
export function parseTilePath(path: string): TileRef | null {
  const match = PATH.exec(path);
  if (!match) return null;
  const [, head = '', digits = '', widthText] = match;
  const groups = digits.split('/');
  if (groups.length > MAX_GROUPS) return null;
  const index = groups.reduce((n, group) => n * 1000 + Number(group.replace('x', '')), 0);
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  if (widthText !== undefined && width >= TILE_WIDTH) return null;
  const tile: TileRef = head === 'entries' ? { kind: 'entries', index, width } : { kind: 'hashes', level: Number(head), index, width };
  if (tile.kind === 'hashes' && tile.level > MAX_TILE_LEVEL) return null;
  // One path per tile: x000/005 and the like name 005 twice.
  return tilePath(tile) === path ? tile : null;
}

/** 256^level, the leaves under each hash of a level. */
export function leavesPerHash(level: number): number {
  return TILE_WIDTH ** level;
}

/** How many hashes a level holds in a tree of `size` leaves (complete subtrees of 256^level leaves). */
export function hashesAtLevel(level: number, size: number): number {
  return Math.floor(size / leavesPerHash(level));
}

/** How wide a tile is in a tree of `size` leaves: 256 when full, 0 when it has not begun. */
export function tileWidthAt(level: number, index: number, size: number): number {
  return Math.max(0, Math.min(TILE_WIDTH, hashesAtLevel(level, size) - index * TILE_WIDTH));
}

/** The stored hashes a tile is made of: level `level`, positions [start, start + width). */
export function tileHashRange(tile: TileRef): { level: number; start: number; count: number } {
  return { level: tile.kind === 'entries' ? 0 : tile.level, start: tile.index * TILE_WIDTH, count: tile.width };
}

/**
 * Where a log keeps a complete subtree's hash: level floor(height / 8) holds subtrees of height
 * 8·level, so the subtree is the tree over `count` hashes of that level from `start`.
 */
export function storedHashesOf(subtree: Subtree): { level: number; start: number; count: number } {
  const level = Math.floor(subtree.height / TILE_HEIGHT);
  const count = 2 ** (subtree.height - level * TILE_HEIGHT);
  return { level, start: subtree.index * count, count };
}

/** The stored level of a subtree a log keeps as it is (height a multiple of 8), else null. */
export function storedLevel(subtree: Subtree): number | null {
  return subtree.height % TILE_HEIGHT === 0 ? subtree.height / TILE_HEIGHT : null;
}

// ---- entry bundles ------------------------------------------------------------------------------

/** The most an entry may hold: its length is written in two bytes. */
export const MAX_ENTRY_BYTES = 0xffff;

/** Entries as a bundle: each a big-endian uint16 length, then its bytes. */
export function entryBundle(entries: readonly Uint8Array[]): Buffer {
  const size = entries.reduce((n, entry) => n + 2 + entry.length, 0);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const entry of entries) {
    if (entry.length > MAX_ENTRY_BYTES) throw new RangeError(`an entry of ${entry.length} bytes does not fit a bundle`);
    out.writeUInt16BE(entry.length, at);
    out.set(entry, at + 2);
    at += 2 + entry.length;
  }
  return out;
}

/** A bundle's entries, or null when its bytes are not a sequence of length-prefixed entries. */
export function parseEntryBundle(bundle: Uint8Array): Buffer[] | null {
  const bytes = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const entries: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) return null;
    const length = bytes.readUInt16BE(at);
    if (at + 2 + length > bytes.length) return null;
    entries.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return entries;
}
