// What each role in a collective may do. Pure, so the whole matrix is testable in one table.
import type { Role } from '../db/vocabulary.js';

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

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  editor: 'Editor',
  moderator: 'Moderator',
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Everything, including members and the audit log',
  editor: 'Letters and the notable signatories',
  moderator: 'The moderation queue and the export of signatures',
};
