// Who may touch what. A letter outside the organizer's collectives does not exist for them (404,
// so ids reveal nothing); inside, a role without the permission gets a plain refusal (403).
import type { Role } from '../db/vocabulary.js';
import { Forbidden, NotFound } from '../errors.js';
import { currentTranslator } from '../i18n/context.js';
import type { LetterRepo, LetterWithCollective } from '../letters/letter-repo.js';
import { can, type Permission, roleLabel } from './permissions.js';
import type { Membership, SignedInOrganizer } from './session-repo.js';

export interface LetterAccess {
  letter: LetterWithCollective;
  role: Role;
  can(permission: Permission): boolean;
}

function refuse(role: Role, collective: string): Forbidden {
  return new Forbidden(currentTranslator().t('organizers.error.forbidden', { role: roleLabel(role), collective }));
}

export class Access {
  constructor(private readonly letters: LetterRepo) {}

  async letter(organizer: SignedInOrganizer, letterId: number, permission: Permission): Promise<LetterAccess> {
    const letter = await this.letters.findById(letterId);
    const membership = letter && organizer.memberships.find((m) => m.collectiveId === letter.collectiveId);
    if (!letter || !membership) throw new NotFound(currentTranslator().t('organizers.error.letterNotFound'));
    if (!can(membership.role, permission)) throw refuse(membership.role, membership.name);
    return { letter, role: membership.role, can: (p) => can(membership.role, p) };
  }

  collective(organizer: SignedInOrganizer, slug: string, permission: Permission): Membership {
    const membership = organizer.memberships.find((m) => m.slug === slug);
    if (!membership) throw new NotFound(currentTranslator().t('organizers.error.collectiveNotFound'));
    if (!can(membership.role, permission)) throw refuse(membership.role, membership.name);
    return membership;
  }

  collectivesWhere(organizer: SignedInOrganizer, permission: Permission): Membership[] {
    return organizer.memberships.filter((m) => can(m.role, permission));
  }
}
