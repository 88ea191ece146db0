// Organizer sessions: started at sign-in, looked up on every request with the organizer's
// memberships, ended at sign-out. The cookie carries a token; only its hash is the row's id.
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';
import type { Role } from '../db/vocabulary.js';
import type { Locale } from '../i18n/locales.js';
import type { AuditRepo } from './audit-repo.js';

export interface Membership {
  collectiveId: number;
  slug: string;
  name: string;
  role: Role;
}

export interface SignedInOrganizer {
  id: number;
  email: string;
  name: string;
  /** The language they chose for their pages and mail. */
  language: Locale;
  /** SHA-256 of the session cookie's token (the row id). */
  sessionId: string;
  memberships: Membership[];
}

export interface NewSession {
  idHash: string;
  expiresAt: Date;
}

export class SessionRepo {
  private readonly t: Tables;

  constructor(
    private readonly store: Store,
    private readonly audit: AuditRepo,
  ) {
    this.t = store.tables;
  }

  /** A sign-in with a password: the session and its audit entry commit together. */
  async startSession(organizerId: number, session: NewSession, now: Date): Promise<void> {
    await this.store.unitOfWork(async (tx) => {
      await this.startSessionTx(tx, organizerId, session, now);
      await this.audit.recordTx(tx, {
        collectiveId: null,
        organizerId,
        action: 'organizer.login',
        targetType: 'organizer',
        targetId: organizerId,
        at: now,
      });
    });
  }

  /** Inside the caller's unit of work (a password set, an invitation accepted): a new session. */
  async startSessionTx(tx: Db, organizerId: number, session: NewSession, now: Date): Promise<void> {
    const { sessions } = this.t;
    // Expired sessions are swept here rather than by a timer: sign-ins are rare and the table small.
    await tx.delete(sessions).where(lte(sessions.expiresAt, now));
    await tx.insert(sessions).values({ id: session.idHash, organizerId, expiresAt: session.expiresAt, createdAt: now });
  }

  async sessionFor(idHash: string, now: Date): Promise<SignedInOrganizer | undefined> {
    const { sessions, organizers } = this.t;
    const [row] = await this.store.db
      .select({ id: organizers.id, email: organizers.email, name: organizers.name, language: organizers.language })
      .from(sessions)
      .innerJoin(organizers, eq(organizers.id, sessions.organizerId))
      .where(and(eq(sessions.id, idHash), gt(sessions.expiresAt, now)))
      .limit(1);
    if (!row) return undefined;
    return { ...row, sessionId: idHash, memberships: await this.membershipsTx(this.store.db, row.id) };
  }

  async endSession(idHash: string, organizerId: number, now: Date): Promise<void> {
    const { sessions } = this.t;
    await this.store.unitOfWork(async (tx) => {
      const ended = await tx.delete(sessions).where(eq(sessions.id, idHash)).returning({ id: sessions.id });
      // A second sign-out of the same session (another tab) ended nothing and is not recorded.
      if (ended.length > 0) {
        await this.audit.recordTx(tx, {
          collectiveId: null,
          organizerId,
          action: 'organizer.logout',
          targetType: 'organizer',
          targetId: organizerId,
          at: now,
        });
      }
    });
  }

  async memberships(organizerId: number): Promise<Membership[]> {
    return this.membershipsTx(this.store.db, organizerId);
  }

  private async membershipsTx(tx: Db, organizerId: number): Promise<Membership[]> {
    const { memberships, collectives } = this.t;
    return tx
      .select({ collectiveId: collectives.id, slug: collectives.slug, name: collectives.name, role: memberships.role })
      .from(memberships)
      .innerJoin(collectives, eq(collectives.id, memberships.collectiveId))
      .where(eq(memberships.organizerId, organizerId))
      .orderBy(asc(collectives.name));
  }
}
