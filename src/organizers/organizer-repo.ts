// Organizer accounts, their memberships, their links (sign-in, reset, invitation) and sessions.
// Every method is one unit of work; the audit entry and any mail commit with the change.
import { and, asc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { type Db, inTransaction } from '../db/client.js';
import { collectives, memberships, organizers, organizerTokens, type Role, sessions } from '../db/schema.js';
import type { OutboxRepo } from '../mail/outbox-repo.js';
import type { QueuedMail } from '../mail/templates.js';
import type { AuditRepo } from './audit-repo.js';

export type Organizer = typeof organizers.$inferSelect;
export type OrganizerToken = typeof organizerTokens.$inferSelect;
export type OrganizerTokenPurpose = OrganizerToken['purpose'];

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
  /** SHA-256 of the session cookie's token (the row id). */
  sessionId: string;
  memberships: Membership[];
}

export interface NewSession {
  idHash: string;
  expiresAt: Date;
}

export interface Member {
  organizerId: number;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export interface PendingInvite {
  id: number;
  email: string;
  role: Role;
  expiresAt: Date;
  createdAt: Date;
}

export type MemberChange = 'ok' | 'not_member' | 'last_owner';

export class OrganizerRepo {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepo,
    private readonly outbox: OutboxRepo,
  ) {}

  async findByEmail(email: string): Promise<Organizer | undefined> {
    return this.db.select().from(organizers).where(eq(organizers.email, email)).get();
  }

  async memberships(organizerId: number): Promise<Membership[]> {
    return this.membershipsTx(organizerId);
  }

  private membershipsTx(organizerId: number): Membership[] {
    return this.db
      .select({ collectiveId: collectives.id, slug: collectives.slug, name: collectives.name, role: memberships.role })
      .from(memberships)
      .innerJoin(collectives, eq(collectives.id, memberships.collectiveId))
      .where(eq(memberships.organizerId, organizerId))
      .orderBy(asc(collectives.name))
      .all();
  }

  /**
   * For the CLI: creates the account (or renames an existing one), makes it a member of the
   * collective (created if missing) and stores a one-time sign-in link.
   */
  async createWithSigninLink(input: {
    email: string;
    name: string;
    collective: { slug: string; name?: string } | null;
    role: Role;
    tokenHash: string;
    expiresAt: Date;
    now: Date;
  }): Promise<{ organizer: Organizer; created: boolean; collectiveId: number | null }> {
    return inTransaction(this.db, () => {
      const existing = this.db.select().from(organizers).where(eq(organizers.email, input.email)).get();
      const organizer = existing
        ? this.db.update(organizers).set({ name: input.name }).where(eq(organizers.id, existing.id)).returning().get()
        : this.db.insert(organizers).values({ email: input.email, name: input.name, createdAt: input.now }).returning().get();
      let collectiveId: number | null = null;
      if (input.collective) {
        collectiveId = this.ensureCollectiveTx(input.collective.slug, input.collective.name ?? input.collective.slug);
        this.db
          .insert(memberships)
          .values({ organizerId: organizer.id, collectiveId, role: input.role, createdAt: input.now })
          .onConflictDoUpdate({ target: [memberships.organizerId, memberships.collectiveId], set: { role: input.role } })
          .run();
      }
      this.insertTokenTx(
        { purpose: 'signin', tokenHash: input.tokenHash, organizerId: organizer.id, expiresAt: input.expiresAt },
        input.now,
      );
      this.audit.recordTx({
        collectiveId,
        organizerId: null,
        action: existing ? 'organizer.signin_link' : 'organizer.create',
        targetType: 'organizer',
        targetId: organizer.id,
        after: { email: organizer.email, name: organizer.name, role: collectiveId ? input.role : null, via: 'cli' },
        at: input.now,
      });
      return { organizer, created: !existing, collectiveId };
    });
  }

  private ensureCollectiveTx(slug: string, name: string): number {
    const found = this.db.select({ id: collectives.id }).from(collectives).where(eq(collectives.slug, slug)).get();
    if (found) return found.id;
    return this.db.insert(collectives).values({ slug, name }).returning({ id: collectives.id }).get().id;
  }

  private insertTokenTx(
    token: {
      purpose: OrganizerTokenPurpose;
      tokenHash: string;
      organizerId?: number;
      email?: string;
      collectiveId?: number;
      role?: Role;
      issuedBy?: number;
      expiresAt: Date;
    },
    now: Date,
  ): void {
    this.db
      .insert(organizerTokens)
      .values({ ...token, createdAt: now })
      .run();
  }

