// The words beside the "updates" box on the signing form. A signature records the key of the
// wording its signer saw, so what they agreed to can always be shown exactly. Never edit a
// wording in place: add a new key and make it current, so older consents keep their own words.
// Each language has its own key: the key recorded names the very words shown, in the language
// of the page the signer saw (not a catalogue message, which translators may reword).
import type { Locale } from '../i18n/locales.js';

export const UPDATE_CONSENT_WORDINGS = {
  'updates-v1': 'Email me updates about this letter',
  'updates-v1-fr': 'Recevoir par e-mail les nouvelles de cette lettre',
  'updates-v1-de': 'Ich möchte per E-Mail Neuigkeiten zu diesem Brief erhalten',
  'updates-v1-es': 'Deseo recibir por correo electrónico novedades sobre esta carta',
  'updates-v1-ar': 'أرغب في تلقي مستجدات هذه الرسالة عبر البريد الإلكتروني',
} as const;

export type UpdateConsentKey = keyof typeof UPDATE_CONSENT_WORDINGS;

/** The wording each language's form shows today. */
export const CURRENT_UPDATE_CONSENT: Readonly<Record<Locale, UpdateConsentKey>> = {
  en: 'updates-v1',
  fr: 'updates-v1-fr',
  de: 'updates-v1-de',
  es: 'updates-v1-es',
  ar: 'updates-v1-ar',
};

export function updateConsentWording(key: UpdateConsentKey = CURRENT_UPDATE_CONSENT.en): string {
  return UPDATE_CONSENT_WORDINGS[key];
}

/** The language a consent's wording is in (English for a key this site does not know). */
export function consentLocale(key: string | null): Locale {
  const found = (Object.entries(CURRENT_UPDATE_CONSENT) as Array<[Locale, string]>).find(([, current]) => current === key);
  return found?.[0] ?? 'en';
}

/** A signer's consent as stored with their signature. */
export interface UpdateConsent {
  at: Date;
  wording: UpdateConsentKey;
}

/**
 * The consent a signing records: the box ticked now, with today's wording in the language the
 * form was shown in; none when unticked.
 */
export function consentGiven(ticked: boolean, now: Date, locale: Locale = 'en'): UpdateConsent | null {
  return ticked ? { at: now, wording: CURRENT_UPDATE_CONSENT[locale] } : null;
}
