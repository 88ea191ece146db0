// Confirmation mail never waits behind an update: the outbox worker takes update mail only when
// nothing else is due, and at most UPDATES_PER_SECOND of it a second, so a signer who signs in
// the middle of a large update gets their link before the update's remainder goes out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { signedInOrganizer } from '../helpers/organizer.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { confirmAndSend, seedSigners, updateRow, writeUpdate } from '../helpers/updates.js';

const RECIPIENTS = 100;
const PER_SECOND = 20;

let smtp: SmtpSink;
let t: TestApp;

beforeEach(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url, UPDATES_PER_SECOND: String(PER_SECOND), OUTBOX_POLL_MS: '50' });
});

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

describe('mail priority', () => {
  it('delivers a confirmation queued during a large update before the update’s remainder, at UPDATES_PER_SECOND', async () => {
    const letter = await seedLetter(t.app, { collective: 'artists-united' });
    const emails = Array.from({ length: RECIPIENTS }, (_, i) => `reader${i}@example.org`);
    await seedSigners(t, letter.id, emails);
    const { browser } = await signedInOrganizer(t, { email: 'owner@example.org', collective: 'artists-united' });
    const id = await writeUpdate(browser, letter.id, { subject: 'Big news', body: 'For everyone.' });
    expect(await confirmAndSend(browser, letter.id, id)).toBe(RECIPIENTS);
    const updates = () => smtp.messages.filter((m) => m.subject === 'Big news');

    await expect.poll(() => updates().length, { timeout: 15_000, interval: 20 }).toBeGreaterThanOrEqual(10);
    const signedAt = Date.now();
    expect((await signViaApi(t, 'fair-pay', { name: 'Late Comer', email: 'late@example.org' })).statusCode).toBe(202);
    const confirmation = await smtp.waitFor('late@example.org', /Confirm your signature/, 15_000);
    const updatesBefore = updates().filter((m) => m.at <= confirmation.at).length;
    process.stdout.write(
      `priority: confirmation delivered ${confirmation.at - signedAt} ms after signing, with ${updatesBefore} of ${RECIPIENTS} update mails out\n`,
    );
    expect(updatesBefore).toBeLessThan(RECIPIENTS);
    // Behind it at most the sends already in flight and this second's budget, never the remainder.
    expect(confirmation.at - signedAt).toBeLessThan(3000);

    await expect.poll(() => updates().length, { timeout: 30_000, interval: 50 }).toBe(RECIPIENTS);
    const arrivals = updates().map((m) => m.at);
    // The budget is counted in one-second windows, each opened by the first send after the last
    // one closed, so 100 mails at 20 a second need five of them and the last leaves at least four
    // seconds after the first. Arrivals, not sends, are what the SMTP server sees, and the first
    // mails wait for the pool's connections: allow a second of that.
    const windows = Math.ceil(RECIPIENTS / PER_SECOND);
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual((windows - 2) * 1000);
    expect(new Set(updates().map((m) => m.to)).size).toBe(RECIPIENTS);
    await expect.poll(async () => (await updateRow(t, id))?.status, { timeout: 5_000 }).toBe('sent');
  }, 60_000);
});
