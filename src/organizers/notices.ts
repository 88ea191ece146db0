// One-line confirmations after a change (post/redirect/get): the redirect carries a code, never
// text, so nobody can make our pages say something by crafting a link.
import { z } from 'zod';
import { currentTranslator } from '../i18n/context.js';

// Each code's text is the catalogue message `organizers.notice.<code>`, in the reader's language.
const CODES = [
  'created',
  'saved',
  'new_version',
  'published',
  'closed',
  'reopened',
  'notable_added',
  'notable_promoted',
  'notable_updated',
  'notable_removed',
  'notable_moved',
  'moderated', // built from the action and count below
  'nothing_changed',
  'nothing_selected',
  'erased',
  'erased_counted',
  'invited',
  'role_changed',
  'member_removed',
  'invite_revoked',
  'signed_in',
  'signed_out',
  'joined',
  'update_saved',
  'update_test_sent',
  'update_sending',
  'digest_saved',
  'language_saved',
] as const;

export type NoticeCode = (typeof CODES)[number];

/**
 * The query string of a page that shows notices (extend it with the page's own fields). A value
 * we did not write is dropped, never refused: the page shows without the notice.
 */
export const noticeQuery = z.object({
  notice: z.enum(CODES).optional().catch(undefined),
  n: z.coerce.number().int().min(0).max(1_000_000).optional().catch(undefined),
  action: z.enum(['approve', 'reject', 'hide', 'unhide', 'fraudulent']).optional().catch(undefined),
});

export type NoticeQuery = z.output<typeof noticeQuery>;

/** Codes that report something that did not happen, shown as a warning. */
const WARNINGS = new Set<NoticeCode>(['nothing_changed', 'nothing_selected']);

export interface Notice {
  text: string;
  kind: 'ok' | 'warn';
}

/** The confirmation to show for a page's query string (parsed by noticeQuery), if any, in the page's language. */
export function noticeFrom({ notice, n, action }: NoticeQuery): Notice | null {
  if (!notice) return null;
  if (notice === 'moderated') {
    if (!action || n === undefined) return null;
    return { text: currentTranslator().t('organizers.notice.moderated', { action, count: n }), kind: 'ok' };
  }
  return { text: currentTranslator().t(`organizers.notice.${notice}`), kind: WARNINGS.has(notice) ? 'warn' : 'ok' };
}

export function withNotice(path: string, notice: NoticeCode, extra: Record<string, string | number> = {}): string {
  const url = new URL(path, 'http://local');
  // `select=all` only pre-ticks boxes; after acting on them it must not tick the next page.
  for (const key of ['notice', 'n', 'action', 'select']) url.searchParams.delete(key);
  url.searchParams.set('notice', notice);
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, String(value));
  return `${url.pathname}${url.search}`;
}
