// Updates to signers, end to end over a real SMTP server: written and sent by an organizer, each
// recipient mailed once with the one-click unsubscribe headers, nobody else mailed, progress and
// audit recorded, the public ones on the letter's page and in its feed, and the command line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsubscribeTokens } from '../../src/domain/unsubscribe-token.js';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { signedInOrganizer } from '../helpers/organizer.js';
import { addConfirmed, latestLinks, moderate, signAndConfirm } from '../helpers/signers.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { confirmAndSend, deliverUpdate, seedSigners, updateRow, writeUpdate } from '../helpers/updates.js';

let smtp: SmtpSink;
let t: TestApp;
let letterId: number;

beforeEach(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url, UPDATES_PER_SECOND: '1000', SPIKE_GUARD: 'off' }, { startBackground: false });
  letterId = (await seedLetter(t.app, { collective: 'artists-united' })).id;
});

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

const ELIGIBLE = ['ada@example.org', 'grace@example.org', 'mary@example.org'];

/** Signers of every kind that must not receive an update, each made through the app. */
async function seedIneligible() {
  await seedSigners(t, letterId, ['nobox@example.org'], { updates: false });
  const [unsubscribed, rejected, fraudulent] = [
    ...(await seedSigners(t, letterId, ['gone@example.org', 'rejected@example.org', 'fraud@example.org'])).values(),
  ];
  const tokens = new UnsubscribeTokens(t.config.SESSION_SECRET);
  expect((await t.app.inject({ method: 'POST', url: `/unsubscribe/${tokens.tokenFor(unsubscribed as number)}` })).statusCode).toBe(200);
  await moderate(t, rejected as number, 'reject');
  await moderate(t, fraudulent as number, 'fraudulent');
  // Withdrawn by their own link, after confirming with the box ticked.
  const withdraw = await signAndConfirm(t, 'fair-pay', { name: 'Wanda Withdrawn', email: 'withdrawn@example.org', updates: true });
  expect((await t.app.inject({ method: 'POST', url: withdraw })).statusCode).toBe(200);
  // Held for review: the same name as a confirmed signer.
  await addConfirmed(t, letterId, 'Helen Held', t.clock.now(), { email: 'helen@example.org', updates: true });
  await signViaApi(t, 'fair-pay', { name: 'Helen Held', email: 'helen2@example.org', updates: true });
  const held = await latestLinks(t, 'helen2@example.org');
  expect((await t.app.inject({ method: 'POST', url: held.verify as string })).body).toContain('Signature received');
  // Never confirmed.
  await signViaApi(t, 'fair-pay', { name: 'Pat Pending', email: 'pending@example.org', updates: true });
}

function updateMails() {
  return smtp.messages.filter((m) => !/Confirm your signature|\[Test\]/.test(m.subject));
}

