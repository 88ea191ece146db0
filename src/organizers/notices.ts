// One-line confirmations after a change (post/redirect/get): the redirect carries a code, never
// text, so nobody can make our pages say something by crafting a link.
import { z } from 'zod';
import { currentTranslator } from '../i18n/context.js';

// Each code and the catalogue message it shows, in the reader's language.
const MESSAGES = {
  created: 'organizers.notice.created',
  saved: 'organizers.notice.saved',
  new_version: 'organizers.notice.new_version',
  published: 'organizers.notice.published',
  closed: 'organizers.notice.closed',
  reopened: 'organizers.notice.reopened',
  notable_added: 'organizers.notice.notable_added',
  notable_promoted: 'organizers.notice.notable_promoted',
  notable_updated: 'organizers.notice.notable_updated',
  notable_removed: 'organizers.notice.notable_removed',
  notable_moved: 'organizers.notice.notable_moved',
  moderated: 'organizers.notice.moderated',
  nothing_changed: 'organizers.notice.nothing_changed',
  nothing_selected: 'organizers.notice.nothing_selected',
  erased: 'organizers.notice.erased',
  erased_counted: 'organizers.notice.erased_counted',
  invited: 'organizers.notice.invited',
  role_changed: 'organizers.notice.role_changed',
  member_removed: 'organizers.notice.member_removed',
  invite_revoked: 'organizers.notice.invite_revoked',
  signed_in: 'organizers.notice.signed_in',
  signed_out: 'organizers.notice.signed_out',
  joined: 'organizers.notice.joined',
  update_saved: 'organizers.notice.update_saved',
  update_test_sent: 'organizers.notice.update_test_sent',
  update_sending: 'organizers.notice.update_sending',
  digest_saved: 'organizers.notice.digest_saved',
  language_saved: 'organizers.notice.language_saved',
} as const;

export type NoticeCode = keyof typeof MESSAGES;

/**
 * The query string of a page that shows notices (extend it with the page's own fields). A value
 * we did not write is dropped, never refused: the page shows without the notice.
 */
export const noticeQuery = z.object({
  notice: z
    .enum(Object.keys(MESSAGES) as [NoticeCode, ...NoticeCode[]])
    .optional()
    .catch(undefined),
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
    return { text: currentTranslator().t(MESSAGES.moderated, { action, count: n }), kind: 'ok' };
  }
  return { text: currentTranslator().t(MESSAGES[notice]), kind: WARNINGS.has(notice) ? 'warn' : 'ok' };
}

export function withNotice(path: string, notice: NoticeCode, extra: Record<string, string | number> = {}): string {
  const url = new URL(path, 'http://local');
  // `select=all` only pre-ticks boxes; after acting on them it must not tick the next page.
  for (const key of ['notice', 'n', 'action', 'select']) url.searchParams.delete(key);
  url.searchParams.set('notice', notice);
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, String(value));
  return `${url.pathname}${url.search}`;
}
