// The audit log: who did what to which record, when, with the record before and after.
// Entries are written inside the transaction of the change they describe (recordTx).
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { type Db, inTransaction } from '../db/client.js';
import { auditLog, letters, organizers } from '../db/schema.js';

export interface AuditEntry {
  collectiveId: number | null;
  letterId?: number | null;
  organizerId: number | null;
  action: string;
  targetType?: string | null;
  targetId?: number | null;
  before?: unknown;
  after?: unknown;
  at: Date;
}

export interface AuditRow {
  id: number;
  action: string;
  targetType: string | null;
  targetId: number | null;
  before: string | null;
  after: string | null;
  at: Date;
  organizerName: string | null;
  letterId: number | null;
  letterTitle: string | null;
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

export class AuditRepo {
  constructor(private readonly db: Db) {}

  /** Call inside the transaction that makes the change, so the record and the entry commit together. */
  recordTx(entry: AuditEntry): void {
    this.db
      .insert(auditLog)
      .values({
        collectiveId: entry.collectiveId,
        letterId: entry.letterId ?? null,
        organizerId: entry.organizerId,
        action: entry.action,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        before: json(entry.before),
        after: json(entry.after),
        at: entry.at,
      })
      .run();
  }

  /** An action that changes nothing else (an export, say), recorded on its own. */
  async record(entry: AuditEntry): Promise<void> {
    inTransaction(this.db, () => this.recordTx(entry));
  }

  /** A collective's entries, newest first, before an id (keyset pagination on the index). */
  async list(collectiveId: number, options: { beforeId?: number; limit: number }): Promise<AuditRow[]> {
    return this.db
      .select({
        id: auditLog.id,
        action: auditLog.action,
        targetType: auditLog.targetType,
        targetId: auditLog.targetId,
        before: auditLog.before,
        after: auditLog.after,
        at: auditLog.at,
        organizerName: organizers.name,
        letterId: auditLog.letterId,
        letterTitle: letters.title,
      })
      .from(auditLog)
      .leftJoin(organizers, eq(organizers.id, auditLog.organizerId))
      .leftJoin(letters, eq(letters.id, auditLog.letterId))
      .where(and(eq(auditLog.collectiveId, collectiveId), options.beforeId ? lt(auditLog.id, options.beforeId) : undefined))
      .orderBy(desc(auditLog.id))
      .limit(options.limit)
      .all();
  }

  /** For tests and the CLI: entries about one letter, oldest first. */
  async forLetter(letterId: number): Promise<Array<typeof auditLog.$inferSelect>> {
    return this.db.select().from(auditLog).where(eq(auditLog.letterId, letterId)).orderBy(sql`${auditLog.id}`).all();
  }
}
