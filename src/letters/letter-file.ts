// Letters as Markdown files with YAML front matter (`npm run cli -- import-letter PATH.md`),
// and their translations: a `translations` map in the front matter, or files SLUG.xx.md beside
// SLUG.md. Parsing is pure; a bad field is reported by name (and file) and nothing is written.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LETTER_STATUSES } from '../db/vocabulary.js';
import { MILESTONE_COUNT_MAX, MILESTONE_TEXT_MAX, MILESTONES_MAX, milestonesProblem } from '../domain/milestones.js';
import { isSlug, SLUG_MAX } from '../domain/slug.js';
import { cleanLine } from '../domain/text.js';
import { LOCALES, type Locale } from '../i18n/locales.js';

const slug = z.string().refine(isSlug, `must be lower-case letters, digits and single hyphens, at most ${SLUG_MAX}`);
const line = (max: number) => z.string().max(max).transform(cleanLine);
const LANGUAGE_MESSAGE = `must be one of the site's languages: ${LOCALES.join(', ')}`;
const language = z.enum(LOCALES, { error: LANGUAGE_MESSAGE });
const title = line(200).refine((v) => v.length > 0, 'must not be empty');
const body = z
  .string({ error: 'must be Markdown text' })
  .transform((v) => v.replace(/\r\n?/g, '\n').trim())
  .refine((v) => v.length > 0, 'must not be empty');

/** A translation's words (in the front matter's map, or a SLUG.xx.md file's front matter). */
const translationText = {
  title,
  summary: line(500).default(''),
  addressee: line(200).default(''),
};
const translationSchema = z.object({ ...translationText, body }).strict();
const translationFrontMatter = z.object(translationText).strict();

export interface LetterFileTranslation {
  language: Locale;
  title: string;
  summary: string;
  addressee: string;
  body: string;
}

const frontMatterSchema = z.object({
  slug,
  title,
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
  /** The language the letter is written in. */
  language: language.default('en'),
  translations: z
    .record(z.string(), translationSchema)
    .optional()
    .superRefine((map, ctx) => {
      for (const code of Object.keys(map ?? {})) {
        if (!(LOCALES as readonly string[]).includes(code))
          ctx.addIssue({ code: 'custom', path: [code], message: `is not a language: ${LANGUAGE_MESSAGE}` });
      }
    }),
});

export type LetterFile = Omit<z.infer<typeof frontMatterSchema>, 'translations'> & {
  body: string;
  translations: LetterFileTranslation[];
};

export class LetterFileError extends Error {}

/** The front matter (as YAML data) and the Markdown after it. */
function split(source: string): { data: unknown; body: string } {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw new LetterFileError('front matter: the file must start with a --- block of YAML');
  try {
    return { data: parseYaml(match[1] ?? '', { schema: 'core' }) ?? {}, body: (match[2] ?? '').trim() };
  } catch (error) {
    throw new LetterFileError(`front matter: not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
}

function problems(error: z.ZodError): LetterFileError {
  return new LetterFileError(error.issues.map((i) => `${i.path.join('.') || 'front matter'}: ${i.message}`).join('; '));
}

export function parseLetterFile(source: string): LetterFile {
  const { data, body } = split(source);
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) throw problems(parsed.error);
  if (!body) throw new LetterFileError('body: the letter has no text after the front matter');
  const { translations: map, ...fields } = parsed.data;
  const translations = Object.entries(map ?? {}).map(([code, t]) => ({ language: code as Locale, ...t }));
  if (translations.some((t) => t.language === fields.language)) {
    throw new LetterFileError(`translations.${fields.language}: the letter itself is in this language (language: ${fields.language})`);
  }
  return { ...fields, body, translations };
}

/** The language a file beside the letter translates into: `fair-pay.fr.md` beside `fair-pay.md`. */
export function translationFileLanguage(letterFileName: string, name: string): string | null {
  const stem = letterFileName.replace(/\.md$/i, '');
  if (name === letterFileName || !name.startsWith(`${stem}.`) || !/\.md$/i.test(name)) return null;
  const code = name.slice(stem.length + 1, -'.md'.length);
  return code !== '' && !code.includes('.') ? code : null;
}

/**
 * A translation file's words: front matter with its title (and summary, addressee), then the
 * Markdown body. `language` comes from the file's name; a code that is not one of the site's
 * languages is refused.
 */
export function parseTranslationFile(language: string, source: string): LetterFileTranslation {
  const code = z.enum(LOCALES).safeParse(language);
  if (!code.success) throw new LetterFileError(`language "${language}" in the file's name ${LANGUAGE_MESSAGE}`);
  const { data, body } = split(source);
  const parsed = translationFrontMatter.safeParse(data);
  if (!parsed.success) throw problems(parsed.error);
  if (!body) throw new LetterFileError('body: the translation has no text after the front matter');
  return { language: code.data, ...parsed.data, body };
}

/** Adds translation files' translations to a letter's; the same language twice, or the letter's own, is refused. */
export function withTranslations(file: LetterFile, extra: LetterFileTranslation[]): LetterFile {
  const all = [...file.translations];
  for (const t of extra) {
    if (t.language === file.language) {
      throw new LetterFileError(`the letter itself is in this language (language: ${file.language}); a translation into it makes no sense`);
    }
    if (all.some((other) => other.language === t.language)) {
      throw new LetterFileError(`a translation into "${t.language}" is also in the letter's front matter: keep one`);
    }
    all.push(t);
  }
  return { ...file, translations: all };
}
