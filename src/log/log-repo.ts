// Data access of the public signature log: the queue the signing units of work write to, the
// entries, stored hashes and checkpoints the integrator appends, and the reads that serve them.
// Every read is a point lookup or a range of at most one tile (256 rows) on a primary key or
// index, so no request reads more than O(log n) rows.
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Store, Tables } from '../db/store.js';
import type { StoredHash } from '../domain/log-append.js';
import type { EntryKind } from '../domain/log-entry.js';
import type { QueuedEntry } from './log-queue.js';
import { LogQueue } from './log-queue.js';

export type CheckpointRow = Tables['logCheckpoints']['$inferSelect'];
export type QueueRow = QueuedEntry & { id: number };
type Signature = Tables['signatures']['$inferSelect'];

/** What one integration writes for one letter, in one unit of work. */
export interface Appending {
  letterId: number;
  /** The first new entry's index (the old size). */
  from: number;
  entries: QueueRow[];
  hashes: StoredHash[];
  checkpoint: Omit<CheckpointRow, 'letterId'>;
}

/** Rows per INSERT: far below either database's limit on parameters. */
const ROWS_PER_INSERT = 500;
/** Ids per IN (…) list. */
const IDS_PER_LOOKUP = 500;

export class LogRepo {
  private readonly t: Tables;
  private readonly q;
  private readonly queue: LogQueue;

  constructor(private readonly store: Store) {
    const t = store.tables;
    this.t = t;
    this.queue = new LogQueue(store);
    const p = sql.placeholder;
    const c = t.logCheckpoints;
    const prepared = store.prepared.bind(store);
    this.q = {
      latest: prepared<{ letterId: number }, CheckpointRow[]>('log_latest', (db) =>
        db
          .select()
          .from(c)
          .where(eq(c.letterId, p('letterId')))
          .orderBy(desc(c.size))
          .limit(1),
      ),
      hashes: prepared<{ letterId: number; level: number; start: number; end: number }, Array<{ hash: string }>>('log_hashes', (db) =>
        db
          .select({ hash: t.logHashes.hash })
          .from(t.logHashes)
          .where(
            and(
              eq(t.logHashes.letterId, p('letterId')),
              eq(t.logHashes.level, p('level')),
              gte(t.logHashes.idx, p('start')),
              lt(t.logHashes.idx, p('end')),
            ),
          )
          .orderBy(asc(t.logHashes.idx)),
      ),
      entries: prepared<{ letterId: number; start: number; end: number }, Array<{ entry: string }>>('log_entries', (db) =>
        db
          .select({ entry: t.logEntries.entry })
          .from(t.logEntries)
          .where(and(eq(t.logEntries.letterId, p('letterId')), gte(t.logEntries.idx, p('start')), lt(t.logEntries.idx, p('end'))))
          .orderBy(asc(t.logEntries.idx)),
      ),
    };
  }

  /** Runs `job` unless another process runs the job of that name (see Store.exclusively). */
  exclusively<T>(name: string, job: () => Promise<T>): Promise<T | null> {
    return this.store.exclusively(name, job);
  }

  // ---- integrating ---------------------------------------------------------------------------

  /** The oldest queued entries, in the order their units of work wrote them. */
  async queued(limit: number): Promise<QueueRow[]> {
    const q = this.t.logQueue;
    return this.store.db
      .select({ id: q.id, letterId: q.letterId, sig: q.sig, kind: q.kind, entry: q.entry })
      .from(q)
      .orderBy(asc(q.id))
      .limit(limit);
  }

  /** The letter's latest checkpoint: its log as it stands (none for a log still empty). */
  async latestCheckpoint(letterId: number): Promise<CheckpointRow | undefined> {
    const [row] = await this.q.latest(this.store.db, { letterId });
    return row;
  }

  /** The kind of each signature's latest sequenced entry (absent for a signature with none). */
  async latestKinds(letterId: number, sigs: string[]): Promise<Map<string, EntryKind>> {
    const e = this.t.logEntries;
    const latest = new Map<string, { idx: number; kind: EntryKind }>();
    for (let i = 0; i < sigs.length; i += IDS_PER_LOOKUP) {
      // No ORDER BY: sorting by idx would have the planner walk the whole log in idx order
      // instead of looking each signature up in the (letter_id, sig, idx) index.
      const rows = await this.store.db
        .select({ sig: e.sig, idx: e.idx, kind: e.kind })
        .from(e)
        .where(and(eq(e.letterId, letterId), inArray(e.sig, sigs.slice(i, i + IDS_PER_LOOKUP))));
      for (const row of rows) {
        const known = latest.get(row.sig);
        if (!known || known.idx < row.idx) latest.set(row.sig, row);
      }
    }
    return new Map([...latest].map(([sig, row]) => [sig, row.kind]));
  }

