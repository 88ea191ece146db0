// What each role in a collective may do. Pure, so the whole matrix is testable in one table.
import type { Role } from '../db/vocabulary.js';
import { currentTranslator } from '../i18n/context.js';

export type Permission =
  /** See the letter in the organizer area, preview drafts. */
  | 'view'
  /** Create letters, edit their text and settings, publish and close. */
  | 'edit_letter'
  | 'edit_notables'
  | 'moderate'
  /** Download signatures with email addresses. */
  | 'export'
  | 'manage_members'
  | 'view_audit';

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(['view', 'edit_letter', 'edit_notables', 'moderate', 'export', 'manage_members', 'view_audit']),
  editor: new Set(['view', 'edit_letter', 'edit_notables']),
  moderator: new Set(['view', 'moderate', 'export']),
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

/** A role's name, in the language being rendered. */
export function roleLabel(role: Role): string {
  return currentTranslator().t('organizers.role', { role });
}

/** What a role may do, in a few words (the language being rendered). */
export function roleDescription(role: Role): string {
  return currentTranslator().t('organizers.roleDescription', { role });
}
