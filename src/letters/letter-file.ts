// Letters as Markdown files with YAML front matter (`npm run cli -- import-letter PATH.md`).
// Parsing is pure; a bad field is reported by name and nothing is written.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LETTER_STATUSES } from '../db/vocabulary.js';
import { MILESTONE_COUNT_MAX, MILESTONE_TEXT_MAX, MILESTONES_MAX, milestonesProblem } from '../domain/milestones.js';
import { isSlug, SLUG_MAX } from '../domain/slug.js';
import { cleanLine } from '../domain/text.js';

const slug = z.string().refine(isSlug, `must be lower-case letters, digits and single hyphens, at most ${SLUG_MAX}`);
const line = (max: number) => z.string().max(max).transform(cleanLine);

const frontMatterSchema = z.object({
  slug,
  title: line(200).refine((v) => v.length > 0, 'must not be empty'),
  summary: line(500).default(''),
  addressee: line(200).default(''),
  collective: slug,
  collective_name: line(120).optional(),
  status: z.enum(LETTER_STATUSES, { error: `must be one of ${LETTER_STATUSES.join(', ')}` }).default('draft'),
  goal: z.number().int().positive().max(1_000_000_000).nullable().optional(),
  closes_at: z
    .union([z.date(), z.string()])
    .nullable()
    .optional()
    .transform((v, ctx) => {
      if (v === null || v === undefined) return null;
      const date = v instanceof Date ? v : new Date(v);
      if (Number.isNaN(date.getTime()) || (typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}/.test(v))) {
        ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 date-time, like 2026-12-31T23:59:00Z' });
        return z.NEVER;
      }
      return date;
    }),
  duplicate_names: z.enum(['hold', 'allow']).default('hold'),
  milestones: z
    .array(z.object({ count: z.number().int().positive().max(MILESTONE_COUNT_MAX), text: line(MILESTONE_TEXT_MAX).default('') }))
    .max(MILESTONES_MAX)
    .superRefine((list, ctx) => {
      const problem = milestonesProblem(list);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  notable: z
    .array(z.object({ name: line(120).refine((v) => v.length > 0, 'must not be empty'), description: line(200).default('') }))
    .optional(),
});

export type LetterFile = z.infer<typeof frontMatterSchema> & { body: string };

export class LetterFileError extends Error {}

export function parseLetterFile(source: string): LetterFile {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw new LetterFileError('front matter: the file must start with a --- block of YAML');
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '', { schema: 'core' });
  } catch (error) {
    throw new LetterFileError(`front matter: not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = frontMatterSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'front matter'}: ${i.message}`);
    throw new LetterFileError(problems.join('; '));
  }
  const body = (match[2] ?? '').trim();
  if (!body) throw new LetterFileError('body: the letter has no text after the front matter');
  return { ...parsed.data, body };
}
