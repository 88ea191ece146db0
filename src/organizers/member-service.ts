// A collective's members: invitations by mail, roles, removal (never of the last owner), and
// the audit log that owners read.
import type { Role } from '../db/vocabulary.js';
import { hashToken } from '../domain/tokens.js';
import { currentTranslator } from '../i18n/context.js';
import type { AuditRepo } from './audit-repo.js';
import { INVITE_LINK_TTL_MS, normalizeOrganizerEmail } from './auth-service.js';
import type { FieldErrors } from './form.js';
import type { MemberRepo } from './member-repo.js';
import type { Membership, SignedInOrganizer } from './session-repo.js';

export const AUDIT_PAGE = 50;

export interface MemberServiceDeps {
  members: MemberRepo;
  audit: AuditRepo;
  now: () => Date;
  generateToken: () => string;
  mailQueued: () => void;
}

export class MemberService {
  constructor(private readonly deps: MemberServiceDeps) {}

  async page(collective: Membership) {
    const [members, invites] = await Promise.all([
      this.deps.members.members(collective.collectiveId),
      this.deps.members.pendingInvites(collective.collectiveId, this.deps.now()),
    ]);
    return { members, invites };
  }

  async invite(
    collective: Membership,
    organizer: SignedInOrganizer,
    email: string,
    role: Role,
  ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
    const address = normalizeOrganizerEmail(email);
    if (await this.deps.members.isMemberByEmail(collective.collectiveId, address)) {
      return { ok: false, errors: { email: currentTranslator().t('organizers.error.alreadyMember') } };
    }
    const now = this.deps.now();
    const token = this.deps.generateToken();
    // The invitee has no account, so no language of their own yet: the mail speaks the inviter's.
    const data = {
      locale: currentTranslator().locale,
      inviter: organizer.name,
      collective: collective.name,
      role,
      roleDescription: '',
      token,
      days: INVITE_LINK_TTL_MS / 86_400_000,
    };
    await this.deps.members.issueInvite({
      collectiveId: collective.collectiveId,
      email: address,
      role,
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + INVITE_LINK_TTL_MS),
      mail: { kind: 'organizer_invite', to: address, data },
      actorId: organizer.id,
      now,
    });
    this.deps.mailQueued();
    return { ok: true };
  }

  async changeRole(collective: Membership, organizer: SignedInOrganizer, memberId: number, role: Role): Promise<string | null> {
    const result = await this.deps.members.changeRole(collective.collectiveId, memberId, role, organizer.id, this.deps.now());
    return this.problem(result);
  }

  async remove(collective: Membership, organizer: SignedInOrganizer, memberId: number): Promise<string | null> {
    const result = await this.deps.members.removeMember(collective.collectiveId, memberId, organizer.id, this.deps.now());
    return this.problem(result);
  }

  async revokeInvite(collective: Membership, organizer: SignedInOrganizer, inviteId: number): Promise<string | null> {
    const done = await this.deps.members.revokeInvite(collective.collectiveId, inviteId, organizer.id, this.deps.now());
    return done ? null : currentTranslator().t('organizers.error.inviteGone');
  }

  private problem(result: 'ok' | 'not_member' | 'last_owner'): string | null {
    if (result === 'not_member') return currentTranslator().t('organizers.error.notMember');
    if (result === 'last_owner') return currentTranslator().t('organizers.error.lastOwner');
    return null;
  }

  auditLog(collective: Membership, beforeId: number | null) {
    return this.deps.audit.list(collective.collectiveId, { beforeId: beforeId ?? undefined, limit: AUDIT_PAGE + 1 });
  }
}
