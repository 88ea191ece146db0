// Mail is never lost: a down SMTP server delays it, a restart resumes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../src/domain/signed-note.js';
import { makeTestApp, seedLetter, signViaApi, signViaForm, type TestApp } from '../helpers/app.js';
import { testDatabase } from '../helpers/database.js';
import { linkIn, SmtpSink } from '../helpers/smtp-sink.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function outboxRows(t: TestApp) {
  return t.sql<{
    status: string;
    attempts: number;
    lastError: string | null;
  }>('SELECT status, attempts, last_error AS "lastError" FROM outbox ORDER BY id');
}

describe('outbox', () => {
  it('keeps mail while SMTP is down and delivers all of it when it is back', async () => {
    const sink = await new SmtpSink().start();
    const port = sink.port;
    await sink.stop();
    const t = await makeTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    cleanups.push(() => t.close());
    await seedLetter(t.app);

    const emails = ['a@example.org', 'b@example.org', 'c@example.org'];
    for (const email of emails) {
      const res = await signViaForm(t, 'fair-pay', { name: `Signer ${email[0]}`, email });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/letters/fair-pay/signed');
    }
    await t.app.services.mail.worker.flush();
    const failed = await outboxRows(t);
    expect(failed).toHaveLength(3);
    for (const row of failed) {
      expect(row.status).toBe('pending');
      expect(row.attempts).toBeGreaterThanOrEqual(1);
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
    }
    // What the operator sees: the backlog, its age and why.
    t.clock.advance(90_000);
    const behind = await t.app.services.mail.stats();
    expect(behind).toMatchObject({ pending: 3, dead: 0, lastError: expect.stringMatching(/ECONNREFUSED|connect/i) });
    expect(behind.oldestPendingSeconds).toBeGreaterThanOrEqual(90);

    const back = await new SmtpSink().start(port);
    cleanups.push(() => back.stop());
    t.clock.advance(3_600_000);
    await t.app.services.mail.worker.flush();
    for (const email of emails) await back.waitFor(email, /Confirm your signature/);
    expect((await outboxRows(t)).every((r) => r.status === 'sent')).toBe(true);
    expect(await t.app.services.mail.stats()).toEqual({ pending: 0, dead: 0, oldestPendingSeconds: 0, lastError: null });

    // The delayed link still works.
    const confirm = await t.app.inject({ method: 'POST', url: linkIn(back.for('a@example.org')[0]!, 'verify') });
    expect(confirm.statusCode).toBe(200);
  });

  it('delivers mail queued before a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'undersigned-restart-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const sink = await new SmtpSink().start();
    cleanups.push(() => sink.stop());

    // Both apps on one database, kept between them.
    const database = await testDatabase(dir);
    cleanups.push(() => database.drop());

    const first = await makeTestApp({ SMTP_URL: sink.url }, { dir, databaseUrl: database.url, startBackground: false });
    await seedLetter(first.app);
    for (const email of ['x@example.org', 'y@example.org']) {
      expect((await signViaApi(first, 'fair-pay', { name: 'Someone', email })).statusCode).toBe(202);
    }
    expect((await outboxRows(first)).map((r) => r.status)).toEqual(['pending', 'pending']);
    await first.close();
    expect(sink.messages).toHaveLength(0);

    const second = await makeTestApp({ SMTP_URL: sink.url }, { dir, databaseUrl: database.url });
    cleanups.push(() => second.close());
    await sink.waitFor('x@example.org');
    await sink.waitFor('y@example.org');
    await expect.poll(async () => (await outboxRows(second)).every((r) => r.status === 'sent')).toBe(true);
  });

  it('drops delivered bodies so live links do not sit in the database', async () => {
    const sink = await new SmtpSink().start();
    cleanups.push(() => sink.stop());
    const t = await makeTestApp({ SMTP_URL: sink.url });
    cleanups.push(() => t.close());
    await seedLetter(t.app);
    await signViaApi(t, 'fair-pay', { name: 'Someone', email: 'z@example.org' });
    await sink.waitFor('z@example.org');
    await expect.poll(() => t.sql("SELECT data FROM outbox WHERE status = 'sent'")).toEqual([{ data: '{}' }]);
  });

  it('writes .eml files and lists links in the development outbox when SMTP_URL is unset', async () => {
    const t = await makeTestApp({ NODE_ENV: 'development' });
    cleanups.push(() => t.close());
    const elsewhere: Array<Record<string, string>> = [
      { NODE_ENV: 'test' },
      { NODE_ENV: 'development', HOST: '0.0.0.0' },
      {
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        MAIL_TRANSPORT: 'file',
        LOG_SIGNING_KEY: generateSigningKey('127.0.0.1:3000'),
      },
    ];
    for (const env of elsewhere) {
      const other = await makeTestApp(env);
      cleanups.push(() => other.close());
      expect((await other.app.inject('/dev/outbox')).statusCode).toBe(404);
    }
    await seedLetter(t.app);
    await signViaApi(t, 'fair-pay', { name: 'Dev Person', email: 'dev@example.org' });
    await t.app.services.mail.worker.flush();
    const page = await t.app.inject('/dev/outbox');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('dev@example.org');
    const verify = /href="(\/verify\/[A-Za-z0-9_-]{43})"/.exec(page.body)?.[1];
    expect(verify).toBeDefined();
    expect((await t.app.inject({ method: 'POST', url: verify! })).statusCode).toBe(200);
  });
});
