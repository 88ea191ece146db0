// What a signer may send, from the HTML form or the JSON API, and the messages they see when
// something is wrong. Pure: no I/O, so every rule is testable on its own.
import { z } from 'zod';
import { isCountryCode } from '../domain/countries.js';
import { parseEmail } from '../domain/email-key.js';
import { isPortableText } from '../domain/log-entry.js';
import { cleanLine, cleanText, hasControlCharacters, looksLikeUrl } from '../domain/text.js';
import type { Translator } from '../i18n/translator.js';

export interface SignatureFields {
  name: string;
  email: string;
  emailKey: string;
  emailDomain: string;
  title: string | null;
  organisation: string | null;
  country: string | null;
  isPublic: boolean;
  comment: string | null;
  /** The "Email me updates" box was ticked. */
  updates: boolean;
}

/** Signing forms are small; anything larger is not a person typing. */
export const SIGN_BODY_LIMIT = 16 * 1024;

export type FieldErrors = Partial<Record<'name' | 'email' | 'title' | 'organisation' | 'country' | 'comment' | 'public', string>>;

const FORMULA_START = /^[=+\-@]/;

// Messages are catalogue keys (locales/*/site.json), translated where they are shown
// (translateFieldErrors); a field's own limit fills in {max}.
const FIELD_MAX: Partial<Record<keyof FieldErrors, number>> = { name: 120, email: 254, title: 120, organisation: 120, comment: 500 };

const text = (max: number, notText = 'site.sign.error.notText') =>
  z
    .string({ error: notText })
    .max(2000, 'site.sign.error.tooLong')
    .refine((v) => !hasControlCharacters(v), 'site.sign.error.characters')
    .transform(cleanLine)
    // Public fields are committed to in the letter's public log as JSON (domain/log-entry.ts):
    // what is kept must be written alike by every JSON encoder, or no one else could check it.
    .refine(isPortableText, 'site.sign.error.characters')
    .refine((v) => v.length <= max, 'site.sign.error.tooLong');

const optionalText = (max: number) =>
  text(max)
    .optional()
    .nullable()
    .transform((v) => (v ? v : null));

/**
 * A signature as sent by the form or the API: the one schema that validates it, and that the
 * OpenAPI document describes (api/sign-route-docs.ts).
 */
export const signatureInputSchema = z
  .object({
    name: text(120, 'site.sign.error.nameMissing')
      .refine((v) => v.length > 0, 'site.sign.error.nameMissing')
      .refine((v) => !FORMULA_START.test(v), 'site.sign.error.nameFormula')
      .refine((v) => !looksLikeUrl(v), 'site.sign.error.nameAddress')
      .describe('Full name, as it should appear (at most 120 characters). No web addresses; cannot start with = + - @.'),
    email: z
      .string({ error: 'site.sign.error.emailMissing' })
      .max(254, 'site.sign.error.tooLong')
      .refine((v) => v.trim().length > 0, 'site.sign.error.emailMissing')
      .refine((v) => !hasControlCharacters(v) && parseEmail(v) !== null, 'site.sign.error.email')
      .describe('Where the confirmation link is sent. Never shown or published.'),
    title: optionalText(120).describe('Role or occupation (at most 120 characters).'),
    organisation: optionalText(120).describe('At most 120 characters.'),
    country: z
      .string({ error: 'site.sign.error.country' })
      .optional()
      .nullable()
      .transform((v) => (v ? v.trim().toUpperCase() : null))
      .refine((v) => v === null || isCountryCode(v), 'site.sign.error.country')
      .describe('ISO 3166-1 alpha-2 code.'),
    comment: z
      .string({ error: 'site.sign.error.notText' })
      .max(5000, 'site.sign.error.tooLong')
      .refine((v) => !hasControlCharacters(v.replace(/[\n\r\t]/g, ' ')), 'site.sign.error.characters')
      .transform(cleanText)
      .refine((v) => v.length <= 500, 'site.sign.error.tooLong')
      .optional()
      .nullable()
      .transform((v) => (v ? v : null))
      .describe('Shown to the organizers only (at most 500 characters).'),
    public: z.boolean({ error: 'site.sign.error.public' }).default(true).describe('List the name publicly (it counts either way).'),
    updates: z
      .boolean({ error: 'site.sign.error.updates' })
      .default(false)
      .describe(
        'Email me updates about this letter (false unless sent). Recorded with the time and the wording shown; every update has a one-click unsubscribe link. Signing again without it keeps an earlier consent.',
      ),
  })
  .meta({ id: 'NewSignature' });

/** Field errors as message keys, worded in a language (a text that is not a key stays as it is). */
export function translateFieldErrors(errors: FieldErrors, translator: Pick<Translator, 't'>): FieldErrors {
  const worded: FieldErrors = {};
  for (const [field, key] of Object.entries(errors) as Array<[keyof FieldErrors, string]>) {
    worded[field] = translator.t(key, { max: FIELD_MAX[field] ?? 0 });
  }
  return worded;
}

export type ParseResult = { ok: true; value: SignatureFields } | { ok: false; errors: FieldErrors };

/** Validates a signature from either channel; `public` must already be a boolean. */
export function parseSignatureInput(input: unknown): ParseResult {
  const result = signatureInputSchema.safeParse(input);
  if (!result.success) {
    const errors: FieldErrors = {};
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? 'name') as keyof FieldErrors;
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const v = result.data;
  const email = parseEmail(v.email);
  if (!email) return { ok: false, errors: { email: 'site.sign.error.email' } };
  return {
    ok: true,
    value: {
      name: v.name,
      email: email.address,
      emailKey: email.key,
      emailDomain: email.domain,
      title: v.title,
      organisation: v.organisation,
      country: v.country,
      isPublic: v.public,
      comment: v.comment,
      updates: v.updates,
    },
  };
}
