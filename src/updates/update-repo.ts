// Data access for updates to signers: the updates themselves, who receives them, the batches
// of their mail, their progress, unsubscriptions and addresses that refuse mail. Every change
// that must hold together (a batch of mail and the cursor after it; a mail marked sent and the
// count of sent mail) is one unit of work.
import { and, asc, type Column, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { ConcurrentChange, columnParam, type Db, type Store, type Tables, typedParam } from '../db/store.js';
import type { UpdateStatus } from '../db/vocabulary.js';
import type { AuditEntry, AuditRepo } from '../organizers/audit-repo.js';

export type LetterUpdate = Tables['letterUpdates']['$inferSelect'];

/** Who acts, where and when: each change adds its own action and target. */
export type AuditContext = Pick<AuditEntry, 'collectiveId' | 'letterId' | 'organizerId' | 'at'>;

export interface UpdateDraft {
  subject: string;
  bodyMd: string;
  signersOnly: boolean;
}

/** What the public sees of an update. */
export type PublicUpdate = Pick<LetterUpdate, 'id' | 'subject' | 'bodyMd' | 'sentAt'>;

/** An update with what its mail needs of its letter. */
export type UpdateForMail = LetterUpdate & { letterTitle: string; letterSlug: string };

/** Kind of the test mail an organizer sends to themself (first lane; no signature). */
export const UPDATE_TEST_KIND = 'update_test';
/** Kind of the mail a signer receives (bulk lane; one per update and signature). */
export const UPDATE_KIND = 'update';

const SENT_OR_SENDING: UpdateStatus[] = ['sending', 'sent'];

export class UpdateRepo {
  private readonly t: Tables;
  private readonly fanOutStatement;
  private readonly nextBatchStatement;

  constructor(
    private readonly store: Store,
    private readonly audit: AuditRepo,
  ) {
    this.t = store.tables;
    const { signatures: s, outbox: o, emailSuppressions: x } = this.t;
    // In a SELECT list PostgreSQL must be told a parameter's type; SQLite has no casts.
    const v = (column: Column, name: string) => (store.dialect === 'postgres' ? typedParam(column, name) : columnParam(column, name));
    const id = (column: Column) => sql.identifier(column.name);
    // The ids of the next recipients after the cursor, read from the recipients' index alone.
    this.nextBatchStatement = store.preparedSql<{ letterId: number; after: number; upTo: number; limit: number }, { id: number }>(
      'update_next_batch',
      sql`SELECT ${s.id} AS id FROM ${s}
           WHERE ${s.letterId} = ${sql.placeholder('letterId')} AND ${recipient(s)}
             AND ${s.id} > ${sql.placeholder('after')} AND ${s.id} <= ${sql.placeholder('upTo')}
           ORDER BY ${s.id} LIMIT ${sql.placeholder('limit')}`,
    );
    // One mail per recipient in (after, upTo]: those who were recipients when it was sent (not
    // who confirmed or consented later) and whose address takes mail. A batch inserted again
    // inserts nothing: the (update, signature) key is unique.
    this.fanOutStatement = store.preparedSql<Record<string, unknown>, { signatureId: number }>(
      'update_fan_out',
      sql`INSERT INTO ${o} (${id(o.kind)}, ${id(o.to)}, ${id(o.data)}, ${id(o.priority)}, ${id(o.updateId)}, ${id(o.signatureId)},
                            ${id(o.nextAttemptAt)}, ${id(o.createdAt)})
          SELECT ${sql.raw(`'${UPDATE_KIND}'`)}, ${s.email}, '{}', 1, ${v(o.updateId, 'updateId')}, ${s.id},
                 ${v(o.nextAttemptAt, 'now')}, ${v(o.createdAt, 'now')}
            FROM ${s}
           WHERE ${s.letterId} = ${sql.placeholder('letterId')} AND ${recipient(s)}
             AND ${s.id} > ${sql.placeholder('after')} AND ${s.id} <= ${sql.placeholder('upTo')}
             AND ${s.verifiedAt} <= ${columnParam(s.verifiedAt, 'sentAt')} AND ${s.updatesConsentAt} <= ${columnParam(s.updatesConsentAt, 'sentAt')}
             AND NOT EXISTS (SELECT 1 FROM ${x} WHERE ${x.emailKey} = ${s.emailKey})
          ON CONFLICT DO NOTHING
          RETURNING ${id(o.signatureId)} AS "signatureId"`,
    );
  }

  // ---- writing ---------------------------------------------------------------------------------

  /** Writes a new draft, with its audit entry. */
  async create(letterId: number, draft: UpdateDraft, createdBy: number | null, now: Date, audit: AuditContext): Promise<LetterUpdate> {
    const u = this.t.letterUpdates;
    return this.store.unitOfWork(async (tx) => {
      const [row] = await tx
        .insert(u)
        .values({ letterId, ...draft, createdBy, createdAt: now, updatedAt: now })
        .returning();
      if (!row) throw new Error('update not created');
      await this.audit.recordTx(tx, { ...audit, action: 'update.create', targetType: 'update', targetId: row.id, after: draft });
      return row;
    });
  }

  /** Changes a draft, with its audit entry; null when it is no longer a draft (it was sent meanwhile). */
  async edit(update: LetterUpdate, draft: UpdateDraft, now: Date, audit: AuditContext): Promise<LetterUpdate | null> {
    const u = this.t.letterUpdates;
    return this.store.unitOfWork(async (tx) => {
      const [row] = await tx
        .update(u)
        .set({ ...draft, updatedAt: now })
        .where(and(eq(u.id, update.id), eq(u.status, 'draft')))
        .returning();
      if (!row) return null;
      const before = { subject: update.subject, bodyMd: update.bodyMd, signersOnly: update.signersOnly };
      await this.audit.recordTx(tx, { ...audit, action: 'update.edit', targetType: 'update', targetId: row.id, before, after: draft });
      return row;
    });
  }

  /**
   * Sends a draft: fixes its recipients (how many, and the newest signature among them) and marks
   * it sending, with its audit entry, atomically; the fan-out job takes it from there. A public
   * update also moves the letter's row, so its page and feed show it. Null when it was not a
   * draft any more (sent twice at once: only one send happens).
   */
  async startSending(update: LetterUpdate, now: Date, audit: AuditContext): Promise<LetterUpdate | null> {
    const { letterUpdates: u, letters: l } = this.t;
    return this.store.unitOfWork(async (tx) => {
      const { total, lastId } = await this.recipientsTx(tx, update.letterId);
      const [row] = await tx
        .update(u)
        .set({ status: 'sending', sentBy: audit.organizerId, sentAt: now, recipientTotal: total, lastSignatureId: lastId, updatedAt: now })
        .where(and(eq(u.id, update.id), eq(u.status, 'draft')))
        .returning();
      if (!row) return null;
      if (!row.signersOnly) await tx.update(l).set({ updatedAt: now }).where(eq(l.id, row.letterId));
      await this.audit.recordTx(tx, {
        ...audit,
        action: 'update.send',
        targetType: 'update',
        targetId: row.id,
        after: { subject: row.subject, signersOnly: row.signersOnly, recipients: total },
      });
      return row;
    });
  }

  /** Queues an organizer's test of an update, for them alone, with its audit entry. */
  async queueTest(update: LetterUpdate, to: string, now: Date, audit: AuditContext): Promise<void> {
    const o = this.t.outbox;
    await this.store.unitOfWork(async (tx) => {
      await tx
        .insert(o)
        .values({ kind: UPDATE_TEST_KIND, to, data: JSON.stringify({ updateId: update.id }), nextAttemptAt: now, createdAt: now });
      await this.audit.recordTx(tx, { ...audit, action: 'update.test', targetType: 'update', targetId: update.id });
    });
  }

  // ---- fan-out ---------------------------------------------------------------------------------

  /** Updates whose mail is still being queued or sent. */
  async sending(): Promise<LetterUpdate[]> {
    const u = this.t.letterUpdates;
    return this.store.db.select().from(u).where(eq(u.status, 'sending')).orderBy(asc(u.id));
  }

  /**
   * Queues the mail of the next `size` recipients after the cursor and moves the cursor past
   * them, in one unit of work: a crash leaves either both or neither, and a batch run twice
   * queues nothing twice. The last batch also records how many recipients left before their
   * turn (unsubscribed, withdrew, refused mail), so progress can reach the total. Returns how
   * many mails it queued, or null when there was nothing left to queue.
   */
  async queueNextBatch(updateId: number, size: number, now: Date): Promise<number | null> {
    const u = this.t.letterUpdates;
    return this.store.unitOfWork(async (tx) => {
      const [update] = await tx.select().from(u).where(eq(u.id, updateId));
      if (update?.status !== 'sending' || update.queuedAt !== null || update.sentAt === null) return null;
      const range = { letterId: update.letterId, after: update.cursor, upTo: update.lastSignatureId ?? 0 };
      const next = await this.nextBatchStatement(tx, { ...range, limit: size });
      const last = next.length === size ? Number(next[next.length - 1]?.id) : range.upTo;
      const queued = await this.fanOutStatement(tx, { ...range, upTo: last, updateId, now, sentAt: update.sentAt });
      const done = last >= range.upTo;
      const queuedCount = update.queuedCount + queued.length;
      // Those fixed at sending who are no longer recipients now that every batch is queued.
      const left = done ? Math.max(0, (update.recipientTotal ?? 0) - queuedCount) : 0;
      const [moved] = await tx
        .update(u)
        .set({
          cursor: last,
          queuedCount,
          unsentCount: sql`${u.unsentCount} + ${left}`,
          ...(done ? { queuedAt: now, recipientTotal: Math.max(update.recipientTotal ?? 0, queuedCount) } : {}),
        })
        .where(and(eq(u.id, updateId), eq(u.cursor, update.cursor)))
        .returning({ id: u.id });
      // Another process moved it first: this unit of work runs again from the new cursor.
      if (!moved) throw new ConcurrentChange(`update ${updateId} cursor`);
      return queued.length;
    });
  }

  /** Marks an update sent once every mail it queued was sent or given up. */
  async finishIfDone(updateId: number, now: Date): Promise<boolean> {
    const u = this.t.letterUpdates;
    return this.store.unitOfWork(async (tx) => {
      const done = await tx
        .update(u)
        .set({ status: 'sent', finishedAt: now, updatedAt: now })
        .where(
          and(
            eq(u.id, updateId),
            eq(u.status, 'sending'),
            sql`${u.queuedAt} IS NOT NULL`,
            sql`${u.sentCount} + ${u.unsentCount} >= ${u.recipientTotal}`,
          ),
        )
        .returning({ id: u.id });
      return done.length > 0;
    });
  }

  /** Inside the unit of work marking one of an update's mails sent, or giving it up (unsent). */
  async countTx(tx: Db, updateId: number, outcome: 'sent' | 'unsent'): Promise<void> {
    const u = this.t.letterUpdates;
    const count = outcome === 'sent' ? { sentCount: sql`${u.sentCount} + 1` } : { unsentCount: sql`${u.unsentCount} + 1` };
    await tx.update(u).set(count).where(eq(u.id, updateId));
  }

  // ---- recipients ------------------------------------------------------------------------------

  /** How many would receive an update of this letter now. */
  async recipientCount(letterId: number): Promise<number> {
    return (await this.recipientsTx(this.store.db, letterId)).total;
  }

  /**
   * Recipients: counted, consenting, subscribed (the recipients' index, read alone), less those
   * whose address refuses mail. Those are few, so they are read from the suppressions' side, each
   * one probe of the letter's address key (CROSS JOIN keeps SQLite to that order: walking the
   * recipients instead cost 150 ms at 400,000). Also the newest of them, which bounds the fan-out.
   */
  private async recipientsTx(tx: Db, letterId: number): Promise<{ total: number; lastId: number }> {
    const { signatures: s, emailSuppressions: x } = this.t;
    const mine = sql`${s.letterId} = ${letterId} AND ${recipient(s)}`;
    const [row] = await this.store.rows<{ subscribed: unknown; refused: unknown; lastId: unknown }>(
      sql`SELECT (SELECT count(*) FROM ${s} WHERE ${mine}) AS subscribed,
                 (SELECT count(*) FROM ${x} CROSS JOIN ${s} WHERE ${s.emailKey} = ${x.emailKey} AND ${mine}) AS refused,
                 (SELECT max(${s.id}) FROM ${s} WHERE ${mine}) AS "lastId"`,
      tx,
    );
    return { total: Number(row?.subscribed ?? 0) - Number(row?.refused ?? 0), lastId: Number(row?.lastId ?? 0) };
  }

  /** Whether a signature would still receive updates (checked again just before its mail goes). */
  /**
   * The consent of a signature that still receives updates (its wording names the language the
   * signer read it in), or null when it no longer does.
   */
  async recipientConsent(signatureId: number): Promise<{ wording: string | null } | null> {
    const { signatures: s, emailSuppressions: x } = this.t;
    const rows = await this.store.rows<{ wording: string | null }>(
      sql`SELECT ${s.updatesConsentWording} AS wording FROM ${s}
           WHERE ${s.id} = ${signatureId} AND ${recipient(s)}
             AND NOT EXISTS (SELECT 1 FROM ${x} WHERE ${x.emailKey} = ${s.emailKey})`,
    );
    return rows[0] ?? null;
  }

  /** Stops updates to one signature (its letter's); it still counts. Null when there is no such signature. */
  async unsubscribe(signatureId: number, now: Date): Promise<{ letterId: number } | null> {
    const s = this.t.signatures;
    return this.store.unitOfWork(async (tx) => {
      const [sig] = await tx.select({ letterId: s.letterId }).from(s).where(eq(s.id, signatureId));
      if (!sig) return null;
      await tx
        .update(s)
        .set({ updatesUnsubscribedAt: now })
        .where(and(eq(s.id, signatureId), sql`${s.updatesUnsubscribedAt} IS NULL`));
      return sig;
    });
  }

  /** A signature's letter, for the unsubscribe page. */
  async signatureLetter(signatureId: number): Promise<{ letterId: number; unsubscribed: boolean } | null> {
    const s = this.t.signatures;
    const [row] = await this.store.db
      .select({ letterId: s.letterId, unsubscribedAt: s.updatesUnsubscribedAt })
      .from(s)
      .where(eq(s.id, signatureId));
    return row ? { letterId: row.letterId, unsubscribed: row.unsubscribedAt !== null } : null;
  }

  /** Inside the unit of work recording a permanent refusal: no more updates to this address. */
  async suppressTx(tx: Db, emailKey: string, reason: string, now: Date): Promise<void> {
    await tx
      .insert(this.t.emailSuppressions)
      .values({ emailKey, reason: reason.slice(0, 500), createdAt: now })
      .onConflictDoNothing();
  }

  // ---- reading ---------------------------------------------------------------------------------

  async find(letterId: number, id: number): Promise<LetterUpdate | undefined> {
    const u = this.t.letterUpdates;
    const [row] = await this.store.db
      .select()
      .from(u)
      .where(and(eq(u.letterId, letterId), eq(u.id, id)));
    return row;
  }

  /** A letter's updates, newest first. */
  async list(letterId: number): Promise<LetterUpdate[]> {
    const u = this.t.letterUpdates;
    return this.store.db.select().from(u).where(eq(u.letterId, letterId)).orderBy(desc(u.id));
  }

  /** What anyone may read: sent (or being sent) and not for signers only, newest first. */
  async publicUpdates(letterId: number, limit: number): Promise<PublicUpdate[]> {
    const u = this.t.letterUpdates;
    return this.store.db
      .select({ id: u.id, subject: u.subject, bodyMd: u.bodyMd, sentAt: u.sentAt })
      .from(u)
      .where(and(eq(u.letterId, letterId), inArray(u.status, SENT_OR_SENDING), eq(u.signersOnly, false)))
      .orderBy(desc(u.sentAt), desc(u.id))
      .limit(limit);
  }

  /** An update with its letter's title and address, for its mail. */
  async forMail(id: number): Promise<UpdateForMail | undefined> {
    const { letterUpdates: u, letters: l } = this.t;
    const [row] = await this.store.db
      .select({ update: u, letterTitle: l.title, letterSlug: l.slug })
      .from(u)
      .innerJoin(l, eq(l.id, u.letterId))
      .where(eq(u.id, id));
    return row && { ...row.update, letterTitle: row.letterTitle, letterSlug: row.letterSlug };
  }
}

/**
 * Who receives updates: counted, consenting, not unsubscribed. Written as literals, as the
 * recipients' index's predicate is, so both databases read that index.
 */
function recipient(s: Tables['signatures']): SQL {
  return sql`${s.status} = 'verified' AND ${s.updatesConsentAt} IS NOT NULL AND ${s.updatesUnsubscribedAt} IS NULL`;
}
