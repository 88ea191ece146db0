// The audit log: who did what to which record, when, with the record before and after.
// Entries are written inside the unit of work of the change they describe (recordTx).
import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';

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
  private readonly t: Tables;

  constructor(private readonly store: Store) {
    this.t = store.tables;
  }

  /** Call inside the unit of work that makes the change, so the record and the entry commit together. */
  async recordTx(tx: Db, entry: AuditEntry): Promise<void> {
    await tx.insert(this.t.auditLog).values({
      collectiveId: entry.collectiveId,
      letterId: entry.letterId ?? null,
      organizerId: entry.organizerId,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      before: json(entry.before),
      after: json(entry.after),
      at: entry.at,
    });
  }

  /** An action that changes nothing else (an export, say), recorded on its own. */
  async record(entry: AuditEntry): Promise<void> {
    await this.store.unitOfWork((tx) => this.recordTx(tx, entry));
  }

  /** A collective's entries, newest first, before an id (keyset pagination on the index). */
  async list(collectiveId: number, options: { beforeId?: number; limit: number }): Promise<AuditRow[]> {
    const { auditLog, organizers, letters } = this.t;
    return this.store.db
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
      .limit(options.limit);
  }

  /** For tests and the CLI: entries about one letter, oldest first. */
  async forLetter(letterId: number): Promise<Array<Tables['auditLog']['$inferSelect']>> {
    const { auditLog } = this.t;
    return this.store.db.select().from(auditLog).where(eq(auditLog.letterId, letterId)).orderBy(asc(auditLog.id));
  }
}
