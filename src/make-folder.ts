// `mkdir -p`, one level at a time. Node's recursive mkdirSync never returns for some paths (under
// /proc, mkdir answers ENOENT while the parent exists, and Node retries forever); this one walks
// up the path once and fails with the error of the level that cannot be made.
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export function makeFolder(path: string): void {
  const found = statSync(path, { throwIfNoEntry: false });
  if (found?.isDirectory()) return;
  if (found) throw new Error(`${path} exists and is not a folder`);
  const parent = dirname(path);
  if (parent !== path) makeFolder(parent);
  try {
    mkdirSync(path);
  } catch (error) {
    // Made meanwhile by another process starting beside this one: as good as made here.
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw error;
  }
}
