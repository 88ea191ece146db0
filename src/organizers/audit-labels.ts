// Audit actions in words, for the owners' audit log page.
import { currentTranslator } from '../i18n/context.js';

const LABELS: Record<string, string> = {
  'organizer.create': 'Account created (command line)',
  'organizer.signin_link': 'Sign-in link issued (command line)',
  'organizer.password_set': 'Password set',
  'organizer.login': 'Signed in',
  'organizer.logout': 'Signed out',
  'letter.create': 'Letter created',
  'letter.update': 'Letter edited',
  'letter.new_version': 'Letter text edited (new version)',
  'letter.status': 'Letter status changed',
  'notable.add': 'Notable added by hand',
  'notable.promote': 'Signature promoted to notable',
  'notable.update': 'Notable entry edited',
  'notable.remove': 'Notable entry removed',
  'notable.move': 'Notable entry moved',
  'signature.approve': 'Signature approved',
  'signature.reject': 'Signature rejected as duplicate',
  'signature.hide': 'Signature hidden from the public list',
  'signature.unhide': 'Signature shown again',
  'signature.fraudulent': 'Signature removed as fraudulent',
  'signature.erase': 'Signer’s personal data erased',
  'signatures.export': 'Signatures exported (with emails)',
  'member.invite': 'Member invited',
  'member.invite_revoked': 'Invitation revoked',
  'member.join': 'Member joined',
  'member.role': 'Member role changed',
  'member.remove': 'Member removed',
  'update.create': 'Update to signers written',
  'update.edit': 'Update to signers edited',
  'update.test': 'Update tested (mailed to the organizer only)',
  'update.send': 'Update sent to signers',
  'member.digest_mail': 'Mail about held signatures turned on or off',
};

/** A letter's languages: their words are in the letters catalogue, in the reader's language. */
const TRANSLATED: Record<string, string> = {
  'letter.language': 'letters.audit.language',
  'letter.translation_add': 'letters.audit.translationAdd',
  'letter.translation_update': 'letters.audit.translationUpdate',
  'letter.translation_delete': 'letters.audit.translationDelete',
};

export function describeAction(action: string): string {
  const key = TRANSLATED[action];
  if (key) return currentTranslator().t(key);
  return LABELS[action] ?? action;
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
