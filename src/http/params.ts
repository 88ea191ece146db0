// The parameters routes share, as zod schemas for Fastify's schema option: one rule per kind of
// value. A path parameter that fails its schema is a page that does not exist (404, see
// plugins/errors.ts), never a 400 or a 500.
import { z } from 'zod';
import { isSlug } from '../domain/slug.js';

export const slug = z.string().refine(isSlug, 'not a letter address');

/** /letters/:slug and its kin. */
export const slugParams = z.object({ slug });

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** /organize/letters/:id and its kin. */
export const idParams = z.object({ id });

/** Numeric ids named in a path, e.g. ids('id', 'notableId') for /letters/:id/notables/:notableId. */
export function ids<K extends string>(...names: K[]) {
  return z.object(Object.fromEntries(names.map((name) => [name, id])) as Record<K, typeof id>);
}

/** /organize/collectives/:slug and its kin, with the numeric ids that follow. */
export function slugAnd<K extends string>(...names: K[]) {
  return z.object({ slug, ...(Object.fromEntries(names.map((name) => [name, id])) as Record<K, typeof id>) });
}

/**
 * A text parameter of a page's query string, cut to max. Absent, repeated or odd values read as
 * '': a page shows itself without them rather than refusing its address.
 */
export function queryText(max: number) {
  return z
    .string()
    .transform((value) => value.slice(0, max))
    .catch('');
}

/**
 * /verify/:token and its kin. Any string up to a bound: a link that is not one of ours gets the
 * friendly "we do not recognise this link" page from its handler, not a bare 404.
 */
export const tokenParams = z.object({ token: z.string().max(200) });
