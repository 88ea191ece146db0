// The letter editor's form: what organizers may type, and the messages they see (catalogue keys,
// put in the page's language by parseForm).
import { z } from 'zod';
import { DUPLICATE_NAME_POLICIES } from '../db/vocabulary.js';
import { formatMilestoneLines, MILESTONES_MAX, parseMilestoneLines } from '../domain/milestones.js';
import { isSlug, SLUG_MAX, slugify } from '../domain/slug.js';
import { hasControlCharacters } from '../domain/text.js';
import type { LetterFields } from '../letters/letter-repo.js';
import { line } from './form.js';

export const BODY_MAX = 100_000;

/** `YYYY-MM-DDTHH:MM` from a datetime-local input, read as UTC (the site shows dates in UTC). */
export function parseUtcDateTime(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match) return null;
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Reject 2026-02-31 and friends rather than rolling them into March.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return date;
}

export function formatUtcDateTime(date: Date | null): string {
  return date ? date.toISOString().slice(0, 16) : '';
}

const text = () => z.string({ error: 'organizers.form.notText' });

export const letterFormSchema = z
  .object({
    title: line(200, { required: 'organizers.form.titleRequired' }),
    slug: text()
      .max(400, 'organizers.form.tooLong')
      .transform((v) => v.trim())
      .refine((v) => v === '' || isSlug(v), { message: 'organizers.form.slug', params: { max: SLUG_MAX } })
      .optional()
      .default(''),
    summary: line(500).optional().default(''),
    addressee: line(200).optional().default(''),
    body: text()
      .max(BODY_MAX * 2, 'organizers.form.tooLong')
      .refine((v) => !hasControlCharacters(v.replace(/[\n\r\t]/g, ' ')), 'organizers.form.badCharacters')
      // Markdown needs its spaces and line breaks: normalise line endings, nothing else.
      .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
      .refine((v) => v.length > 0, 'organizers.form.bodyRequired')
      .refine((v) => v.length <= BODY_MAX, { message: 'organizers.form.atMost', params: { max: BODY_MAX } }),
    goal: text()
      .optional()
      .default('')
      .transform((v, ctx) => {
        const trimmed = v.replace(/[\s,._]/g, '');
        if (trimmed === '') return null;
        const n = Number(trimmed);
        if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(n) || n < 1 || n > 1_000_000_000) {
          ctx.addIssue({ code: 'custom', message: 'organizers.form.goal', params: { max: 1_000_000_000 } });
          return z.NEVER;
        }
        return n;
      }),
    milestones: text()
      .max(MILESTONES_MAX * 260, 'organizers.form.milestonesTooLong')
      .optional()
      .default('')
      .transform((v, ctx) => {
        const parsed = parseMilestoneLines(v);
        if (!parsed.ok) {
          ctx.addIssue({ code: 'custom', message: parsed.message });
          return z.NEVER;
        }
        return parsed.milestones;
      }),
    closes_at: text()
      .optional()
      .default('')
      .transform((v, ctx) => {
        if (v.trim() === '') return null;
        const date = parseUtcDateTime(v);
        if (!date) {
          ctx.addIssue({ code: 'custom', message: 'organizers.form.closesAt' });
          return z.NEVER;
        }
        return date;
      }),
    duplicate_names: z.enum(DUPLICATE_NAME_POLICIES, { error: 'organizers.form.duplicateNames' }).optional().default('hold'),
    intent: z.enum(['save', 'preview']).optional().default('save'),
  })
  .superRefine((form, ctx) => {
    // No address typed: the title must give one (a title in Japanese, say, does not).
    if (form.slug === '' && slugify(form.title) === '') {
      ctx.addIssue({ code: 'custom', path: ['slug'], message: 'organizers.form.slugRequired' });
    }
  });

export type LetterForm = z.output<typeof letterFormSchema>;

/** Form values → repository fields; an empty slug is made from the title. */
export function toLetterFields(form: LetterForm): LetterFields {
  return {
    slug: form.slug === '' ? slugify(form.title) : form.slug,
    title: form.title,
    summary: form.summary,
    addressee: form.addressee,
    bodyMd: form.body,
    goal: form.goal,
    milestones: form.milestones,
    closesAt: form.closes_at,
    duplicateNames: form.duplicate_names,
  };
}

/** The form filled from a stored letter (for GET /edit). */
export function letterFormValues(letter: LetterFields): Record<string, string> {
  return {
    title: letter.title,
    slug: letter.slug,
    summary: letter.summary,
    addressee: letter.addressee,
    body: letter.bodyMd,
    goal: letter.goal === null ? '' : String(letter.goal),
    milestones: formatMilestoneLines(letter.milestones ?? []),
    closes_at: formatUtcDateTime(letter.closesAt),
    duplicate_names: letter.duplicateNames ?? 'hold',
  };
}
