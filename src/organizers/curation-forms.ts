// Forms for notable signatories, moderation and members: small schemas, messages as catalogue keys.
import { z } from 'zod';
import { ROLES } from '../db/vocabulary.js';
import { idField, line } from './form.js';

export const notableAddSchema = z.object({
  name: line(120, { required: 'organizers.form.aNameRequired' }),
  description: line(200).optional().default(''),
});

export const notablePromoteSchema = z.object({
  signature_id: idField,
  description: line(200).optional().default(''),
});

export const notableEditSchema = z.object({
  name: line(120).optional().default(''),
  description: line(200).optional().default(''),
});

export const notableMoveSchema = z.object({ direction: z.enum(['up', 'down'], { error: 'organizers.form.moveDirection' }) });

export const MODERATION_ACTIONS = ['approve', 'reject', 'hide', 'unhide', 'fraudulent'] as const;
/** A bulk action is bounded: one transaction, one page of the queue. */
export const MAX_BULK = 500;

export const moderationSchema = z.object({
  action: z.enum(MODERATION_ACTIONS, { error: 'organizers.form.chooseAction' }),
  ids: z
    .union([idField, z.array(idField)], { error: 'organizers.form.selectOne' })
    .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
    .refine((v) => v.length > 0, 'organizers.form.selectOne')
    .refine((v) => v.length <= MAX_BULK, { message: 'organizers.form.selectAtMost', params: { max: MAX_BULK } }),
  return_to: z.string().max(1000).optional(),
});

export const inviteSchema = z.object({
  email: z
    .string({ error: 'organizers.form.inviteEmailRequired' })
    .trim()
    .max(254, 'organizers.form.emailTooLong')
    .pipe(z.email({ error: 'organizers.form.emailInvalid' })),
  role: z.enum(ROLES, { error: 'organizers.form.chooseRole' }),
});

export const roleSchema = z.object({ role: z.enum(ROLES, { error: 'organizers.form.chooseRole' }) });
