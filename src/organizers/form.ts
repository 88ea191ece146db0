// Reading organizer forms: zod does the validation, this turns its issues into one message per
// field and keeps what the person typed, so a form comes back filled in and never as a 500.
import type { z } from 'zod';
import { z as zod } from 'zod';
import { cleanLine, hasControlCharacters } from '../domain/text.js';

export type FieldErrors = Record<string, string>;
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** The body as a plain object of fields (anything else, such as a JSON array, is an empty form). */
export function formFields(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** What the person typed, as strings, for re-rendering (repeated fields keep the first). */
export function typedValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(formFields(body))) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') values[key] = first;
  }
  return values;
}

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const result = schema.safeParse(formFields(body));
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** One line of text (a name, a title): cleaned, bounded, with the field's label in messages. */
export function line(label: string, max: number, options: { required?: boolean } = {}) {
  return zod
    .string({ error: `${label} must be text.` })
    .max(max * 4, `${label} is too long.`)
    .refine((v) => !hasControlCharacters(v), `${label} contains characters we cannot accept.`)
    .transform(cleanLine)
    .refine((v) => v.length <= max, `${label} must be at most ${max} characters.`)
    .refine((v) => !options.required || v.length > 0, `Please enter ${label.toLowerCase()}.`);
}

/** A positive whole number from a form field, as an id. */
export const idField = zod.coerce
  .number({ error: 'That is not a valid choice.' })
  .int('That is not a valid choice.')
  .positive('That is not a valid choice.')
  .max(Number.MAX_SAFE_INTEGER);
