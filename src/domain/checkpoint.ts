// C2SP tlog-checkpoint note text: the origin, the tree size, the base64 root, then extension
// lines. Ours carries one: `count N`, the number of signatures counted when the log is replayed
// up to that size (log-entry.ts), so a reader can compare it with the count the site shows.
import { HASH_SIZE } from './merkle.js';

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  /** Counted signatures after replaying the first `size` entries. */
  count: number;
}

const COUNT_LINE = /^count (0|[1-9]\d{0,14})$/;

export function checkpointText(checkpoint: Checkpoint): string {
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.root.toString('base64')}\ncount ${checkpoint.count}\n`;
}

/**
 * The checkpoint a note's text states, or null when it is not one of ours: three lines and the
 * count line, each in its one canonical form (the signature covers these exact bytes).
 */
export function parseCheckpoint(text: string): Checkpoint | null {
  const lines = text.split('\n');
  if (lines.length !== 5 || lines[4] !== '') return null;
  const [origin = '', sizeText = '', rootText = '', countLine = ''] = lines;
  if (origin === '' || !/^(0|[1-9]\d{0,14})$/.test(sizeText)) return null;
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== HASH_SIZE || root.toString('base64') !== rootText) return null;
  const count = COUNT_LINE.exec(countLine);
  if (!count) return null;
  return { origin, size: Number(sizeText), root, count: Number(count[1]) };
}
