// Organizer accounts and their one-time links (sign-in, reset; invitations are issued by
// member-repo.ts with the same helpers). A link is used once and never after it expires.
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Tables } from '../db/store.js';
import type { Role } from '../db/vocabulary.js';
import type { Locale } from '../i18n/locales.js';
import type { QueuedMail } from '../mail/templates.js';
import { OrganizerWrites } from './organizer-writes.js';
import type { NewSession } from './session-repo.js';

export type Organizer = Tables['organizers']['$inferSelect'];
export type OrganizerToken = Tables['organizerTokens']['$inferSelect'];
export type OrganizerTokenPurpose = OrganizerToken['purpose'];

export interface NewOrganizerToken {
  purpose: OrganizerTokenPurpose;
  tokenHash: string;
  organizerId?: number;
  email?: string;
  collectiveId?: number;
  role?: Role;
  issuedBy?: number;
  expiresAt: Date;
}

/** Stores a link (its hash) inside the caller's unit of work. */
export async function insertTokenTx(tx: Db, t: Tables, token: NewOrganizerToken, now: Date): Promise<void> {
  await tx.insert(t.organizerTokens).values({ ...token, createdAt: now });
}

/**
 * Marks a link used; false when someone used it first (two tabs, a double click) or it expired.
 * A compare-and-set, so of two processes using the same link at once only one gets true.
 */
export async function useTokenTx(tx: Db, t: Tables, tokenId: number, now: Date): Promise<boolean> {
  const tokens = t.organizerTokens;
  const used = await tx
    .update(tokens)
    .set({ usedAt: now })
    .where(and(eq(tokens.id, tokenId), isNull(tokens.usedAt), gt(tokens.expiresAt, now)))
    .returning({ id: tokens.id });
  return used.length === 1;
}

export class AccountRepo extends OrganizerWrites {
  /** The organizer's language for their pages and mail; recorded in the audit log when it changes. */
  async setLanguage(organizerId: number, language: Locale, now: Date): Promise<boolean> {
    const { organizers } = this.t;
    return this.store.unitOfWork(async (tx) => {
      const [before] = await tx.select({ language: organizers.language }).from(organizers).where(eq(organizers.id, organizerId));
      if (!before || before.language === language) return false;
      await tx.update(organizers).set({ language }).where(eq(organizers.id, organizerId));
      await this.audit.recordTx(tx, {
        collectiveId: null,
        organizerId,
        action: 'organizer.language',
        targetType: 'organizer',
        targetId: organizerId,
        before: { language: before.language },
        after: { language },
        at: now,
      });
      return true;
    });
  }

  async findByEmail(email: string): Promise<Organizer | undefined> {
    const { organizers } = this.t;
    const [row] = await this.store.db.select().from(organizers).where(eq(organizers.email, email)).limit(1);
    return row;
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
    const { organizers, memberships } = this.t;
    return this.store.unitOfWork(async (tx) => {
      const [existing] = await tx.select().from(organizers).where(eq(organizers.email, input.email)).limit(1);
      const [saved] = existing
        ? await tx.update(organizers).set({ name: input.name }).where(eq(organizers.id, existing.id)).returning()
        : await tx.insert(organizers).values({ email: input.email, name: input.name, createdAt: input.now }).returning();
      const organizer = saved as Organizer;
      let collectiveId: number | null = null;
      if (input.collective) {
        collectiveId = await this.ensureCollectiveTx(tx, input.collective.slug, input.collective.name ?? input.collective.slug);
        await tx
          .insert(memberships)
          .values({ organizerId: organizer.id, collectiveId, role: input.role, createdAt: input.now })
          .onConflictDoUpdate({ target: [memberships.organizerId, memberships.collectiveId], set: { role: input.role } });
      }
      await insertTokenTx(
        tx,
        this.t,
        { purpose: 'signin', tokenHash: input.tokenHash, organizerId: organizer.id, expiresAt: input.expiresAt },
        input.now,
      );
      await this.audit.recordTx(tx, {
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

  private async ensureCollectiveTx(tx: Db, slug: string, name: string): Promise<number> {
    const { collectives } = this.t;
    const [found] = await tx.select({ id: collectives.id }).from(collectives).where(eq(collectives.slug, slug)).limit(1);
    if (found) return found.id;
    const [created] = await tx.insert(collectives).values({ slug, name }).returning({ id: collectives.id });
    return (created as { id: number }).id;
  }

  /** A link with the account and collective it points at (either may be null), used or not. */
  async findToken(tokenHash: string, purpose: OrganizerTokenPurpose) {
    const { organizerTokens, organizers, collectives } = this.t;
    const [row] = await this.store.db
      .select({ token: organizerTokens, organizer: organizers, collective: collectives })
      .from(organizerTokens)
      .leftJoin(organizers, eq(organizers.id, organizerTokens.organizerId))
      .leftJoin(collectives, eq(collectives.id, organizerTokens.collectiveId))
      .where(and(eq(organizerTokens.tokenHash, tokenHash), eq(organizerTokens.purpose, purpose)))
      .limit(1);
    return row;
  }

  /**
   * A sign-in or reset link used: the password is set, every other session of the account ends
   * (whoever knew the old password is signed out) and a new session starts.
   */
  async setPasswordWithToken(tokenId: number, organizerId: number, passwordHash: string, session: NewSession, now: Date): Promise<boolean> {
    const { organizers, organizerTokens, sessions } = this.t;
    return this.store.unitOfWork(async (tx) => {
      if (!(await useTokenTx(tx, this.t, tokenId, now))) return false;
      await tx.update(organizers).set({ passwordHash }).where(eq(organizers.id, organizerId));
      // Every other sign-in or reset link of the account ends with it: an older link, in an old
      // mail or an old terminal, must not set the password again.
      await tx
        .update(organizerTokens)
        .set({ usedAt: now })
        .where(
          and(
            eq(organizerTokens.organizerId, organizerId),
            inArray(organizerTokens.purpose, ['signin', 'reset']),
            isNull(organizerTokens.usedAt),
          ),
        );
      await tx.delete(sessions).where(eq(sessions.organizerId, organizerId));
      await this.sessions.startSessionTx(tx, organizerId, session, now);
      await this.audit.recordTx(tx, {
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
    const { organizers, organizerTokens } = this.t;
    return this.store.unitOfWork(async (tx) => {
      // Requests for one account take turns (a no-op update locks its row on PostgreSQL, whose
      // transactions would otherwise all miss each other's token): a burst of requests at the
      // same instant still sends one mail.
      await tx
        .update(organizers)
        .set({ name: sql`${organizers.name}` })
        .where(eq(organizers.id, organizerId));
      const [recent] = await tx
        .select({ id: organizerTokens.id })
        .from(organizerTokens)
        .where(
          and(
            eq(organizerTokens.organizerId, organizerId),
            eq(organizerTokens.purpose, 'reset'),
            gt(organizerTokens.createdAt, new Date(now.getTime() - minIntervalMs)),
          ),
        )
        .limit(1);
      if (recent) return false;
      await insertTokenTx(tx, this.t, { purpose: 'reset', tokenHash, organizerId, expiresAt }, now);
      await this.outbox.enqueueTx(tx, mail, now);
      return true;
    });
  }
}
