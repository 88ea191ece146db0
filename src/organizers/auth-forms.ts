// Forms of the sign-in pages: login, choose a password, ask for a reset, accept an invitation.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/passwords.js';
import { line } from './form.js';

const email = z
  .string({ error: 'organizers.form.emailRequired' })
  .trim()
  .min(1, 'organizers.form.emailRequired')
  .max(254, 'organizers.form.emailTooLong');

export const loginSchema = z.object({
  email,
  password: z
    .string({ error: 'organizers.form.passwordRequired' })
    .min(1, 'organizers.form.passwordRequired')
    .max(PASSWORD_MAX_LENGTH * 4, 'organizers.form.passwordTooLong'),
  next: z.string().max(1000).optional(),
});

const newPassword = z
  .string({ error: 'organizers.form.choosePassword' })
  .min(PASSWORD_MIN_LENGTH, 'organizers.form.passwordShort')
  .max(PASSWORD_MAX_LENGTH, 'organizers.form.passwordLong')
  .refine((v) => v.trim().length >= PASSWORD_MIN_LENGTH, {
    message: 'organizers.form.passwordSpaces',
    params: { min: PASSWORD_MIN_LENGTH },
  });

const passwordPair = {
  password: newPassword,
  confirm: z.string({ error: 'organizers.form.confirmRequired' }).max(PASSWORD_MAX_LENGTH * 4),
};

const samePassword = (v: { password: string; confirm: string }) => v.password === v.confirm;
const mismatch = { message: 'organizers.form.mismatch', path: ['confirm'] };

export const setPasswordSchema = z.object(passwordPair).refine(samePassword, mismatch);

export const resetRequestSchema = z.object({
  email: email.pipe(z.email({ error: 'organizers.form.emailInvalid' })),
});

export const newAccountSchema = z
  .object({ name: line(120, { required: 'organizers.form.nameRequired' }), ...passwordPair })
  .refine(samePassword, mismatch);
