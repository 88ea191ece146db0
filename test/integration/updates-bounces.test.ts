// A permanent refusal of an address (SMTP 5xx at RCPT TO or DATA) stops updates to it and is
// not retried; a 5xx for the session (the relay refusing us at MAIL FROM) and temporary failures
// (4xx) say nothing about the address: the mail is retried and nobody is marked undeliverable.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { signedInOrganizer } from '../helpers/organizer.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { confirmAndSend, deliverUpdate, seedSigners, updateRow, writeUpdate } from '../helpers/updates.js';

let smtp: SmtpSink;
let t: TestApp;
let letterId: number;

beforeEach(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url, UPDATES_PER_SECOND: '1000' }, { startBackground: false });
  letterId = (await seedLetter(t.app, { collective: 'artists-united' })).id;
  await seedSigners(t, letterId, ['ada@example.org', 'bounce@example.org']);
});

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

async function sendUpdate(subject: string): Promise<number> {
  const { browser } = await signedInOrganizer(t, { email: `owner-${subject.length}@example.org`, collective: 'artists-united' });
  const id = await writeUpdate(browser, letterId, { subject, body: 'News.' });
  await confirmAndSend(browser, letterId, id);
  return id;
}

const outboxOf = (email: string) =>
  t.sql<{ kind: string; status: string; attempts: number; lastError: string | null }>(
    'SELECT kind, status, attempts, last_error AS "lastError" FROM outbox WHERE "to" = ? ORDER BY id',
    email,
  );

describe('bounces', () => {
  it('a 5xx for the recipient marks the address undeliverable: not retried, no further updates', async () => {
    smtp.refusedRecipients.add('bounce@example.org');
    const first = await sendUpdate('First news');
    await deliverUpdate(t, first);
    expect(smtp.messages.map((m) => m.to)).toEqual(['ada@example.org']);
    expect(await outboxOf('bounce@example.org')).toEqual([
      { kind: 'update', status: 'dead', attempts: 1, lastError: expect.stringMatching(/550/) },
    ]);
    expect(await t.sql('SELECT email_key, reason FROM email_suppressions')).toEqual([
      { email_key: 'bounce@example.org', reason: expect.stringMatching(/550 5\.1\.1 No such mailbox/) },
    ]);
    expect(await updateRow(t, first)).toEqual({ status: 'sent', total: 2, queued: 2, sent: 1, unsent: 1 });

    // Even if the mailbox came back, no update goes to it any more.
    smtp.refusedRecipients.clear();
    expect(await t.app.services.updates.recipientCount(letterId)).toBe(1);
    const second = await sendUpdate('Second news');
    await deliverUpdate(t, second);
    expect(smtp.for('bounce@example.org')).toEqual([]);
    expect(await outboxOf('bounce@example.org')).toHaveLength(1);
    expect(await updateRow(t, second)).toEqual({ status: 'sent', total: 1, queued: 1, sent: 1, unsent: 0 });
  });

  it('a 5xx for the session (the relay refusing our sender) suppresses nobody, and the mail is retried', async () => {
    smtp.refuseSender = true;
    const id = await sendUpdate('News');
    await t.app.services.updates.fanOut();
    await t.app.services.mail.worker.flush();
    expect(smtp.messages).toEqual([]);
    for (const email of ['ada@example.org', 'bounce@example.org']) {
      expect(await outboxOf(email)).toEqual([{ kind: 'update', status: 'pending', attempts: 1, lastError: expect.stringMatching(/550/) }]);
    }
    expect(await t.one('SELECT count(*) AS n FROM email_suppressions')).toBe(0);

    smtp.refuseSender = false;
    t.clock.advance(60_000);
    await deliverUpdate(t, id);
    expect(smtp.messages.map((m) => m.to).sort()).toEqual(['ada@example.org', 'bounce@example.org']);
    expect(await updateRow(t, id)).toMatchObject({ status: 'sent', sent: 2, unsent: 0 });
    expect(await t.one('SELECT count(*) AS n FROM email_suppressions')).toBe(0);
  });

  it('a temporary failure (4xx) is retried with backoff and suppresses nobody', async () => {
    smtp.deferredRecipients.add('bounce@example.org');
    const id = await sendUpdate('News');
    await t.app.services.updates.fanOut();
    await t.app.services.mail.worker.flush();
    expect(await outboxOf('bounce@example.org')).toEqual([
      { kind: 'update', status: 'pending', attempts: 1, lastError: expect.stringMatching(/450/) },
    ]);
    // Not due again before its backoff.
    await t.app.services.mail.worker.flush();
    expect((await outboxOf('bounce@example.org'))[0]?.attempts).toBe(1);
    smtp.deferredRecipients.clear();
    t.clock.advance(10_000);
    await deliverUpdate(t, id);
    expect(smtp.for('bounce@example.org')).toHaveLength(1);
    expect(await t.one('SELECT count(*) AS n FROM email_suppressions')).toBe(0);
  });

  it('a confirmation mail refused for its recipient is not retried either', async () => {
    smtp.refusedRecipients.add('nobody@example.org');
    expect((await signViaApi(t, 'fair-pay', { name: 'No Body', email: 'nobody@example.org', updates: true })).statusCode).toBe(202);
    await t.app.services.mail.worker.flush();
    t.clock.advance(3_600_000);
    await t.app.services.mail.worker.flush();
    expect(await outboxOf('nobody@example.org')).toEqual([
      { kind: 'verify', status: 'dead', attempts: 1, lastError: expect.stringMatching(/550/) },
    ]);
    expect(await t.one('SELECT count(*) AS n FROM email_suppressions WHERE email_key = ?', 'nobody@example.org')).toBe(1);
  });
});
