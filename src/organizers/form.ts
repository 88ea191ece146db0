// Reading organizer forms: zod does the validation, this turns its issues into one message per
// field and keeps what the person typed, so a form comes back filled in and never as a 500.
// Schemas hold catalogue keys, not sentences ('organizers.form.required'); the message is put in
// the language of the page being answered when the form is read, with the rule's numbers.
import type { z } from 'zod';
import { z as zod } from 'zod';
import { cleanLine, hasControlCharacters } from '../domain/text.js';
import { currentTranslator } from '../i18n/context.js';
import type { MessageValues } from '../i18n/translator.js';

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
    errors[field] ??= issueMessage(issue);
  }
  return { ok: false, errors };
}

/** An issue's message in the current language: its key with the numbers the rule carries. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  const values: Record<string, number> = {};
  if (issue.code === 'custom' && issue.params) {
    for (const [name, value] of Object.entries(issue.params)) if (typeof value === 'number') values[name] = value;
  }
  if (issue.code === 'too_big') values.max = Number(issue.maximum);
  if (issue.code === 'too_small') values.min = Number(issue.minimum);
  return currentTranslator().t(issue.message, values as MessageValues);
}

/**
 * One line of text (a name, a title): cleaned, bounded. Its messages name no field (the error
 * summary puts each after its field's label), except the one asking for it, which may be given.
 */
export function line(max: number, options: { required?: boolean | string } = {}) {
  const required = typeof options.required === 'string' ? options.required : 'organizers.form.required';
  return zod
    .string({ error: 'organizers.form.notText' })
    .max(max * 4, 'organizers.form.tooLong')
    .refine((v) => !hasControlCharacters(v), 'organizers.form.badCharacters')
    .transform(cleanLine)
    .refine((v) => v.length <= max, { message: 'organizers.form.atMost', params: { max } })
    .refine((v) => !options.required || v.length > 0, required);
}

/** A positive whole number from a form field, as an id. */
export const idField = zod.coerce
  .number({ error: 'organizers.form.invalidChoice' })
  .int('organizers.form.invalidChoice')
  .positive('organizers.form.invalidChoice')
  .max(Number.MAX_SAFE_INTEGER);
