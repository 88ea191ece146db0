// An update as organizers write it, on the page or from the command line: one schema, its
// messages as catalogue keys (organizers/form.ts).
import { z } from 'zod';
import { hasControlCharacters } from '../domain/text.js';
import { line } from '../organizers/form.js';
import type { UpdateDraft } from './update-repo.js';

export const UPDATE_BODY_MAX = 50_000;

export const UPDATE_INTENTS = ['save', 'preview', 'test', 'review'] as const;
export type UpdateIntent = (typeof UPDATE_INTENTS)[number];

export const updateDraftSchema = z.object({
  subject: line(200, { required: 'organizers.form.subjectRequired' }),
  body: z
    .string({ error: 'organizers.form.updateRequired' })
    .max(UPDATE_BODY_MAX, 'organizers.form.atMost')
    .refine((v) => !hasControlCharacters(v.replace(/[\n\r\t]/g, ' ')), 'organizers.form.badCharacters')
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .refine((v) => v.length > 0, 'organizers.form.updateRequired'),
  // A ticked checkbox sends "on"; an unticked one sends nothing.
  signers_only: z
    .unknown()
    .optional()
    .transform((v) => v === 'on' || v === 'true' || v === true),
});

export const updateFormSchema = updateDraftSchema.extend({
  intent: z.enum(UPDATE_INTENTS, { error: 'organizers.form.chooseIntent' }).catch('save'),
});

export function toDraft(form: z.output<typeof updateDraftSchema>): UpdateDraft {
  return { subject: form.subject, bodyMd: form.body, signersOnly: form.signers_only };
}