describe('sending an update', () => {
  it('reaches each consenting, counted, subscribed signer once, with one-click unsubscribe headers', async () => {
    await seedSigners(t, letterId, ELIGIBLE);
    await seedIneligible();
    const { browser } = await signedInOrganizer(t, { email: 'owner@example.org', collective: 'artists-united' });

    const compose = await browser.get(`/organize/letters/${letterId}/updates`);
    expect(compose.statusCode).toBe(200);
    // Helen (the first, counted one) consented too: she is the fourth recipient.
    expect(compose.body).toMatch(/<strong>4<\/strong> people would receive an update sent now/);
    const id = await writeUpdate(browser, letterId, {
      subject: 'We delivered the letter',
      body: 'We handed it to **Example Corp** today. [Read the reply](https://example.org/reply).',
    });
    expect(await confirmAndSend(browser, letterId, id)).toBe(4);
    expect(await updateRow(t, id)).toMatchObject({ status: 'sending', total: 4 });

    await deliverUpdate(t, id);
    const mails = updateMails();
    const recipients = [...ELIGIBLE, 'helen@example.org'].sort();
    expect(mails.map((m) => m.to).sort()).toEqual(recipients);
    const signatureIds = new Map(
      (await t.sql<{ id: number; email: string }>('SELECT id, email FROM signatures')).map((row) => [row.email, row.id]),
    );
    const tokens = new UnsubscribeTokens(t.config.SESSION_SECRET);
    for (const mail of mails) {
      const signatureId = signatureIds.get(mail.to) as number;
      const url = `http://127.0.0.1:3000/unsubscribe/${tokens.tokenFor(signatureId)}`;
      expect(mail.subject).toBe('We delivered the letter');
      expect(mail.headers['list-unsubscribe']).toBe(`<${url}>`);
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(mail.messageId).toBe(`<update-${id}-${signatureId}@undersigned.localhost>`);
      expect(mail.text).toContain(url);
      expect(mail.text).toContain('We handed it to Example Corp today. Read the reply (https://example.org/reply).');
      expect(mail.html).toContain(`href="${url}"`);
      expect(mail.html).toContain('<strong>Example Corp</strong>');
    }

    expect(await updateRow(t, id)).toEqual({ status: 'sent', total: 4, queued: 4, sent: 4, unsent: 0 });
    const progress = await browser.get(`/organize/letters/${letterId}/updates/${id}`);
    expect(progress.body).toMatch(/Sent to <strong>4<\/strong> of <strong>4<\/strong> recipients/);
    const audit = await t.sql<{ action: string; after: string | null }>(
      "SELECT action, after FROM audit_log WHERE action LIKE 'update.%' ORDER BY id",
    );
    expect(audit.map((a) => a.action)).toEqual(['update.create', 'update.send']);
    expect(JSON.parse(String(audit[1]?.after))).toMatchObject({ subject: 'We delivered the letter', recipients: 4 });

    // Running the fan-out and the outbox again mails nobody twice.
    await t.app.services.updates.fanOut();
    await t.app.services.mail.worker.flush();
    expect(updateMails()).toHaveLength(4);
    expect(await t.one('SELECT count(*) AS n FROM outbox WHERE update_id = ?', id)).toBe(4);
  });

  it('mails a test to the organizer alone, marked as a test, and leaves the draft a draft', async () => {
    await seedSigners(t, letterId, ELIGIBLE);
    const { browser } = await signedInOrganizer(t, { email: 'owner@example.org', collective: 'artists-united' });
    const id = await writeUpdate(browser, letterId, { subject: 'Draft news', body: 'Soon.' }, 'test');
    await t.app.services.updates.fanOut();
    await t.app.services.mail.worker.flush();
    expect(smtp.messages.map((m) => [m.to, m.subject])).toEqual([['owner@example.org', '[Test] Draft news']]);
    expect(smtp.messages[0]?.text).toContain('TEST: only you received this');
    expect(smtp.messages[0]?.headers).not.toHaveProperty('list-unsubscribe');
    expect(await updateRow(t, id)).toMatchObject({ status: 'draft', total: null });
    expect(await t.sql("SELECT action FROM audit_log WHERE action LIKE 'update.%' ORDER BY id")).toEqual([
      { action: 'update.create' },
      { action: 'update.test' },
    ]);
  });

  it('is written by editors and owners only, previewed, and sent once', async () => {
    const moderator = await signedInOrganizer(t, { email: 'mod@example.org', collective: 'artists-united', role: 'moderator' });
    expect((await moderator.browser.get(`/organize/letters/${letterId}/updates`)).statusCode).toBe(403);
    const editor = await signedInOrganizer(t, { email: 'ed@example.org', collective: 'artists-united', role: 'editor' });
    await editor.browser.get(`/organize/letters/${letterId}/updates`);
    const preview = await editor.browser.post(`/organize/letters/${letterId}/updates`, {
      subject: 'Hello',
      body: '# Big <script>alert(1)</script> news',
      intent: 'preview',
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('<h2>Big &lt;script&gt;alert(1)&lt;/script&gt; news</h2>');
    expect(await t.one('SELECT count(*) AS n FROM letter_updates')).toBe(0);

    const empty = await editor.browser.post(`/organize/letters/${letterId}/updates`, { subject: '', body: '', intent: 'save' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Please enter a subject.');

    const id = await writeUpdate(editor.browser, letterId, { subject: 'Hello', body: 'News.' });
    expect(await confirmAndSend(editor.browser, letterId, id)).toBe(0);
    const again = await editor.browser.post(`/organize/letters/${letterId}/updates/${id}/send`);
    expect(again.statusCode).toBe(409);
    const edit = await editor.browser.post(`/organize/letters/${letterId}/updates/${id}`, {
      subject: 'Changed',
      body: 'x',
      intent: 'save',
    });
    expect(edit.statusCode).toBe(409);
    expect(await t.sql("SELECT action FROM audit_log WHERE action = 'update.send'")).toHaveLength(1);
    expect(await t.one('SELECT subject FROM letter_updates WHERE id = ?', id)).toBe('Hello');
  });

  it('shows public updates on the letter page and in its feed, newest first; signers-only ones and drafts nowhere', async () => {
    const { browser } = await signedInOrganizer(t, { email: 'owner@example.org', collective: 'artists-united' });
    const send = async (subject: string, extra: Record<string, string> = {}) => {
      const id = await writeUpdate(browser, letterId, { subject, body: `Text of ${subject}.`, ...extra });
      await confirmAndSend(browser, letterId, id);
      t.clock.advance(60_000);
    };
    await send('First public news');
    await send('Only for signers', { signers_only: 'on' });
    await send('Second public news');
    await writeUpdate(browser, letterId, { subject: 'Unsent draft', body: 'Not yet.' });

    const page = (await t.app.inject('/letters/fair-pay')).body;
    expect(page).toContain('<h2 id="updates-title">Updates</h2>');
    expect(page.indexOf('Second public news')).toBeGreaterThan(0);
    expect(page.indexOf('Second public news')).toBeLessThan(page.indexOf('First public news'));
    expect(page).toContain('<p>Text of First public news.</p>');
    expect(page).not.toContain('Only for signers');
    expect(page).not.toContain('Unsent draft');
    expect(page).toContain('href="/letters/fair-pay/updates.atom"');

    const feed = await t.app.inject('/letters/fair-pay/updates.atom');
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(feed.body);
    const entries = [parsed.feed.entry].flat();
    expect(entries.map((e: { title: string }) => e.title)).toEqual(['Second public news', 'First public news']);
    expect(entries[0].content['#text']).toBe('<p>Text of Second public news.</p>');
    expect(feed.body).not.toContain('Only for signers');
    expect((await t.app.inject('/letters/no-such-letter/updates.atom')).statusCode).toBe(404);
  });

  it('is sent from the command line through the same service, audited, with no prompt', async () => {
    await seedSigners(t, letterId, ELIGIBLE);
    const file = join(t.dir, 'update.md');
    writeFileSync(file, 'The company **answered**.\n');
    const env = { DATABASE_URL: t.databaseUrl, DATA_DIR: t.dir };
    const sent = await runCli(['send-update', 'fair-pay', file, '--subject', 'They answered'], env);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/Sending update #(\d+) "They answered" to 3 recipients of "fair-pay"/);
    const id = await t.one<number>('SELECT id FROM letter_updates');
    // The command line ran on this machine's clock: the app's catches up to it.
    t.clock.set(new Date(Date.now() + 60_000));
    await deliverUpdate(t, id);
    expect(
      smtp.messages
        .filter((m) => m.subject === 'They answered')
        .map((m) => m.to)
        .sort(),
    ).toEqual([...ELIGIBLE].sort());
    expect(await t.sql('SELECT action, organizer_id FROM audit_log ORDER BY id')).toEqual([
      { action: 'update.create', organizer_id: null },
      { action: 'update.send', organizer_id: null },
    ]);

    expect((await runCli(['send-update', 'no-such-letter', file, '--subject', 'x'], env)).code).toBe(1);
    expect((await runCli(['send-update', 'fair-pay', file], env)).code).toBe(2);
    const blank = await runCli(['send-update', 'fair-pay', file, '--subject', '  '], env);
    expect(blank).toMatchObject({ code: 1, stderr: 'subject: Please enter a subject.\n' });
    expect(await t.one('SELECT count(*) AS n FROM letter_updates')).toBe(1);
  });
});
