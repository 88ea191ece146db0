// A collective's members: invitations by mail, roles, removal (never of the last owner), and
// the audit log that owners read.
import type { Role } from '../db/vocabulary.js';
import { hashToken } from '../domain/tokens.js';
import type { AuditRepo } from './audit-repo.js';
import { INVITE_LINK_TTL_MS, normalizeOrganizerEmail } from './auth-service.js';
import type { FieldErrors } from './form.js';
import type { MemberRepo } from './member-repo.js';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from './permissions.js';
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
      return { ok: false, errors: { email: 'This person is already a member of the collective.' } };
    }
    const now = this.deps.now();
    const token = this.deps.generateToken();
    const data = {
      inviter: organizer.name,
      collective: collective.name,
      role: ROLE_LABELS[role],
      roleDescription: ROLE_DESCRIPTIONS[role],
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
    return done ? null : 'That invitation was already used, revoked or expired.';
  }

  private problem(result: 'ok' | 'not_member' | 'last_owner'): string | null {
    if (result === 'not_member') return 'That person is not a member of this collective.';
    if (result === 'last_owner') return 'A collective needs at least one owner. Make someone else an owner first.';
    return null;
  }

  auditLog(collective: Membership, beforeId: number | null) {
    return this.deps.audit.list(collective.collectiveId, { beforeId: beforeId ?? undefined, limit: AUDIT_PAGE + 1 });
  }
}
