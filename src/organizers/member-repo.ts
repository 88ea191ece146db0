// A collective's members and invitations: invite, revoke, accept, change a role, remove. A
// collective always keeps at least one owner; an owner who goes takes their open invitations along.
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/store.js';
import type { Role } from '../db/vocabulary.js';
import type { QueuedMail } from '../mail/templates.js';
import { insertTokenTx, type OrganizerToken, useTokenTx } from './account-repo.js';
import { OrganizerWrites } from './organizer-writes.js';
import type { NewSession } from './session-repo.js';

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

export class MemberRepo extends OrganizerWrites {
  async members(collectiveId: number): Promise<Member[]> {
    const { memberships, organizers } = this.t;
    return this.store.db
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
      .orderBy(asc(organizers.name));
  }

  async pendingInvites(collectiveId: number, now: Date): Promise<PendingInvite[]> {
    const { organizerTokens } = this.t;
    const rows = await this.store.db
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
      .orderBy(asc(organizerTokens.id));
    return rows.map((r) => ({ ...r, email: r.email ?? '', role: r.role ?? 'editor' }));
  }

  async isMemberByEmail(collectiveId: number, email: string): Promise<boolean> {
    const { memberships, organizers } = this.t;
    const [row] = await this.store.db
      .select({ id: organizers.id })
      .from(memberships)
      .innerJoin(organizers, eq(organizers.id, memberships.organizerId))
      .where(and(eq(memberships.collectiveId, collectiveId), eq(organizers.email, email)))
      .limit(1);
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
    await this.store.unitOfWork(async (tx) => {
      await insertTokenTx(
        tx,
        this.t,
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
      await this.outbox.enqueueTx(tx, input.mail, input.now);
      await this.audit.recordTx(tx, {
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
    const { organizerTokens } = this.t;
    return this.store.unitOfWork(async (tx) => {
      const [invite] = await tx
        .select()
        .from(organizerTokens)
        .where(and(eq(organizerTokens.id, inviteId), eq(organizerTokens.collectiveId, collectiveId), eq(organizerTokens.purpose, 'invite')))
        .limit(1);
      if (!invite || !(await useTokenTx(tx, this.t, invite.id, now))) return false;
      await this.recordRevokedInviteTx(tx, collectiveId, actorId, invite, now);
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
    const { organizers, memberships } = this.t;
    const { email, collectiveId, role } = token;
    if (!email || !collectiveId || !role) return null;
    return this.store.unitOfWork(async (tx) => {
      const [existing] = await tx.select().from(organizers).where(eq(organizers.email, email)).limit(1);
      if (!existing && !account) return null;
      if (!(await useTokenTx(tx, this.t, token.id, now))) return null;
      let organizerId: number;
      if (existing) organizerId = existing.id;
      else {
        const [created] = await tx
          .insert(organizers)
          .values({ email, name: account?.name ?? '', passwordHash: account?.passwordHash ?? null, createdAt: now })
          .returning({ id: organizers.id });
        organizerId = (created as { id: number }).id;
      }
      // Already a member (invited twice): keep the role they have.
      await tx.insert(memberships).values({ organizerId, collectiveId, role, createdAt: now }).onConflictDoNothing();
      if (!existing && account) await this.sessions.startSessionTx(tx, organizerId, account.session, now);
      await this.audit.recordTx(tx, {
        collectiveId,
        organizerId,
        action: 'member.join',
        targetType: 'organizer',
        targetId: organizerId,
        after: { email, role, newAccount: !existing },
        at: now,
      });
      return { organizerId, created: !existing };
    });
  }

  /** Changes a member's role; a collective always keeps at least one owner. */
  async changeRole(collectiveId: number, organizerId: number, role: Role, actorId: number, now: Date): Promise<MemberChange> {
    const { memberships } = this.t;
    return this.store.unitOfWork(async (tx) => {
      await this.lockCollectiveTx(tx, collectiveId);
      const current = await this.membershipTx(tx, collectiveId, organizerId);
      if (!current) return 'not_member';
      if (current.role === role) return 'ok';
      if (current.role === 'owner' && (await this.ownerCountTx(tx, collectiveId)) <= 1) return 'last_owner';
      await tx
        .update(memberships)
        .set({ role })
        .where(and(eq(memberships.collectiveId, collectiveId), eq(memberships.organizerId, organizerId)));
      // Only owners invite: one who stops being an owner takes their open invitations along.
      if (current.role === 'owner') await this.revokeInvitesIssuedByTx(tx, collectiveId, organizerId, actorId, now);
      await this.audit.recordTx(tx, {
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
    const { memberships } = this.t;
    return this.store.unitOfWork(async (tx) => {
      await this.lockCollectiveTx(tx, collectiveId);
      const current = await this.membershipTx(tx, collectiveId, organizerId);
      if (!current) return 'not_member';
      if (current.role === 'owner' && (await this.ownerCountTx(tx, collectiveId)) <= 1) return 'last_owner';
      await tx.delete(memberships).where(and(eq(memberships.collectiveId, collectiveId), eq(memberships.organizerId, organizerId)));
      await this.revokeInvitesIssuedByTx(tx, collectiveId, organizerId, actorId, now);
      await this.audit.recordTx(tx, {
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

  /**
   * Role changes and removals in one collective take turns, so the last-owner check holds on
   * PostgreSQL too: two owners demoting each other at once would otherwise each count the other
   * and leave none. A no-op update locks the collective's row (SQLite writes are serial anyway);
   * it leaves the row's key alone, so memberships may still be added beside it.
   */
  private async lockCollectiveTx(tx: Db, collectiveId: number): Promise<void> {
    const { collectives } = this.t;
    await tx
      .update(collectives)
      .set({ name: sql`${collectives.name}` })
      .where(eq(collectives.id, collectiveId));
  }

  /** Ends the open invitations a member issued to this collective, each recorded in the audit log. */
  private async revokeInvitesIssuedByTx(tx: Db, collectiveId: number, issuer: number, actorId: number, now: Date): Promise<void> {
    const { organizerTokens } = this.t;
    const revoked = await tx
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
      .returning({ id: organizerTokens.id, email: organizerTokens.email, role: organizerTokens.role });
    for (const invite of revoked) await this.recordRevokedInviteTx(tx, collectiveId, actorId, invite, now, { issuedBy: issuer });
  }

  /** The audit entry of an invitation ended before anyone accepted it (by hand, or with its issuer). */
  private recordRevokedInviteTx(
    tx: Db,
    collectiveId: number,
    actorId: number,
    invite: { id: number; email: string | null; role: Role | null },
    now: Date,
    also: Record<string, unknown> = {},
  ): Promise<void> {
    return this.audit.recordTx(tx, {
      collectiveId,
      organizerId: actorId,
      action: 'member.invite_revoked',
      targetType: 'invitation',
      targetId: invite.id,
      before: { email: invite.email, role: invite.role, ...also },
      at: now,
    });
  }

  private async membershipTx(tx: Db, collectiveId: number, organizerId: number) {
    const { memberships } = this.t;
    const [row] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.collectiveId, collectiveId), eq(memberships.organizerId, organizerId)))
      .limit(1);
    return row;
  }

  private async ownerCountTx(tx: Db, collectiveId: number): Promise<number> {
    const { memberships } = this.t;
    const [row] = await tx
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(memberships)
      .where(and(eq(memberships.collectiveId, collectiveId), eq(memberships.role, 'owner')));
    return row?.n ?? 0;
  }
}
