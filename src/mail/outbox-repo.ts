// The outbox table: mail is queued here in the same transaction as what caused it, as a
// template's name and data, and the worker (mail/outbox-worker.ts) renders and delivers it with
// retries. Nothing queued is lost on restart. Several senders (processes) share it: each claims
// a batch with a lease, so a message goes out once, and one whose sender died goes out after the
// lease has passed.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';
import type { QueuedMail } from './templates.js';

export type OutboxRow = Tables['outbox']['$inferSelect'];

/** After this many failed attempts (about two days of backoff) a message is marked dead. */
export const MAX_ATTEMPTS = 40;

/**
 * Which mail a claim takes: `first` is everything people wait for (confirmations, account mail);
 * `bulk` is update mail (outbox.priority 1), taken only when the first lane is empty.
 */
export type Lane = 'first' | 'bulk';
const PRIORITY: Record<Lane, number> = { first: 0, bulk: 1 };

/** Runs inside the unit of work that records a delivery, only when this sender still held the row. */
export type AlsoTx = (tx: Db) => Promise<void>;

/** A message as its outbox row holds it: the template's name and its data. */
export function outboxValues(mail: QueuedMail): { kind: string; to: string; data: string } {
  return { kind: mail.kind, to: mail.to, data: JSON.stringify(mail.data) };
}

export class OutboxRepo {
  private readonly t: Tables;
  private readonly insert;

  constructor(private readonly store: Store) {
    this.t = store.tables;
    const t = this.t;
    const p = sql.placeholder;
    this.insert = store.prepared<{ kind: string; to: string; data: string; now: Date }, unknown>('outbox_insert', (db) =>
      db.insert(t.outbox).values({ kind: p('kind'), to: p('to'), data: p('data'), nextAttemptAt: p('now'), createdAt: p('now') }),
    );
  }

  /** Queues a message inside the caller's unit of work, so both commit or neither. */
  async enqueueTx(tx: Db, mail: QueuedMail, now: Date): Promise<void> {
    await this.insert(tx, { ...outboxValues(mail), now });
  }

  /**
   * Forgets mail to an address, for the erasure of a signer from a letter: what was sent or
   * given up on, and what still waits about that letter. Mail waiting about other letters stays.
   */
  async forgetTx(tx: Db, address: string, letterSlug: string): Promise<void> {
    const o = this.t.outbox;
    await tx
      .delete(o)
      .where(and(eq(o.to, address), sql`(${o.status} <> 'pending' OR ${o.data} LIKE ${`%"letterSlug":${JSON.stringify(letterSlug)}%`})`));
  }

  /**
   * Claims up to `limit` due messages for `leaseMs`: pending, due, and not claimed by a sender
   * whose lease is still running. Oldest first. On PostgreSQL, rows another sender is claiming
   * at this moment are skipped, not waited for.
   */
  async claim(now: Date, limit: number, leaseMs: number, lane: Lane = 'first'): Promise<OutboxRow[]> {
    const o = this.t.outbox;
    const claim = randomUUID();
    const lock = this.store.dialect === 'postgres' ? sql` FOR UPDATE SKIP LOCKED` : sql``;
    return this.store.unitOfWork(async (tx) => {
      const due = await this.store.rows<{ id: number }>(
        sql`SELECT ${o.id} AS id FROM ${o}
             WHERE ${o.status} = 'pending' AND ${o.priority} = ${sql.raw(String(PRIORITY[lane]))}
               AND ${o.nextAttemptAt} <= ${o.nextAttemptAt.mapToDriverValue(now)}
               AND (${o.claimedUntil} IS NULL OR ${o.claimedUntil} < ${o.claimedUntil.mapToDriverValue(now)})
             ORDER BY ${o.nextAttemptAt}, ${o.id} LIMIT ${limit}${lock}`,
        tx,
      );
      if (due.length === 0) return [];
      return tx
        .update(o)
        .set({ claim, claimedUntil: new Date(now.getTime() + leaseMs) })
        .where(
          inArray(
            o.id,
            due.map((r) => Number(r.id)),
          ),
        )
        .returning();
    });
  }

