// An update survives a crash mid-send: the real server (a child process) is killed with SIGKILL
// while its mail goes out, then started again. Every recipient still gets it, nobody else does,
// repeats are at most what was in flight at the kill (a mail the SMTP server took but whose
// "sent" was not yet committed) and carry the same Message-ID, and progress reaches the total.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/db/open-store.js';
import type { Store } from '../../src/db/store.js';
import { UnsubscribeTokens } from '../../src/domain/unsubscribe-token.js';
import { makeTestApp, seedLetter } from '../helpers/app.js';
import { type RawSql, rawSql, testDatabase } from '../helpers/database.js';
import { startServer } from '../helpers/server.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { seedSigners } from '../helpers/updates.js';

const RECIPIENTS = 200;
const PER_SECOND = 40;
const dir = mkdtempSync(join(tmpdir(), 'undersigned-update-crash-'));
let database: Awaited<ReturnType<typeof testDatabase>>;
let smtp: SmtpSink;

beforeAll(async () => {
  database = await testDatabase(dir);
  smtp = await new SmtpSink().start();
});
afterAll(async () => {
  await smtp?.stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('an update and a crash', () => {
  it('reaches every recipient at least once, nobody else, and repeats only what was in flight', async () => {
    // Seeded through the app, on the database the server will use.
    const seeding = await makeTestApp({ SPIKE_GUARD: 'off' }, { dir, databaseUrl: database.url, startBackground: false });
    const letter = await seedLetter(seeding.app);
    const eligible = Array.from({ length: RECIPIENTS }, (_, i) => `reader${i}@example.org`);
    await seedSigners(seeding, letter.id, eligible);
    await seedSigners(seeding, letter.id, ['nobox1@example.org', 'nobox2@example.org'], { updates: false });
    const left = (await seedSigners(seeding, letter.id, ['left@example.org'])).get('left@example.org') as number;
    const token = new UnsubscribeTokens(seeding.config.SESSION_SECRET).tokenFor(left);
    expect((await seeding.app.inject({ method: 'POST', url: `/unsubscribe/${token}` })).statusCode).toBe(200);
    const update = await seeding.app.services.updates.sendNew('fair-pay', {
      subject: 'Crash news',
      bodyMd: 'Still here.',
      signersOnly: false,
    });
    expect(update.recipientTotal).toBe(RECIPIENTS);
    await seeding.close();

    const env = {
      DATABASE_URL: database.url,
      DATA_DIR: dir,
      WORKERS: '1',
      SEED_DEMO: 'false',
      SESSION_SECRET: seeding.config.SESSION_SECRET,
      PUBLIC_URL: 'http://127.0.0.1:3000',
      SMTP_URL: smtp.url,
      UPDATES_PER_SECOND: String(PER_SECOND),
      OUTBOX_LEASE: '2 seconds',
      OUTBOX_POLL_MS: '50',
    };
    const received = () => smtp.messages.filter((m) => m.subject === 'Crash news');

    const first = await startServer(env);
    await expect.poll(() => received().length, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(RECIPIENTS / 10);
    // Then at a moment nobody chose, as a crash comes.
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 1000)));
    first.kill('SIGKILL');
    await first.exited;
    const atKill = received().length;

    let store: Store | null = await openStore(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), { migrate: false });
    let db: RawSql = rawSql(store, database.url);
    // Claimed and not marked sent: what the server may have handed to SMTP when it died.
    const inFlight = await db.one<number>(
      "SELECT count(*) AS n FROM outbox WHERE update_id = ? AND status = 'pending' AND claim IS NOT NULL",
      update.id,
    );
    await db.close();
    await store.close();
    store = null;
    expect(atKill).toBeLessThan(RECIPIENTS);

    const second = await startServer(env);
    try {
      store = await openStore(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), { migrate: false });
      db = rawSql(store, database.url);
      const status = () => db.one<string>('SELECT status FROM letter_updates WHERE id = ?', update.id);
      await expect.poll(status, { timeout: 60_000, interval: 100 }).toBe('sent');
      const progress = await db.sql('SELECT recipient_total AS total, sent_count AS sent, unsent_count AS unsent FROM letter_updates');
      expect(progress).toEqual([{ total: RECIPIENTS, sent: RECIPIENTS, unsent: 0 }]);
    } finally {
      second.kill('SIGTERM');
      await second.exited;
      await db.close();
      await store?.close();
    }

    const mails = received();
    const byRecipient = new Map<string, string[]>();
    for (const mail of mails) byRecipient.set(mail.to, [...(byRecipient.get(mail.to) ?? []), mail.messageId]);
    expect([...byRecipient.keys()].sort()).toEqual([...eligible].sort());
    const repeats = mails.length - byRecipient.size;
    expect(repeats).toBeLessThanOrEqual(inFlight);
    for (const ids of byRecipient.values()) expect(new Set(ids).size).toBe(1);
    process.stdout.write(
      `update crash: killed after ${atKill} of ${RECIPIENTS} mails, ${inFlight} in flight, ${repeats} sent twice (same Message-ID), all ${RECIPIENTS} reached\n`,
    );
  }, 150_000);
});
