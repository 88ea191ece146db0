// Moving a site to another store (`copy-store`) takes its updates, their progress, their queued
// mail and the addresses that refuse mail along with everything else.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/db/open-store.js';
import { makeTestApp, seedLetter } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { rawSql, testDatabase } from '../helpers/database.js';
import { seedSigners } from '../helpers/updates.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('copy-store and updates', () => {
  it('copies updates, their queued mail and refused addresses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'undersigned-copy-updates-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    // The source is a SQLite file, the move this command exists for; the destination this run's store.
    const source = `file:${join(dir, 'source.db')}`;
    const t = await makeTestApp({}, { dir, databaseUrl: source, startBackground: false });
    const letter = await seedLetter(t.app);
    await seedSigners(t, letter.id, ['ada@example.org', 'grace@example.org']);
    const update = await t.app.services.updates.sendNew('fair-pay', { subject: 'News', bodyMd: 'Text.', signersOnly: false });
    await t.app.services.updates.fanOut();
    await t.sql("INSERT INTO email_suppressions (email_key, reason, created_at) VALUES ('gone@example.org', '550', 1)");
    await t.close();

    const destination = await testDatabase(join(dir, 'destination'));
    cleanups.push(() => destination.drop());
    const copied = await runCli(['copy-store', '--from', source, '--to', destination.url], { DATA_DIR: dir });
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    expect(copied.stdout).toMatch(/letterUpdates\s+1\n/);
    expect(copied.stdout).toMatch(/emailSuppressions\s+1\n/);

    const store = await openStore(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir, DATABASE_URL: destination.url }), {
      migrate: false,
    });
    const db = rawSql(store, destination.url);
    cleanups.push(async () => {
      await db.close();
      await store.close();
    });
    expect(await db.sql('SELECT subject, status, recipient_total AS total, queued_count AS queued FROM letter_updates')).toEqual([
      { subject: 'News', status: 'sending', total: 2, queued: 2 },
    ]);
    expect(await db.one("SELECT count(*) AS n FROM outbox WHERE update_id = ? AND kind = 'update'", update.id)).toBe(2);
    expect(await db.sql('SELECT email_key FROM email_suppressions')).toEqual([{ email_key: 'gone@example.org' }]);
  });
});
