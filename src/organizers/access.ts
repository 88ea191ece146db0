// Who may touch what. A letter outside the organizer's collectives does not exist for them (404,
// so ids reveal nothing); inside, a role without the permission gets a plain refusal (403).
import type { Role } from '../db/vocabulary.js';
import { Forbidden, NotFound } from '../errors.js';
import type { LetterRepo, LetterWithCollective } from '../letters/letter-repo.js';
import { can, type Permission, ROLE_LABELS } from './permissions.js';
import type { Membership, SignedInOrganizer } from './session-repo.js';

export interface LetterAccess {
  letter: LetterWithCollective;
  role: Role;
  can(permission: Permission): boolean;
}

const LETTER_NOT_FOUND = 'We could not find that letter among your collectives’ letters.';

function refuse(role: Role, collective: string): Forbidden {
  return new Forbidden(
    `As ${ROLE_LABELS[role].toLowerCase()} of ${collective} you cannot do this. Ask an owner of the collective if you need to.`,
  );
}

export class Access {
  constructor(private readonly letters: LetterRepo) {}

  async letter(organizer: SignedInOrganizer, letterId: number, permission: Permission): Promise<LetterAccess> {
    const letter = await this.letters.findById(letterId);
    const membership = letter && organizer.memberships.find((m) => m.collectiveId === letter.collectiveId);
    if (!letter || !membership) throw new NotFound(LETTER_NOT_FOUND);
    if (!can(membership.role, permission)) throw refuse(membership.role, membership.name);
    return { letter, role: membership.role, can: (p) => can(membership.role, p) };
  }

  collective(organizer: SignedInOrganizer, slug: string, permission: Permission): Membership {
    const membership = organizer.memberships.find((m) => m.slug === slug);
    if (!membership) throw new NotFound('We could not find that collective among yours.');
    if (!can(membership.role, permission)) throw refuse(membership.role, membership.name);
    return membership;
  }

  collectivesWhere(organizer: SignedInOrganizer, permission: Permission): Membership[] {
    return organizer.memberships.filter((m) => can(m.role, permission));
  }
}