  // ---- links ---------------------------------------------------------------------------------

  async findToken(tokenHash: string, purpose: OrganizerTokenPurpose) {
    const row = this.db
      .select({ token: organizerTokens, organizer: organizers, collective: collectives })
      .from(organizerTokens)
      .leftJoin(organizers, eq(organizers.id, organizerTokens.organizerId))
      .leftJoin(collectives, eq(collectives.id, organizerTokens.collectiveId))
      .where(and(eq(organizerTokens.tokenHash, tokenHash), eq(organizerTokens.purpose, purpose)))
      .get();
    return row;
  }

  /** Marks a link used; false when someone used it first (two tabs, a double click). */
  private useTokenTx(tokenId: number, now: Date): boolean {
    const result = this.db
      .update(organizerTokens)
      .set({ usedAt: now })
      .where(and(eq(organizerTokens.id, tokenId), isNull(organizerTokens.usedAt), gt(organizerTokens.expiresAt, now)))
      .run();
    return result.changes === 1;
  }

  /**
   * A sign-in or reset link used: the password is set, every other session of the account ends
   * (whoever knew the old password is signed out) and a new session starts.
   */
  async setPasswordWithToken(tokenId: number, organizerId: number, passwordHash: string, session: NewSession, now: Date): Promise<boolean> {
    return inTransaction(this.db, () => {
      if (!this.useTokenTx(tokenId, now)) return false;
      this.db.update(organizers).set({ passwordHash }).where(eq(organizers.id, organizerId)).run();
      // Every other sign-in or reset link of the account ends with it: an older link, in an old
      // mail or an old terminal, must not set the password again.
      this.db
        .update(organizerTokens)
        .set({ usedAt: now })
        .where(
          and(
            eq(organizerTokens.organizerId, organizerId),
            inArray(organizerTokens.purpose, ['signin', 'reset']),
            isNull(organizerTokens.usedAt),
          ),
        )
        .run();
      this.db.delete(sessions).where(eq(sessions.organizerId, organizerId)).run();
      this.startSessionTx(organizerId, session, now);
      this.audit.recordTx({
        collectiveId: null,
        organizerId,
        action: 'organizer.password_set',
        targetType: 'organizer',
        targetId: organizerId,
        at: now,
      });
      return true;
    });
  }

  /** Queues a reset mail, unless one was issued in the last `minIntervalMs` (same answer either way). */
  async issueReset(
    organizerId: number,
    tokenHash: string,
    expiresAt: Date,
    mail: QueuedMail,
    now: Date,
    minIntervalMs: number,
  ): Promise<boolean> {
    return inTransaction(this.db, () => {
      const recent = this.db
        .select({ id: organizerTokens.id })
        .from(organizerTokens)
        .where(
          and(
            eq(organizerTokens.organizerId, organizerId),
            eq(organizerTokens.purpose, 'reset'),
            gt(organizerTokens.createdAt, new Date(now.getTime() - minIntervalMs)),
          ),
        )
        .get();
      if (recent) return false;
      this.insertTokenTx({ purpose: 'reset', tokenHash, organizerId, expiresAt }, now);
      this.outbox.enqueueTx(mail, now);
      return true;
    });
  }

  // ---- sessions ------------------------------------------------------------------------------

  async startSession(organizerId: number, session: NewSession, now: Date): Promise<void> {
    inTransaction(this.db, () => {
      this.startSessionTx(organizerId, session, now);
      this.audit.recordTx({
        collectiveId: null,
        organizerId,
        action: 'organizer.login',
        targetType: 'organizer',
        targetId: organizerId,
        at: now,
      });
    });
  }

  private startSessionTx(organizerId: number, session: NewSession, now: Date): void {
    // Expired sessions are swept here rather than by a timer: sign-ins are rare and the table small.
    this.db.delete(sessions).where(lte(sessions.expiresAt, now)).run();
    this.db.insert(sessions).values({ id: session.idHash, organizerId, expiresAt: session.expiresAt, createdAt: now }).run();
  }

