// Audit actions in words, for the owners' audit log page: `organizers.audit.action.<action>` in
// the reader's language; an action without a message (one a newer version wrote) shows as stored.
import { currentTranslator } from '../i18n/context.js';
import { DEFAULT_LOCALE } from '../i18n/locales.js';
import { translatorFor } from '../i18n/translator.js';

export function describeAction(action: string): string {
  const key = `organizers.audit.action.${action}`;
  const t = currentTranslator();
  return t.has(key) || translatorFor(DEFAULT_LOCALE).has(key) ? t.t(key) : action;
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
