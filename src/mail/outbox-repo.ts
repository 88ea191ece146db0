// The outbox table: mail is queued here in the same transaction as what caused it, as a
// template's name and data, and the worker (mail/outbox-worker.ts) renders and delivers it with
// retries. Nothing queued is lost on restart.
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { outbox } from '../db/schema.js';
import type { QueuedMail } from './templates.js';

export type OutboxRow = typeof outbox.$inferSelect;

/** After this many failed attempts (about two days of backoff) a message is marked dead. */
export const MAX_ATTEMPTS = 40;

export class OutboxRepo {
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db
      .insert(outbox)
      .values({
        kind: sql.placeholder('kind'),
        to: sql.placeholder('to'),
        data: sql.placeholder('data'),
        nextAttemptAt: sql.placeholder('nextAttemptAt'),
        createdAt: sql.placeholder('createdAt'),
      })
      .prepare();
  }

  /** Queues a message. Call inside the caller's transaction so both commit or neither. */
  enqueueTx(mail: QueuedMail, now: Date): void {
    this.insertStmt.run({ kind: mail.kind, to: mail.to, data: JSON.stringify(mail.data), nextAttemptAt: now, createdAt: now });
  }

  async due(now: Date, limit: number): Promise<OutboxRow[]> {
    return this.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)))
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
      .limit(limit)
      .all();
  }

  async markSent(ids: number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    // The data carries live tokens: once delivered it is dropped from the database.
    const stmt = this.db.$client.prepare("UPDATE outbox SET status = ?, sent_at = ?, attempts = attempts + 1, data = '{}' WHERE id = ?");
    this.db.$client.transaction(() => {
      for (const id of ids) stmt.run('sent', now.getTime(), id);
    })();
  }

  async markFailed(row: OutboxRow, error: string, now: Date): Promise<void> {
    const attempts = row.attempts + 1;
    // Exponential backoff from 5 s, capped at one hour between attempts.
    const delay = Math.min(5_000 * 2 ** (attempts - 1), 3_600_000);
    this.db
      .update(outbox)
      .set({
        attempts,
        lastError: error.slice(0, 500),
        status: attempts >= MAX_ATTEMPTS ? 'dead' : 'pending',
        nextAttemptAt: new Date(now.getTime() + delay),
      })
      .where(eq(outbox.id, row.id))
      .run();
  }

  /**
   * For the operator: how far behind the outbox is. Reads only unsent mail through the status
   * index: the sent history (every mail ever) is never scanned.
   */
  async stats(now: Date): Promise<{ pending: number; dead: number; oldestPendingSeconds: number; lastError: string | null }> {
    const unsent = (status: 'pending' | 'dead') =>
      this.db
        .select({ n: sql<number>`count(*)`, oldest: sql<number | null>`min(${outbox.createdAt})` })
        .from(outbox)
        .where(eq(outbox.status, status))
        .get();
    const pending = unsent('pending');
    const dead = unsent('dead');
    const lastError = this.db
      .select({ lastError: outbox.lastError })
      .from(outbox)
      .where(and(inArray(outbox.status, ['pending', 'dead']), sql`${outbox.lastError} IS NOT NULL`))
      .orderBy(desc(outbox.id))
      .limit(1)
      .get();
    return {
      pending: pending?.n ?? 0,
      dead: dead?.n ?? 0,
      oldestPendingSeconds: pending?.oldest ? Math.max(0, Math.round((now.getTime() - pending.oldest) / 1000)) : 0,
      lastError: lastError?.lastError ?? null,
    };
  }
}
