// An update as organizers write it, on the page or from the command line: one schema, plain messages.
import { z } from 'zod';
import { hasControlCharacters } from '../domain/text.js';
import { line } from '../organizers/form.js';
import type { UpdateDraft } from './update-repo.js';

export const UPDATE_BODY_MAX = 50_000;

export const UPDATE_INTENTS = ['save', 'preview', 'test', 'review'] as const;
export type UpdateIntent = (typeof UPDATE_INTENTS)[number];

export const updateDraftSchema = z.object({
  subject: line('A subject', 200, { required: true }),
  body: z
    .string({ error: 'Please write the update.' })
    .max(UPDATE_BODY_MAX, `The update must be at most ${UPDATE_BODY_MAX.toLocaleString('en-GB')} characters.`)
    .refine((v) => !hasControlCharacters(v.replace(/[\n\r\t]/g, ' ')), 'The update contains characters we cannot accept.')
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .refine((v) => v.length > 0, 'Please write the update.'),
  // A ticked checkbox sends "on"; an unticked one sends nothing.
  signers_only: z
    .unknown()
    .optional()
    .transform((v) => v === 'on' || v === 'true' || v === true),
});

export const updateFormSchema = updateDraftSchema.extend({
  intent: z.enum(UPDATE_INTENTS, { error: 'Choose what to do with the update.' }).catch('save'),
});

export function toDraft(form: z.output<typeof updateDraftSchema>): UpdateDraft {
  return { subject: form.subject, bodyMd: form.body, signersOnly: form.signers_only };
}
