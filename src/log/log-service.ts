// Each letter's public, verifiable signature log: the integrator that sequences queued entries
// into the tree (one process at a time), the checkpoint, tiles and entry bundles it serves
// (C2SP tlog-checkpoint and tlog-tiles), signers' receipts, and the one-time backfill of
// signatures counted before the log existed. Hashing and signing happen here, outside units of
// work; LogRepo writes each integration in one.
import type { FastifyBaseLogger } from 'fastify';
import { checkpointText } from '../domain/checkpoint.js';
import { appendEntries, decodeFrontier, EMPTY_LOG, encodeFrontier, type LogState } from '../domain/log-append.js';
import { logIdentity } from '../domain/log-entry.js';
import { entryBundle, parseTilePath, storedHashesOf, TILE_WIDTH, tileHashRange, tileWidthAt } from '../domain/log-tiles.js';
import { completeSubtrees, EMPTY_ROOT, inclusionRanges, nodeHash, rangeHash, type Subtree } from '../domain/merkle.js';
import { type SigningKey, signNote, verifierKeyText } from '../domain/signed-note.js';
import { BadRequest, NotFound } from '../errors.js';
import { FreshCache } from '../fresh-cache.js';
import type { LetterRepo } from '../letters/letter-repo.js';
import type { PublicLetters } from '../letters/public-letters.js';
import type { SignatureRepo } from '../signatures/signature-repo.js';
import { entryFor } from './log-queue.js';
import type { CheckpointRow, LogRepo, QueueRow } from './log-repo.js';

/** Queued entries sequenced per batch, and batches per run (the rest waits for the next second). */
const BATCH = 1000;
const BATCHES_PER_RUN = 50;
/** Signatures the backfill reads per page, and gives ids per unit of work. */
const BACKFILL_PAGE = 10_000;
const BACKFILL_BATCH = 1000;
/** Full tiles never change: this many are kept in memory (8 KiB each at most). */
const FULL_TILES_KEPT = 512;

export interface LogServiceDeps {
  repo: LogRepo;
  letters: PublicLetters;
  letterRepo: LetterRepo;
  signatures: SignatureRepo;
  key: SigningKey;
  publicUrl: string;
  now: () => Date;
  changeMark: () => number;
  log: Pick<FastifyBaseLogger, 'info' | 'error'>;
}

/** A letter's log as the API describes it. */
export interface LogSummary {
  origin: string;
  verifier_key: string;
  checkpoint_url: string;
  size: number;
  count: number;
}

export interface Tile {
  body: Buffer;
  /** Full tiles and bundles never change. */
  full: boolean;
}

/** What a signer downloads to prove their signature is in the log (see README). */
export interface Receipt {
  letter: string;
  origin: string;
  verifier_key: string;
  sig: string;
  salt: string;
  fields: { name: string; title: string; organisation: string; country: string };
  index: number;
  entry: string;
  checkpoint: string;
  inclusion_proof: string[];
}

export type ReceiptOutcome = { kind: 'receipt'; slug: string; receipt: Receipt } | { kind: 'pending'; slug: string } | { kind: 'none' };

export class LogService {
  /** The background job's name; integrate() takes the same lock, so the two never overlap. */
  static readonly JOB = 'log-integrator';
  readonly verifierKey: string;
  private readonly host: string;
  private readonly latest: FreshCache<CheckpointRow | null>;
  private readonly fullTiles = new Map<string, Buffer>();
  private readonly emptyNotes = new Map<string, string>();
  /** Runs of this process, one after the other (the lock only keeps other processes out). */
  private tail: Promise<unknown> = Promise.resolve();
  private backfilled = false;

  constructor(private readonly deps: LogServiceDeps) {
    this.verifierKey = verifierKeyText(deps.key);
    this.host = new URL(deps.publicUrl).host;
    this.latest = new FreshCache({
      changeMark: deps.changeMark,
      maxAgeMs: 1000,
      maxEntries: 256,
      clock: () => deps.now().getTime(),
    });
  }

  origin(slug: string): string {
    return `${this.host}/letters/${slug}`;
  }

  // ---- integrating ---------------------------------------------------------------------------

  /**
   * Sequences every queued entry now, unless another process is doing it (null). For tests, and
   * for a receipt asked for before the background job got to its entry.
   */
  integrate(): Promise<number | null> {
    return this.deps.repo.exclusively(`undersigned:job:${LogService.JOB}`, () => this.sequence());
  }

