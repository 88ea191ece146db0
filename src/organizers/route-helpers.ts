// Small pieces every organizer route uses: ids from the URL, the signed-in organizer, safe
// return addresses.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFound } from '../errors.js';
import type { SignedInOrganizer } from './organizer-repo.js';

const positiveId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A numeric id from the path; anything else is a page that does not exist. */
export function idParam(request: FastifyRequest, key = 'id'): number {
  const parsed = positiveId.safeParse((request.params as Record<string, unknown>)[key]);
  if (!parsed.success) throw new NotFound();
  return parsed.data;
}

export function slugParam(request: FastifyRequest): string {
  const slug = (request.params as { slug?: unknown }).slug;
  if (typeof slug !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) || slug.length > 100) throw new NotFound();
  return slug;
}

/** The organizer of a request that passed the area's session check. */
export function signedIn(request: FastifyRequest): SignedInOrganizer {
  if (!request.organizer) throw new Error('organizer route reached without a session');
  return request.organizer;
}

/** Only our own organizer pages are valid places to return to (no open redirect). */
export function safeReturn(target: unknown, fallback: string, prefix = '/organize'): string {
  if (typeof target !== 'string' || target.length > 1000) return fallback;
  if (!target.startsWith(prefix) || /[\\\s]|\/\//.test(target)) return fallback;
  const rest = target.slice(prefix.length);
  return rest === '' || rest.startsWith('/') || rest.startsWith('?') ? target : fallback;
}

/** A string query parameter, or '' (repeated or odd values are ignored). */
export function queryText(request: FastifyRequest, key: string, max = 200): string {
  const value = (request.query as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value.slice(0, max) : '';
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** Data every organizer page passes to its view. */
export const PAGE_DEFAULTS = {
  nav: 'organize',
  noindex: true,
  /** "3 Jun 2026, 14:05 UTC": moderation and audit need the hour, not only the day. */
  dateTime: (d: Date | null) => (d ? `${dateTimeFormat.format(d)} UTC` : ''),
} as const;
