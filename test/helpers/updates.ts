// Updates to signers in tests: signers seeded with or without consent, an organizer writing and
// sending an update through the real pages, and the fan-out and delivery driven to the end.
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import type { Browser } from './organizer.js';
import { addConfirmed } from './signers.js';

/** Confirmed signers (counted) who ticked the updates box, or not; returns their ids by email. */
export async function seedSigners(
  t: TestApp,
  letterId: number,
  emails: string[],
  options: { updates: boolean } = { updates: true },
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const email of emails) {
    const name = `Signer ${email.split('@')[0]}`;
    const signature = await addConfirmed(t, letterId, name, t.clock.now(), { email, updates: options.updates });
    ids.set(email, signature.id);
  }
  return ids;
}

/** Writes an update through the compose page; returns its id (from where the page sent us). */
export async function writeUpdate(
  browser: Browser,
  letterId: number,
  fields: { subject: string; body: string; signers_only?: string },
  intent: 'save' | 'review' | 'test' = 'save',
): Promise<number> {
  await browser.get(`/organize/letters/${letterId}/updates`);
  const res = await browser.post(`/organize/letters/${letterId}/updates`, { ...fields, intent });
  expect(res.statusCode, res.body).toBe(303);
  const id = /\/updates\/(\d+)/.exec(String(res.headers.location))?.[1];
  if (!id) throw new Error(`no update id in ${String(res.headers.location)}`);
  return Number(id);
}

/** The confirmation step, then the send; returns the recipient count the page announced. */
export async function confirmAndSend(browser: Browser, letterId: number, updateId: number): Promise<number> {
  const review = await browser.get(`/organize/letters/${letterId}/updates/${updateId}/review`);
  expect(review.statusCode).toBe(200);
  const announced = /Send to ([\d,]+) (?:person|people)/.exec(review.body)?.[1];
  if (!announced) throw new Error('the review page names no number of recipients');
  const sent = await browser.post(`/organize/letters/${letterId}/updates/${updateId}/send`);
  expect(sent.statusCode).toBe(303);
  return Number(announced.replace(/,/g, ''));
}

/** Queues every batch and delivers every mail, in this process, until the update is sent (bounded). */
export async function deliverUpdate(t: TestApp, updateId: number): Promise<void> {
  for (let round = 0; round < 200; round++) {
    await t.app.services.updates.fanOut();
    await t.app.services.mail.worker.flush();
    const status = await t.one<string>('SELECT status FROM letter_updates WHERE id = ?', updateId);
    if (status === 'sent') return;
  }
  throw new Error(`update ${updateId} was not sent after 200 rounds`);
}

export function updateRow(t: TestApp, updateId: number) {
  return t
    .sql<{ status: string; total: number; queued: number; sent: number; unsent: number }>(
      `SELECT status, recipient_total AS total, queued_count AS queued, sent_count AS sent, unsent_count AS unsent
         FROM letter_updates WHERE id = ?`,
      updateId,
    )
    .then((rows) => rows[0]);
}
