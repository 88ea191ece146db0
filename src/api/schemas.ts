// The press API's contract as zod schemas. Routes validate and serialize with them, and
// /api/v1/openapi.json is generated from them, so the document cannot drift from the code.
import { z } from 'zod';
import { LETTER_STATUSES } from '../db/vocabulary.js';
import { slug } from '../http/params.js';
import { LOCALES } from '../i18n/locales.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

const timestamp = (description: string) => z.iso.datetime().describe(`${description} ISO 8601, UTC.`);
const nullableTimestamp = (description: string) => timestamp(description).nullable();

// ---- requests ----------------------------------------------------------------------------------

export const slugParams = z.object({ slug: slug.describe('The letter, as in its page address /letters/{slug}.') });

const cursor = z
  .string()
  .min(1)
  .max(300)
  .optional()
  .describe('Opaque: the `next_cursor` of the previous page. Omit it for the first page.');

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).describe(`Items per page, 1 to ${MAX_PAGE_SIZE}.`),
  cursor,
});

export const signaturesQuery = pageQuery.extend({
  q: z
    .string()
    .max(100)
    .optional()
    .describe(
      'Only names with a word starting with each word of `q`, ignoring case and accents (`amelie` finds Amélie, `lindqvist ada` finds Dr Ada Lindqvist). Cursors are per search: keep `q` while paging.',
    ),
});

export const letterQuery = z.object({
  lang: z
    .enum(LOCALES, { error: `lang must be one of ${LOCALES.join(', ')}.` })
    .optional()
    .describe(
      'The language of the text fields (title, summary, addressee, body) when the letter has a translation into it; otherwise they are in the letter’s own language. `text_language` says which. Accept-Language is not read: the answer depends on this parameter alone.',
    ),
});

export const INTERVALS = ['hour', 'day'] as const;
export type Interval = (typeof INTERVALS)[number];

export const timeseriesQuery = z.object({
  interval: z.enum(INTERVALS).default('day').describe('Bucket size: UTC hours or UTC days.'),
});

// ---- responses ---------------------------------------------------------------------------------

export const apiError = z
  .object({
    error: z.object({
      code: z.string().describe('Stable, machine-readable: not_found, bad_request, bad_cursor, validation_failed, …'),
      message: z.string().describe('For people; may change.'),
      fields: z.record(z.string(), z.string()).optional().describe('Per-field messages, on 422 only.'),
    }),
  })
  .meta({ id: 'Error', description: 'Every error, with a 4xx or 5xx status.' });

const status = z.enum(LETTER_STATUSES).exclude(['draft']).describe('`published` (taking signatures) or `closed`.');
const count = z.number().int().min(0).describe('Confirmed signatures that count, after withdrawals and moderation.');
const goal = z.number().int().positive().nullable().describe('The target the organizers set, if any.');
const url = z.url().describe('The letter page.');

export const letterSummary = z
  .object({
    slug: z.string(),
    title: z.string(),
    status,
    signature_count: count,
    goal,
    url,
    published_at: nullableTimestamp('When the letter was published.'),
    closes_at: nullableTimestamp('When it stops taking signatures, if a deadline is set.'),
    updated_at: timestamp('Last public change, counts included.'),
  })
  .meta({ id: 'LetterSummary' });

export const letterList = z
  .object({
    data: z.array(letterSummary).describe('Newest first by publication date.'),
    next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
  })
  .meta({ id: 'LetterList' });

export const notableSignatory = z
  .object({
    name: z.string(),
    description: z.string().describe('Who they are, in the organizers’ words; may be empty.'),
    verified: z.boolean().describe('True when the person signed and confirmed by email; false when added by the organizers.'),
  })
  .meta({ id: 'NotableSignatory' });

export const logInfo = z
  .object({
    origin: z.string().describe('The log’s origin, the first line of its checkpoints: `<host>/letters/<slug>`.'),
    verifier_key: z
      .string()
      .describe(
        'The key that signs every checkpoint, as a signed-note verifier key `<name>+<hex key id>+<base64(0x01 ‖ Ed25519 public key)>`.',
      ),
    checkpoint_url: z
      .url()
      .describe('The latest signed checkpoint (C2SP tlog-checkpoint); tiles and entry bundles are beside it under `tile/`.'),
    size: z.number().int().min(0).describe('Entries in the log at its latest checkpoint.'),
  })
  .meta({
    id: 'SignatureLog',
    description:
      'The letter’s public, append-only log of confirmations, withdrawals and removals (C2SP tlog-tiles), from which anyone can recompute the count.',
  });

const languageCode = z.enum(LOCALES).describe(`A language code: ${LOCALES.join(', ')}.`);

export const letterLanguage = z
  .object({
    code: languageCode,
    translates_version: z
      .number()
      .int()
      .positive()
      .describe(
        'The version of the letter’s text this language’s text was made from (for the letter’s own language, its current version).',
      ),
    current: z.boolean().describe('False when the letter’s text changed after this translation was made.'),
  })
  .meta({ id: 'LetterLanguage' });