  /** The job's body (the job runner holds the lock): backfill once, then drain the queue. */
  sequence(): Promise<number> {
    const run = this.tail.then(() => this.drain());
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async drain(): Promise<number> {
    if (!this.backfilled) {
      const queued = await this.backfill();
      if (queued > 0) this.deps.log.info({ queued }, 'log backfill: signatures counted before the log were queued');
      this.backfilled = true;
    }
    let total = 0;
    for (let run = 0; run < BATCHES_PER_RUN; run++) {
      const queued = await this.deps.repo.queued(BATCH);
      const byLetter = new Map<number, QueueRow[]>();
      for (const row of queued) {
        const rows = byLetter.get(row.letterId);
        if (rows) rows.push(row);
        else byLetter.set(row.letterId, [row]);
      }
      for (const [letterId, rows] of byLetter) await this.appendTo(letterId, rows);
      total += queued.length;
      if (queued.length < BATCH) break;
    }
    return total;
  }

  private async appendTo(letterId: number, rows: QueueRow[]): Promise<void> {
    const { repo, key } = this.deps;
    const [latest, slug] = await Promise.all([repo.latestCheckpoint(letterId), repo.slugOf(letterId)]);
    const state = stateOf(latest);
    const kinds = await repo.latestKinds(letterId, [...new Set(rows.map((r) => r.sig))]);
    const appended = appendEntries(
      state,
      rows.map((r) => ({ sig: r.sig, kind: r.kind, bytes: Buffer.from(r.entry, 'utf8') })),
      kinds,
    );
    const { size, count, frontier } = appended.state;
    const note = signNote(checkpointText({ origin: this.origin(slug ?? String(letterId)), size, root: appended.root, count }), key);
    await repo.append({
      letterId,
      from: state.size,
      entries: rows,
      hashes: appended.hashes,
      checkpoint: {
        size,
        root: appended.root.toString('base64'),
        count,
        frontier: encodeFrontier(frontier),
        note,
        createdAt: this.deps.now(),
      },
    });
  }

  /**
   * Signatures counted before the log existed get an id, a salt and a commitment, and a confirm
   * entry at their confirmation time, in confirmation order: then the log replays to the counter.
   */
  private async backfill(): Promise<number> {
    const { repo } = this.deps;
    const ids: number[] = [];
    const letters: number[] = [];
    const times: number[] = [];
    for (let after = 0; ; ) {
      const page = await repo.countedWithoutLog(after, BACKFILL_PAGE);
      for (const row of page) {
        ids.push(row.id);
        letters.push(row.letterId);
        times.push(row.verifiedAt?.getTime() ?? 0);
      }
      const last = page[page.length - 1];
      if (!last || page.length < BACKFILL_PAGE) break;
      after = last.id;
    }
    // Sorted as three columns of numbers: a million signatures take 24 MB, not an object each.
    const order = Array.from(ids.keys()).sort(
      (a, b) =>
        (letters[a] as number) - (letters[b] as number) ||
        (times[a] as number) - (times[b] as number) ||
        (ids[a] as number) - (ids[b] as number),
    );
    let queued = 0;
    for (let i = 0; i < order.length; i += BACKFILL_BATCH) {
      const batch = order.slice(i, i + BACKFILL_BATCH).map((k) => ids[k] as number);
      const rows = new Map((await repo.signaturesByIds(batch)).map((r) => [r.id, r]));
      const work = batch.flatMap((id) => {
        const row = rows.get(id);
        if (row?.status !== 'verified' || row.logSig) return [];
        const identity = logIdentity(row);
        return [{ id, identity, entry: entryFor({ ...row, ...identity }, 'confirm', row.verifiedAt ?? this.deps.now()) }];
      });
      if (work.length > 0) queued += await repo.backfill(work, this.deps.now());
    }
    return queued;
  }

  // ---- serving -------------------------------------------------------------------------------

  /** The letter's latest checkpoint as a signed note (size 0 for a log still empty). */
  async checkpoint(slug: string): Promise<{ note: string; size: number; count: number }> {
    const letter = await this.deps.letters.publicLetter(slug);
    const latest = await this.latestOf(letter.id);
    const origin = this.origin(letter.slug);
    if (!latest) return { note: this.emptyNote(origin), size: 0, count: 0 };
    // Stored as signed; signed again only if the site moved to another host since.
    const note = latest.note.startsWith(`${origin}\n`) ? latest.note : this.resign(origin, latest);
    return { note, size: latest.size, count: latest.count };
  }

  /** What the API says about a letter's log. */
  async summary(letter: { id: number; slug: string }): Promise<LogSummary> {
    const latest = await this.latestOf(letter.id);
    return {
      origin: this.origin(letter.slug),
      verifier_key: this.verifierKey,
      checkpoint_url: `${this.deps.publicUrl}/letters/${letter.slug}/log/checkpoint`,
      size: latest?.size ?? 0,
      count: latest?.count ?? 0,
    };
  }

  /** A hash tile or entry bundle by its path below `tile/`. */
  async tile(slug: string, path: string): Promise<Tile> {
    const ref = parseTilePath(path);
    if (!ref) {
      throw new BadRequest(
        'Not a tile path: use <level>/<index> or entries/<index>, the index in groups of three digits (x001/234), and .p/<width> for a partial tile.',
      );
    }
    const letter = await this.deps.letters.publicLetter(slug);
    const full = ref.width === TILE_WIDTH;
    const cacheKey = `${letter.id}/${path}`;
    const kept = full ? this.fullTiles.get(cacheKey) : undefined;
    if (kept) return { body: kept, full };
    const size = (await this.latestOf(letter.id))?.size ?? 0;
    const { level, start, count } = tileHashRange(ref);
    if (tileWidthAt(level, ref.index, size) < ref.width) throw new NotFound('That tile is not in the log (yet).');
    const { repo } = this.deps;
    const body =
      ref.kind === 'entries'
        ? entryBundle((await repo.entries(letter.id, start, count)).map((e) => Buffer.from(e, 'utf8')))
        : Buffer.concat((await repo.hashes(letter.id, level, start, count)).map((h) => Buffer.from(h, 'base64')));
    if (full) this.keepTile(cacheKey, body);
    return { body, full };
  }

  /**
   * A signer's receipt, through their own confirmation link: their entry, the first checkpoint
   * that included it and the inclusion proof. An entry still queued is sequenced now if this
   * process can; otherwise it is ready within seconds.
   */
  async receipt(token: string): Promise<ReceiptOutcome> {
    const found = await this.deps.signatures.lookupToken(token, 'verify', this.deps.now());
    if (found.state === 'unknown') return { kind: 'none' };
    const sig = found.signature;
    const letter = await this.deps.letterRepo.findById(sig.letterId);
    if (!letter || sig.status !== 'verified' || !sig.logSig || !sig.logSalt) return { kind: 'none' };
    const { repo } = this.deps;
    let latest = await repo.latestEntryOf(letter.id, sig.logSig);
    if (latest.queued) {
      await this.integrate();
      latest = await repo.latestEntryOf(letter.id, sig.logSig);
    }
    const entry = latest.sequenced;
    if (latest.queued || !entry) return { kind: 'pending', slug: letter.slug };
    const checkpoint = await repo.firstCheckpointWith(letter.id, entry.idx);
    if (!checkpoint) return { kind: 'pending', slug: letter.slug };
    return {
      kind: 'receipt',
      slug: letter.slug,
      receipt: {
        letter: `${this.deps.publicUrl}/letters/${letter.slug}`,
        origin: this.origin(letter.slug),
        verifier_key: this.verifierKey,
        sig: sig.logSig,
        salt: sig.logSalt,
        fields: { name: sig.name, title: sig.title ?? '', organisation: sig.organisation ?? '', country: sig.country ?? '' },
        index: entry.idx,
        entry: entry.entry,
        checkpoint: checkpoint.note.startsWith(`${this.origin(letter.slug)}\n`)
          ? checkpoint.note
          : this.resign(this.origin(letter.slug), checkpoint),
        inclusion_proof: (await this.inclusionProof(letter.id, entry.idx, checkpoint.size)).map((h) => h.toString('base64')),
      },
    };
  }

  /** The proof of leaf `index` in the tree of `size`, from the stored hashes (O(log n) ranges, each under a tile). */
  private async inclusionProof(letterId: number, index: number, size: number): Promise<Buffer[]> {
    const ranges = inclusionRanges(index, size);
    const subtrees = ranges.flatMap(completeSubtrees);
    const stored = await this.deps.repo.hashRanges(letterId, subtrees.map(storedHashesOf));
    const subtreeHash = (subtree: Subtree): Buffer => {
      const { level, start, count } = storedHashesOf(subtree);
      const hashes = Array.from({ length: count }, (_, i) => {
        const hash = stored.get(`${level}:${start + i}`);
        if (!hash) throw new Error(`log ${letterId}: stored hash ${level}:${start + i} is missing`);
        return Buffer.from(hash, 'base64');
      });
      // A subtree between stored levels is the tree over its stored hashes (a power of two of them).
      let row: Buffer[] = hashes;
      while (row.length > 1)
        row = Array.from({ length: row.length / 2 }, (_, i) => nodeHash(row[2 * i] as Buffer, row[2 * i + 1] as Buffer));
      return row[0] as Buffer;
    };
    return ranges.map((range) => rangeHash(range, subtreeHash));
  }

  private latestOf(letterId: number): Promise<CheckpointRow | null> {
    return this.latest.get(String(letterId), async () => (await this.deps.repo.latestCheckpoint(letterId)) ?? null);
  }

  private emptyNote(origin: string): string {
    let note = this.emptyNotes.get(origin);
    if (!note) {
      note = signNote(checkpointText({ origin, size: 0, root: EMPTY_ROOT, count: 0 }), this.deps.key);
      if (this.emptyNotes.size >= FULL_TILES_KEPT) this.emptyNotes.clear();
      this.emptyNotes.set(origin, note);
    }
    return note;
  }

  private resign(origin: string, row: CheckpointRow): string {
    return signNote(checkpointText({ origin, size: row.size, root: Buffer.from(row.root, 'base64'), count: row.count }), this.deps.key);
  }

  private keepTile(key: string, body: Buffer): void {
    if (this.fullTiles.size >= FULL_TILES_KEPT) {
      const oldest = this.fullTiles.keys().next();
      if (!oldest.done) this.fullTiles.delete(oldest.value);
    }
    this.fullTiles.set(key, body);
  }
}

function stateOf(row: CheckpointRow | undefined): LogState {
  if (!row) return EMPTY_LOG;
  const frontier = decodeFrontier(row.frontier, row.size);
  if (!frontier) throw new Error(`log of letter ${row.letterId}: the frontier kept at size ${row.size} is damaged`);
  return { size: row.size, count: row.count, frontier };
}