  /**
   * Entries, new stored hashes and the signed checkpoint in one unit of work, and the queued rows
   * gone. A checkpoint of that size already there (another integrator got there first) fails the
   * whole write: the log is appended to by one integrator at a time.
   */
  async append(appending: Appending): Promise<void> {
    const { letterId } = appending;
    const t = this.t;
    await this.store.unitOfWork(async (tx) => {
      await tx.insert(t.logCheckpoints).values({ letterId, ...appending.checkpoint });
      const entries = appending.entries.map((row, i) => ({
        letterId,
        idx: appending.from + i,
        sig: row.sig,
        kind: row.kind,
        entry: row.entry,
      }));
      for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
        await tx.insert(t.logEntries).values(entries.slice(i, i + ROWS_PER_INSERT));
      }
      const hashes = appending.hashes.map((h) => ({ letterId, level: h.level, idx: h.index, hash: h.hash.toString('base64') }));
      for (let i = 0; i < hashes.length; i += ROWS_PER_INSERT) {
        await tx.insert(t.logHashes).values(hashes.slice(i, i + ROWS_PER_INSERT));
      }
      const ids = appending.entries.map((row) => row.id);
      for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
        await tx.delete(t.logQueue).where(inArray(t.logQueue.id, ids.slice(i, i + IDS_PER_LOOKUP)));
      }
    });
  }

  /** The slug of the letter a log belongs to (its origin names it). */
  async slugOf(letterId: number): Promise<string | undefined> {
    const l = this.t.letters;
    const [row] = await this.store.db.select({ slug: l.slug }).from(l).where(eq(l.id, letterId));
    return row?.slug;
  }

  // ---- serving -------------------------------------------------------------------------------

  /** Stored hashes of one level, positions [start, start + count), in order (a tile at most). */
  async hashes(letterId: number, level: number, start: number, count: number): Promise<string[]> {
    const rows = await this.q.hashes(this.store.db, { letterId, level, start, end: start + count });
    return rows.map((r) => r.hash);
  }

  /** Entries [start, start + count), in order (a bundle at most). */
  async entries(letterId: number, start: number, count: number): Promise<string[]> {
    const rows = await this.q.entries(this.store.db, { letterId, start, end: start + count });
    return rows.map((r) => r.entry);
  }

  /** Several ranges of stored hashes in one read, keyed `level:index`. */
  async hashRanges(letterId: number, ranges: Array<{ level: number; start: number; count: number }>): Promise<Map<string, string>> {
    const h = this.t.logHashes;
    const found = new Map<string, string>();
    if (ranges.length === 0) return found;
    const rows = await this.store.db
      .select({ level: h.level, idx: h.idx, hash: h.hash })
      .from(h)
      .where(
        and(
          eq(h.letterId, letterId),
          or(...ranges.map((r) => and(eq(h.level, r.level), gte(h.idx, r.start), lt(h.idx, r.start + r.count)))),
        ),
      );
    for (const row of rows) found.set(`${row.level}:${row.idx}`, row.hash);
    return found;
  }

  /** A signature's latest sequenced entry (null: none yet), and whether a later one is still queued. */
  async latestEntryOf(
    letterId: number,
    sig: string,
  ): Promise<{ sequenced: { idx: number; kind: EntryKind; entry: string } | null; queued: boolean }> {
    const e = this.t.logEntries;
    const q = this.t.logQueue;
    const [sequenced] = await this.store.db
      .select({ idx: e.idx, kind: e.kind, entry: e.entry })
      .from(e)
      .where(and(eq(e.letterId, letterId), eq(e.sig, sig)))
      .orderBy(desc(e.idx))
      .limit(1);
    const [waiting] = await this.store.db
      .select({ id: q.id })
      .from(q)
      .where(and(eq(q.letterId, letterId), eq(q.sig, sig)))
      .limit(1);
    return { sequenced: sequenced ?? null, queued: waiting !== undefined };
  }

  /** The first checkpoint whose tree holds entry `index`. */
  async firstCheckpointWith(letterId: number, index: number): Promise<CheckpointRow | undefined> {
    const c = this.t.logCheckpoints;
    const [row] = await this.store.db
      .select()
      .from(c)
      .where(and(eq(c.letterId, letterId), gt(c.size, index)))
      .orderBy(asc(c.size))
      .limit(1);
    return row;
  }

  // ---- the backfill of signatures counted before the log ---------------------------------------

  /** Counted signatures without a log id, after an id, in id order (one pass over the table in pages). */
  async countedWithoutLog(afterId: number, limit: number): Promise<Array<{ id: number; letterId: number; verifiedAt: Date | null }>> {
    const s = this.t.signatures;
    return this.store.db
      .select({ id: s.id, letterId: s.letterId, verifiedAt: s.verifiedAt })
      .from(s)
      .where(and(gt(s.id, afterId), eq(s.status, 'verified'), isNull(s.logSig)))
      .orderBy(asc(s.id))
      .limit(limit);
  }

  async signaturesByIds(ids: number[]): Promise<Signature[]> {
    const s = this.t.signatures;
    return this.store.db.select().from(s).where(inArray(s.id, ids));
  }

  /**
   * Gives signatures their log id, salt and commitment and queues their confirm entries, all in
   * one unit of work; a signature that changed meanwhile (it stopped counting, or got an id by
   * being confirmed again) is left as it is. Returns how many were queued.
   */
  async backfill(
    rows: Array<{ id: number; identity: Pick<Signature, 'logSig' | 'logSalt' | 'logCommitment'>; entry: QueuedEntry }>,
    now: Date,
  ) {
    const s = this.t.signatures;
    return this.store.unitOfWork(async (tx) => {
      const queued: QueuedEntry[] = [];
      for (const row of rows) {
        const [updated] = await tx
          .update(s)
          .set(row.identity)
          .where(and(eq(s.id, row.id), eq(s.status, 'verified'), isNull(s.logSig)))
          .returning({ id: s.id });
        if (updated) queued.push(row.entry);
      }
      await this.queue.queueTx(tx, queued, now);
      return queued.length;
    });
  }
}
