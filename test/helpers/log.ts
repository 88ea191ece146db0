// Reading a letter's public log through the app, as any client would: the checkpoint (its
// signature checked against the site's verifier key), every entry bundle, and the root and count
// recomputed from the entries.
import { expect } from 'vitest';
import { type Checkpoint, parseCheckpoint } from '../../src/domain/checkpoint.js';
import { parseEntry, replayDelta } from '../../src/domain/log-entry.js';
import { encodeTileIndex, parseEntryBundle, TILE_WIDTH } from '../../src/domain/log-tiles.js';
import { leafHash, rootOf } from '../../src/domain/merkle.js';
import { openNote, parseSigningKey } from '../../src/domain/signed-note.js';
import type { TestApp } from './app.js';

export interface ReadLog {
  note: string;
  checkpoint: Checkpoint;
  entries: string[];
}

export async function get(t: TestApp, url: string) {
  return t.app.inject({ method: 'GET', url });
}

/** The checkpoint, opened with the site's key. */
export async function readCheckpoint(t: TestApp, slug: string): Promise<{ note: string; checkpoint: Checkpoint }> {
  const res = await get(t, `/letters/${slug}/log/checkpoint`);
  expect(res.statusCode, res.body).toBe(200);
  const text = openNote(res.body, parseSigningKey(t.config.LOG_SIGNING_KEY));
  const checkpoint = parseCheckpoint(text);
  if (!checkpoint) throw new Error(`not a checkpoint: ${text}`);
  return { note: res.body, checkpoint };
}

/** Every entry of the log at its checkpoint, from full and partial bundles. */
export async function readEntries(t: TestApp, slug: string, size: number): Promise<string[]> {
  const entries: string[] = [];
  for (let n = 0; n * TILE_WIDTH < size; n++) {
    const width = Math.min(TILE_WIDTH, size - n * TILE_WIDTH);
    const path = `${encodeTileIndex(n)}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
    const res = await get(t, `/letters/${slug}/log/tile/entries/${path}`);
    expect(res.statusCode, res.body).toBe(200);
    const bundle = parseEntryBundle(res.rawPayload);
    expect(bundle).toHaveLength(width);
    entries.push(...(bundle ?? []).map((e) => e.toString('utf8')));
  }
  return entries;
}

/** The log read whole: its root and count must be what the entries give. */
export async function readLog(t: TestApp, slug: string): Promise<ReadLog> {
  const { note, checkpoint } = await readCheckpoint(t, slug);
  const entries = await readEntries(t, slug, checkpoint.size);
  expect(rootOf(entries.map((e) => leafHash(Buffer.from(e, 'utf8'))))).toEqual(checkpoint.root);
  expect(replay(entries)).toBe(checkpoint.count);
  return { note, checkpoint, entries };
}

/** The replay rule over entries' bytes: how many signatures count at the end. */
export function replay(entries: string[]): number {
  const latest = new Map<string, ReturnType<typeof parseEntry>>();
  let count = 0;
  for (const text of entries) {
    const entry = parseEntry(text);
    if (!entry) throw new Error(`not an entry: ${text}`);
    count += replayDelta(latest.get(entry.sig)?.kind, entry.kind);
    latest.set(entry.sig, entry);
  }
  return count;
}

/** Sequences whatever is queued, as the background job would. */
export async function integrate(t: TestApp): Promise<number> {
  const n = await t.app.services.log.integrate();
  if (n === null) throw new Error('another integrator holds the lock');
  return n;
}
