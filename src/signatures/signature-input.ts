// What a signer may send, from the HTML form or the JSON API, and the messages they see when
// something is wrong. Pure: no I/O, so every rule is testable on its own.
import { z } from 'zod';
import { isCountryCode } from '../domain/countries.js';
import { parseEmail } from '../domain/email-key.js';
import { isPortableText } from '../domain/log-entry.js';
import { cleanLine, cleanText, hasControlCharacters, looksLikeUrl } from '../domain/text.js';

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

const text = (max: number, label: string) =>
  z
    .string({ error: `${label} must be text.` })
    .max(2000, `${label} is too long.`)
    .refine((v) => !hasControlCharacters(v), `${label} contains characters we cannot accept.`)
    .transform(cleanLine)
    // Public fields are committed to in the letter's public log as JSON (domain/log-entry.ts):
    // what is kept must be written alike by every JSON encoder, or no one else could check it.
    .refine(isPortableText, `${label} contains characters we cannot accept.`)
    .refine((v) => v.length <= max, `${label} must be at most ${max} characters.`);

const optionalText = (max: number, label: string) =>
  text(max, label)
    .optional()
    .nullable()
    .transform((v) => (v ? v : null));

/**
 * A signature as sent by the form or the API: the one schema that validates it, and that the
 * OpenAPI document describes (api/sign-route-docs.ts).
 */
export const signatureInputSchema = z
  .object({
    name: text(120, 'Your name')
      .refine((v) => v.length > 0, 'Please enter your name.')
      .refine((v) => !FORMULA_START.test(v), 'A name cannot start with =, +, - or @.')
      .refine((v) => !looksLikeUrl(v), 'A name cannot contain a web address.')
      .describe('Full name, as it should appear (at most 120 characters). No web addresses; cannot start with = + - @.'),
    email: z
      .string({ error: 'Please enter your email address.' })
      .max(254, 'That email address is too long.')
      .refine((v) => v.trim().length > 0, 'Please enter your email address.')
      .refine((v) => !hasControlCharacters(v) && parseEmail(v) !== null, 'Please enter a valid email address, like name@example.com.')
      .describe('Where the confirmation link is sent. Never shown or published.'),
    title: optionalText(120, 'Role or occupation').describe('Role or occupation (at most 120 characters).'),
    organisation: optionalText(120, 'Organisation').describe('At most 120 characters.'),
    country: z
      .string({ error: 'Please choose a country from the list.' })
      .optional()
      .nullable()
      .transform((v) => (v ? v.trim().toUpperCase() : null))
      .refine((v) => v === null || isCountryCode(v), 'Please choose a country from the list.')
      .describe('ISO 3166-1 alpha-2 code.'),
    comment: z
      .string({ error: 'The comment must be text.' })
      .max(5000, 'The comment must be at most 500 characters.')
      .refine((v) => !hasControlCharacters(v.replace(/[\n\r\t]/g, ' ')), 'The comment contains characters we cannot accept.')
      .transform(cleanText)
      .refine((v) => v.length <= 500, 'The comment must be at most 500 characters.')
      .optional()
      .nullable()
      .transform((v) => (v ? v : null))
      .describe('Shown to the organizers only (at most 500 characters).'),
    public: z.boolean({ error: 'public must be true or false.' }).default(true).describe('List the name publicly (it counts either way).'),
    updates: z
      .boolean({ error: 'updates must be true or false.' })
      .default(false)
      .describe(
        'Email me updates about this letter (false unless sent). Recorded with the time and the wording shown; every update has a one-click unsubscribe link. Signing again without it keeps an earlier consent.',
      ),
  })
  .meta({ id: 'NewSignature' });

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
  if (!email) return { ok: false, errors: { email: 'Please enter a valid email address, like name@example.com.' } };
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
