// The words beside the "updates" box on the signing form. A signature records the key of the
// wording its signer saw, so what they agreed to can always be shown exactly. Never edit a
// wording in place: add a new key and make it CURRENT, so older consents keep their own words.
export const UPDATE_CONSENT_WORDINGS = {
  'updates-v1': 'Email me updates about this letter',
} as const;

export type UpdateConsentKey = keyof typeof UPDATE_CONSENT_WORDINGS;

/** The wording the form shows today. */
export const CURRENT_UPDATE_CONSENT: UpdateConsentKey = 'updates-v1';

export function updateConsentWording(key: UpdateConsentKey = CURRENT_UPDATE_CONSENT): string {
  return UPDATE_CONSENT_WORDINGS[key];
}

/** A signer's consent as stored with their signature. */
export interface UpdateConsent {
  at: Date;
  wording: UpdateConsentKey;
}

/** The consent a signing records: the box ticked now, with today's wording; none when unticked. */
export function consentGiven(ticked: boolean, now: Date): UpdateConsent | null {
  return ticked ? { at: now, wording: CURRENT_UPDATE_CONSENT } : null;
}