  /**
   * Marks sent what this sender still holds the lease on; the data (live tokens) is dropped.
   * `alsoTx` runs in the same unit of work when at least one row was still this sender's.
   */
  async markSent(rows: OutboxRow[], now: Date, alsoTx?: AlsoTx): Promise<void> {
    if (rows.length === 0) return;
    const o = this.t.outbox;
    // One statement per claim (a batch shares one), not one per message.
    const byClaim = new Map<string | null, OutboxRow[]>();
    for (const row of rows) byClaim.set(row.claim, [...(byClaim.get(row.claim) ?? []), row]);
    await this.store.unitOfWork(async (tx) => {
      let marked = 0;
      for (const [claim, mine] of byClaim) {
        const done = await tx
          .update(o)
          .set({ status: 'sent', sentAt: now, attempts: sql`${o.attempts} + 1`, data: '{}', claim: null, claimedUntil: null })
          .where(
            and(
              inArray(
                o.id,
                mine.map((row) => row.id),
              ),
              claim ? eq(o.claim, claim) : isNull(o.claim),
            ),
          )
          .returning({ id: o.id });
        marked += done.length;
      }
      if (marked > 0) await alsoTx?.(tx);
    });
  }

  /**
   * Records a failed attempt: retried with backoff, or given up (`dead`) after MAX_ATTEMPTS or at
   * once when the failure is `permanent`. `givenUpTx` runs in the same unit of work when the
   * message is given up.
   */
  async markFailed(row: OutboxRow, error: string, now: Date, options: { permanent?: boolean; givenUpTx?: AlsoTx } = {}): Promise<void> {
    const attempts = row.attempts + 1;
    // Exponential backoff from 5 s, capped at one hour between attempts.
    const delay = Math.min(5_000 * 2 ** (attempts - 1), 3_600_000);
    const dead = options.permanent === true || attempts >= MAX_ATTEMPTS;
    const o = this.t.outbox;
    await this.store.unitOfWork(async (tx) => {
      const marked = await tx
        .update(o)
        .set({
          attempts,
          lastError: error.slice(0, 500),
          status: dead ? 'dead' : 'pending',
          nextAttemptAt: new Date(now.getTime() + delay),
          claim: null,
          claimedUntil: null,
        })
        .where(and(eq(o.id, row.id), row.claim ? eq(o.claim, row.claim) : isNull(o.claim)))
        .returning({ id: o.id });
      if (dead && marked.length > 0) await options.givenUpTx?.(tx);
    });
  }

  /** Hands claimed messages back untried (their turn has not come): no attempt is counted. */
  async release(rows: OutboxRow[]): Promise<void> {
    const o = this.t.outbox;
    const claim = rows[0]?.claim;
    if (!claim) return;
    await this.store.unitOfWork((tx) =>
      tx
        .update(o)
        .set({ claim: null, claimedUntil: null })
        .where(
          and(
            inArray(
              o.id,
              rows.map((row) => row.id),
            ),
            eq(o.claim, claim),
          ),
        ),
    );
  }

  /**
   * For the operator: how far behind the outbox is. Reads only unsent mail through the status
   * index: the sent history (every mail ever) is never scanned.
   */
  async stats(now: Date): Promise<{ pending: number; dead: number; oldestPendingSeconds: number; lastError: string | null }> {
    const o = this.t.outbox;
    const unsent = async (status: 'pending' | 'dead') => {
      const [row] = await this.store.db
        .select({ n: sql<number>`count(*)`.mapWith(Number), oldest: sql<Date | null>`min(${o.createdAt})`.mapWith(o.createdAt) })
        .from(o)
        .where(eq(o.status, status));
      return row;
    };
    const pending = await unsent('pending');
    const dead = await unsent('dead');
    const [lastError] = await this.store.db
      .select({ lastError: o.lastError })
      .from(o)
      .where(and(inArray(o.status, ['pending', 'dead']), isNotNull(o.lastError)))
      .orderBy(desc(o.id))
      .limit(1);
    return {
      pending: pending?.n ?? 0,
      dead: dead?.n ?? 0,
      oldestPendingSeconds: pending?.oldest ? Math.max(0, Math.round((now.getTime() - pending.oldest.getTime()) / 1000)) : 0,
      lastError: lastError?.lastError ?? null,
    };
  }
}
