// Audit actions in words, for the owners' audit log page, in the reader's language; an action
// without a message (one a newer version wrote) shows as stored.
import { currentTranslator } from '../i18n/context.js';

const LABELS: Record<string, string> = {
  'organizer.create': 'organizers.audit.action.organizer.create',
  'organizer.signin_link': 'organizers.audit.action.organizer.signin_link',
  'organizer.password_set': 'organizers.audit.action.organizer.password_set',
  'organizer.login': 'organizers.audit.action.organizer.login',
  'organizer.logout': 'organizers.audit.action.organizer.logout',
  'organizer.language': 'organizers.audit.action.organizer.language',
  'letter.create': 'organizers.audit.action.letter.create',
  'letter.update': 'organizers.audit.action.letter.update',
  'letter.new_version': 'organizers.audit.action.letter.new_version',
  'letter.status': 'organizers.audit.action.letter.status',
  'notable.add': 'organizers.audit.action.notable.add',
  'notable.promote': 'organizers.audit.action.notable.promote',
  'notable.update': 'organizers.audit.action.notable.update',
  'notable.remove': 'organizers.audit.action.notable.remove',
  'notable.move': 'organizers.audit.action.notable.move',
  'signature.approve': 'organizers.audit.action.signature.approve',
  'signature.reject': 'organizers.audit.action.signature.reject',
  'signature.hide': 'organizers.audit.action.signature.hide',
  'signature.unhide': 'organizers.audit.action.signature.unhide',
  'signature.fraudulent': 'organizers.audit.action.signature.fraudulent',
  'signature.erase': 'organizers.audit.action.signature.erase',
  'signatures.export': 'organizers.audit.action.signatures.export',
  'member.invite': 'organizers.audit.action.member.invite',
  'member.invite_revoked': 'organizers.audit.action.member.invite_revoked',
  'member.join': 'organizers.audit.action.member.join',
  'member.role': 'organizers.audit.action.member.role',
  'member.remove': 'organizers.audit.action.member.remove',
  'member.digest_mail': 'organizers.audit.action.member.digest_mail',
  'update.create': 'organizers.audit.action.update.create',
  'update.edit': 'organizers.audit.action.update.edit',
  'update.test': 'organizers.audit.action.update.test',
  'update.send': 'organizers.audit.action.update.send',
};

/** A letter's languages: their words are in the letters catalogue. */
const TRANSLATED: Record<string, string> = {
  'letter.language': 'letters.audit.language',
  'letter.translation_add': 'letters.audit.translationAdd',
  'letter.translation_update': 'letters.audit.translationUpdate',
  'letter.translation_delete': 'letters.audit.translationDelete',
};

export function describeAction(action: string): string {
  const key = LABELS[action] ?? TRANSLATED[action];
  return key ? currentTranslator().t(key) : action;
}

/** Stored JSON, indented for reading; anything unparsable is shown as it is. */
export function prettyJson(text: string | null): string | null {
  if (text === null) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
