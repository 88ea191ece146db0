// Forms of the sign-in pages: login, choose a password, ask for a reset, accept an invitation.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/passwords.js';
import { line } from './form.js';

const email = z
  .string({ error: 'Please enter your email address.' })
  .trim()
  .min(1, 'Please enter your email address.')
  .max(254, 'That email address is too long.');

export const loginSchema = z.object({
  email,
  password: z
    .string({ error: 'Please enter your password.' })
    .min(1, 'Please enter your password.')
    .max(PASSWORD_MAX_LENGTH * 4, 'That password is too long.'),
  next: z.string().max(1000).optional(),
});

const newPassword = z
  .string({ error: 'Please choose a password.' })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a good one.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`)
  .refine((v) => v.trim().length >= PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters that are not spaces.`);

const passwordPair = {
  password: newPassword,
  confirm: z.string({ error: 'Please type the password again.' }).max(PASSWORD_MAX_LENGTH * 4),
};

const samePassword = (v: { password: string; confirm: string }) => v.password === v.confirm;
const mismatch = { message: 'The two passwords are not the same.', path: ['confirm'] };

export const setPasswordSchema = z.object(passwordPair).refine(samePassword, mismatch);

export const resetRequestSchema = z.object({
  email: email.pipe(z.email({ error: 'Please enter a valid email address, like name@example.org.' })),
});

export const newAccountSchema = z
  .object({ name: line('Your name', 120, { required: true }), ...passwordPair })
  .refine(samePassword, mismatch);
