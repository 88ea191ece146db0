// Small pieces every organizer route uses: the signed-in organizer, safe return addresses, and
// what every page passes to its view.
import type { FastifyRequest } from 'fastify';
import { currentTranslator } from '../i18n/context.js';
import type { SignedInOrganizer } from './auth-service.js';

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

/** Data every organizer page passes to its view. */
export const PAGE_DEFAULTS = {
  nav: 'organize',
  noindex: true,
  /** "3 Jun 2026, 14:05 UTC" in the page's language: moderation and audit need the hour, not only the day. */
  dateTime: (d: Date | null) => (d ? currentTranslator().dateTime(d) : ''),
} as const;
