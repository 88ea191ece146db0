// Forms for notable signatories, moderation and members: small schemas, plain messages.
import { z } from 'zod';
import { ROLES } from '../db/vocabulary.js';
import { idField, line } from './form.js';

export const notableAddSchema = z.object({
  name: line('A name', 120, { required: true }),
  description: line('The description', 200).optional().default(''),
});

export const notablePromoteSchema = z.object({
  signature_id: idField,
  description: line('The description', 200).optional().default(''),
});

export const notableEditSchema = z.object({
  name: line('The name', 120).optional().default(''),
  description: line('The description', 200).optional().default(''),
});

export const notableMoveSchema = z.object({ direction: z.enum(['up', 'down'], { error: 'Move it up or down.' }) });

export const MODERATION_ACTIONS = ['approve', 'reject', 'hide', 'unhide', 'fraudulent'] as const;
/** A bulk action is bounded: one transaction, one page of the queue. */
export const MAX_BULK = 500;

export const moderationSchema = z.object({
  action: z.enum(MODERATION_ACTIONS, { error: 'Choose what to do with the selected signatures.' }),
  ids: z
    .union([idField, z.array(idField)], { error: 'Select at least one signature.' })
    .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
    .refine((v) => v.length > 0, 'Select at least one signature.')
    .refine((v) => v.length <= MAX_BULK, `Select at most ${MAX_BULK} signatures at a time.`),
  return_to: z.string().max(1000).optional(),
});

export const inviteSchema = z.object({
  email: z
    .string({ error: 'Please enter an email address.' })
    .trim()
    .max(254, 'That email address is too long.')
    .pipe(z.email({ error: 'Please enter a valid email address, like name@example.org.' })),
  role: z.enum(ROLES, { error: 'Choose a role.' }),
});

export const roleSchema = z.object({ role: z.enum(ROLES, { error: 'Choose a role.' }) });