export const letterDetail = z
  .object({
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    addressee: z.string().describe('To whom the letter is addressed; may be empty.'),
    body: z.string().describe('The text of the letter, in Markdown, as its organizers wrote it.'),
    text_language: languageCode.describe('The language of title, summary, addressee and body (see `?lang`).'),
    language: languageCode.describe('The language the letter is written in.'),
    version: z
      .number()
      .int()
      .positive()
      .describe('The current version of the letter’s text (a published letter whose words change gets a new one).'),
    languages: z
      .array(letterLanguage)
      .describe('Languages the letter can be read in: its own first, then its translations. Counts are the same whatever the language.'),
    status,
    collective: z.object({ slug: z.string(), name: z.string() }).describe('Who wrote the letter.'),
    signature_count: count,
    goal,
    published_at: nullableTimestamp('When the letter was published.'),
    closes_at: nullableTimestamp('When it stops taking signatures, if a deadline is set.'),
    updated_at: timestamp('Last public change, counts included.'),
    url,
    milestones: z
      .array(
        z.object({
          count: z.number().int().positive().describe('A number of signatures.'),
          text: z.string().describe('What happens when the letter reaches it, in the organizers’ words; may be empty.'),
          reached: z.boolean().describe('True once `signature_count` is at least `count`.'),
        }),
      )
      .describe('Counts the organizers announced on the way, smallest first; empty when they set none.'),
    notable_signatories: z.array(notableSignatory).describe('In the order the organizers chose.'),
    signatures_by_country: z
      .record(z.string().regex(/^[A-Z]{2}$/), z.number().int().positive())
      .describe('ISO 3166-1 alpha-2 code → counted signatures, largest first. Signers may leave the country out.'),
    log: logInfo,
  })
  .meta({ id: 'Letter' });

export const letterCount = z
  .object({
    slug: z.string(),
    signature_count: count,
    updated_at: timestamp('Last public change, counts included.'),
    checkpoint: z
      .object({
        size: z.number().int().min(0).describe('Entries in the log.'),
        count: z.number().int().min(0).describe('Signatures that count when those entries are replayed.'),
      })
      .describe(
        'The latest checkpoint of the letter’s public log. Entries reach it within seconds, so its count can trail `signature_count` briefly; it never runs ahead of it.',
      ),
  })
  .meta({ id: 'Count' });

export const publicSignature = z
  .object({
    name: z.string(),
    title: z.string().nullable().describe('Role or occupation, as the signer gave it.'),
    organisation: z.string().nullable(),
    country: z.string().nullable().describe('ISO 3166-1 alpha-2 code.'),
    signed_at: timestamp('When the signature was confirmed.'),
    log: z
      .object({
        sig: z.string().describe('The signature’s id in the letter’s log: every entry about it carries this `sig`.'),
        salt: z
          .string()
          .describe(
            'base64. The `commit` of its confirm entry is base64(SHA-256(salt ‖ UTF-8 of JSON.stringify([name, title, organisation, country]))), a missing value written as "".',
          ),
      })
      .nullable()
      .describe(
        'How to find and check this signature in the public log (null only until a site upgraded from before the log has run once).',
      ),
  })
  .meta({ id: 'Signature' });

export const signatureList = z
  .object({
    data: z.array(publicSignature).describe('Newest first. Only signers who chose to be listed publicly.'),
    next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
  })
  .meta({ id: 'SignatureList' });

export const timeseries = z
  .object({
    slug: z.string(),
    interval: z.enum(INTERVALS),
    signature_count: count,
    updated_at: timestamp('Last public change, counts included.'),
    buckets: z
      .array(
        z.object({
          start: timestamp('Start of the bucket.'),
          count: z.number().int().describe('Net confirmed signatures in the bucket (by confirmation time).'),
          cumulative: z.number().int().min(0).describe('Running total up to the end of the bucket.'),
        }),
      )
      .describe('Oldest first. Buckets without signatures are left out.'),
  })
  .meta({ id: 'Timeseries' });

export const signatureAccepted = z
  .object({
    status: z.literal('pending_verification'),
    suggestion: z
      .string()
      .optional()
      .describe(
        'Present when the email’s domain looks mistyped (`lena@gmial.com`): the address probably meant (`lena@gmail.com`). ' +
          'The signature was still taken as sent; to use the suggestion, sign again with it.',
      ),
  })
  .meta({ id: 'SignatureAccepted', description: 'The same answer for a new, repeated or already counted address.' });

export type LetterSummaryDto = z.output<typeof letterSummary>;
export type LetterDetailDto = z.output<typeof letterDetail>;
export type LogInfoDto = z.output<typeof logInfo>;
export type LetterCountDto = z.output<typeof letterCount>;
export type PublicSignatureDto = z.output<typeof publicSignature>;
export type TimeseriesDto = z.output<typeof timeseries>;
