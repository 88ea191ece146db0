// One-line confirmations after a change (post/redirect/get): the redirect carries a code, never
// text, so nobody can make our pages say something by crafting a link.
import { z } from 'zod';

const MESSAGES = {
  created: 'Letter created as a draft. Preview it, then publish it when it is ready.',
  saved: 'Changes saved.',
  new_version: 'Changes saved as a new version. Earlier signatures stay with the text their signers read.',
  published: 'The letter is published and open for signing.',
  closed: 'Signing is closed. The letter stays online with its signatures.',
  reopened: 'The letter is open for signing again.',
  notable_added: 'Name added to the notable signatories.',
  notable_promoted: 'Signature promoted to the notable signatories.',
  notable_updated: 'Entry updated.',
  notable_removed: 'Entry removed from the notable signatories.',
  notable_moved: 'Order updated.',
  moderated: '', // built from the action and count below
  nothing_changed: 'Nothing changed: the selected signatures were already in that state.',
  nothing_selected: 'Select at least one signature, then choose what to do with it.',
  erased: 'The signer’s personal data was erased.',
  erased_counted: 'The signer’s personal data was erased. Their signature no longer counts, and the public log records it as withdrawn.',
  invited: 'Invitation sent.',
  role_changed: 'Role changed.',
  member_removed: 'Member removed from the collective.',
  invite_revoked: 'Invitation revoked. Its link no longer works.',
  signed_in: 'Welcome. You are signed in.',
  signed_out: 'You are signed out.',
  joined: 'You have joined the collective.',
  update_saved: 'Update saved as a draft. Nobody receives it until you send it.',
  update_test_sent: 'Update saved, and a test is on its way to your own address only.',
  update_sending: 'Sending. The mail goes out in the background; this page shows how far it has got.',
  digest_saved: 'Mail settings saved.',
} as const;

export type NoticeCode = keyof typeof MESSAGES;

const DONE: Record<string, string> = {
  approve: 'Approved',
  reject: 'Rejected as duplicates:',
  hide: 'Hidden from the public list (still counted):',
  unhide: 'Shown again on the public list:',
  fraudulent: 'Removed as fraudulent:',
};

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

/** The confirmation to show for a page's query string (parsed by noticeQuery), if any. */
export function noticeFrom({ notice, n, action }: NoticeQuery): Notice | null {
  if (!notice) return null;
  if (notice === 'moderated') {
    if (!action || n === undefined) return null;
    return { text: `${DONE[action]} ${n} ${n === 1 ? 'signature' : 'signatures'}.`, kind: 'ok' };
  }
  return { text: MESSAGES[notice], kind: WARNINGS.has(notice) ? 'warn' : 'ok' };
}

export function withNotice(path: string, notice: NoticeCode, extra: Record<string, string | number> = {}): string {
  const url = new URL(path, 'http://local');
  // `select=all` only pre-ticks boxes; after acting on them it must not tick the next page.
  for (const key of ['notice', 'n', 'action', 'select']) url.searchParams.delete(key);
  url.searchParams.set('notice', notice);
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, String(value));
  return `${url.pathname}${url.search}`;
}