  async sessionFor(idHash: string, now: Date): Promise<SignedInOrganizer | undefined> {
    const row = this.db
      .select({ id: organizers.id, email: organizers.email, name: organizers.name })
      .from(sessions)
      .innerJoin(organizers, eq(organizers.id, sessions.organizerId))
      .where(and(eq(sessions.id, idHash), gt(sessions.expiresAt, now)))
      .get();
    if (!row) return undefined;
    return { ...row, sessionId: idHash, memberships: this.membershipsTx(row.id) };
  }

  async endSession(idHash: string, organizerId: number, now: Date): Promise<void> {
    inTransaction(this.db, () => {
      const ended = this.db.delete(sessions).where(eq(sessions.id, idHash)).run().changes;
      if (ended) {
        this.audit.recordTx({
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

  // ---- members and invitations ---------------------------------------------------------------

  async members(collectiveId: number): Promise<Member[]> {
    return this.db
      .select({
        organizerId: organizers.id,
        name: organizers.name,
        email: organizers.email,
        role: memberships.role,
        joinedAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(organizers, eq(organizers.id, memberships.organizerId))
      .where(eq(memberships.collectiveId, collectiveId))
      .orderBy(asc(organizers.name))
      .all();
  }

  async pendingInvites(collectiveId: number, now: Date): Promise<PendingInvite[]> {
    const rows = this.db
      .select({
        id: organizerTokens.id,
        email: organizerTokens.email,
        role: organizerTokens.role,
        expiresAt: organizerTokens.expiresAt,
        createdAt: organizerTokens.createdAt,
      })
      .from(organizerTokens)
      .where(
        and(
          eq(organizerTokens.collectiveId, collectiveId),
          eq(organizerTokens.purpose, 'invite'),
          isNull(organizerTokens.usedAt),
          gt(organizerTokens.expiresAt, now),
        ),
      )
      .orderBy(asc(organizerTokens.id))
      .all();
    return rows.map((r) => ({ ...r, email: r.email ?? '', role: r.role ?? 'editor' }));
  }

  async isMemberByEmail(collectiveId: number, email: string): Promise<boolean> {
    const row = this.db
      .select({ id: organizers.id })
      .from(memberships)
      .innerJoin(organizers, eq(organizers.id, memberships.organizerId))
      .where(and(eq(memberships.collectiveId, collectiveId), eq(organizers.email, email)))
      .get();
    return row !== undefined;
  }

  async issueInvite(input: {
    collectiveId: number;
    email: string;
    role: Role;
    tokenHash: string;
    expiresAt: Date;
    mail: QueuedMail;
    actorId: number;
    now: Date;
  }): Promise<void> {
    inTransaction(this.db, () => {
      this.insertTokenTx(
        {
          purpose: 'invite',
          tokenHash: input.tokenHash,
          email: input.email,
          collectiveId: input.collectiveId,
          role: input.role,
          issuedBy: input.actorId,
          expiresAt: input.expiresAt,
        },
        input.now,
      );
      this.outbox.enqueueTx(input.mail, input.now);
      this.audit.recordTx({
        collectiveId: input.collectiveId,
        organizerId: input.actorId,
        action: 'member.invite',
        targetType: 'invitation',
        after: { email: input.email, role: input.role },
        at: input.now,
      });
    });
  }

  async revokeInvite(collectiveId: number, inviteId: number, actorId: number, now: Date): Promise<boolean> {
    return inTransaction(this.db, () => {
      const invite = this.db
        .select()
        .from(organizerTokens)
        .where(and(eq(organizerTokens.id, inviteId), eq(organizerTokens.collectiveId, collectiveId), eq(organizerTokens.purpose, 'invite')))
        .get();
      if (!invite || !this.useTokenTx(invite.id, now)) return false;
      this.audit.recordTx({
        collectiveId,
        organizerId: actorId,
        action: 'member.invite_revoked',
        targetType: 'invitation',
        targetId: invite.id,
        before: { email: invite.email, role: invite.role },
        at: now,
      });
      return true;
    });
  }

  /**
   * Accepts an invitation. A new address becomes an account (with `account`), signed in at once;
   * an existing account only gains the membership and signs in with its own password.
   */
  async acceptInvite(
    token: OrganizerToken,
    account: { name: string; passwordHash: string; session: NewSession } | null,
    now: Date,
  ): Promise<{ organizerId: number; created: boolean } | null> {
    return inTransaction(this.db, () => {
      if (!token.email || !token.collectiveId || !token.role) return null;
      const existing = this.db.select().from(organizers).where(eq(organizers.email, token.email)).get();
      if (!existing && !account) return null;
      if (!this.useTokenTx(token.id, now)) return null;
      const organizerId =
        existing?.id ??
        this.db
          .insert(organizers)
          .values({ email: token.email, name: account?.name ?? '', passwordHash: account?.passwordHash ?? null, createdAt: now })
          .returning({ id: organizers.id })
          .get().id;
      // Already a member (invited twice): keep the role they have.
      this.db
        .insert(memberships)
        .values({ organizerId, collectiveId: token.collectiveId, role: token.role, createdAt: now })
        .onConflictDoNothing()
        .run();
      if (!existing && account) this.startSessionTx(organizerId, account.session, now);
      this.audit.recordTx({
        collectiveId: token.collectiveId,
        organizerId,
        action: 'member.join',
        targetType: 'organizer',
        targetId: organizerId,
        after: { email: token.email, role: token.role, newAccount: !existing },
        at: now,
      });
      return { organizerId, created: !existing };
    });
  }

  /** Changes a member's role; a collective always keeps at least one owner. */
  async changeRole(collectiveId: number, organizerId: number, role: Role, actorId: number, now: Date): Promise<MemberChange> {
    return inTransaction(this.db, () => {
      const current = this.membershipTx(collectiveId, organizerId);
      if (!current) return 'not_member';
      if (current.role === role) return 'ok';
      if (current.role === 'owner' && this.ownerCountTx(collectiveId) <= 1) return 'last_owner';
      this.db
        .update(memberships)
        .set({ role })
        .where(and(eq(memberships.collectiveId, collectiveId), eq(memberships.organizerId, organizerId)))
        .run();
      // Only owners invite: one who stops being an owner takes their open invitations along.
      if (current.role === 'owner') this.revokeInvitesIssuedByTx(collectiveId, organizerId, actorId, now);
      this.audit.recordTx({
        collectiveId,
        organizerId: actorId,
        action: 'member.role',
        targetType: 'organizer',
        targetId: organizerId,
        before: { role: current.role },
        after: { role },
        at: now,
      });
      return 'ok';
    });
  }

  async removeMember(collectiveId: number, organizerId: number, actorId: number, now: Date): Promise<MemberChange> {
    return inTransaction(this.db, () => {
      const current = this.membershipTx(collectiveId, organizerId);
      if (!current) return 'not_member';
      if (current.role === 'owner' && this.ownerCountTx(collectiveId) <= 1) return 'last_owner';
      this.db
        .delete(memberships)
        .where(and(eq(memberships.collectiveId, collectiveId), eq(memberships.organizerId, organizerId)))
        .run();
      this.revokeInvitesIssuedByTx(collectiveId, organizerId, actorId, now);
      this.audit.recordTx({
        collectiveId,
        organizerId: actorId,
        action: 'member.remove',
        targetType: 'organizer',
        targetId: organizerId,
        before: { role: current.role },
        at: now,
      });
      return 'ok';
    });
  }

  /** Ends the open invitations a member issued to this collective, each recorded in the audit log. */
  private revokeInvitesIssuedByTx(collectiveId: number, issuer: number, actorId: number, now: Date): void {
    const revoked = this.db
      .update(organizerTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(organizerTokens.collectiveId, collectiveId),
          eq(organizerTokens.purpose, 'invite'),
          eq(organizerTokens.issuedBy, issuer),
          isNull(organizerTokens.usedAt),
          gt(organizerTokens.expiresAt, now),
        ),
      )
      .returning({ id: organizerTokens.id, email: organizerTokens.email, role: organizerTokens.role })
      .all();
    for (const invite of revoked) {
      this.audit.recordTx({
        collectiveId,
        organizerId: actorId,
        action: 'member.invite_revoked',
        targetType: 'invitation',
        targetId: invite.id,
        before: { email: invite.email, role: invite.role, issuedBy: issuer },
        at: now,
      });
    }
  }

  private membershipTx(collectiveId: number, organizerId: number) {
    return this.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.collectiveId, collectiveId), eq(memberships.organizerId, organizerId)))
      .get();
  }

  private ownerCountTx(collectiveId: number): number {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(memberships)
        .where(and(eq(memberships.collectiveId, collectiveId), eq(memberships.role, 'owner')))
        .get()?.n ?? 0
    );
  }
}
