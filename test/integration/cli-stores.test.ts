// The command line across the two stores: `copy-store` moving a SQLite site into an empty
// PostgreSQL database (and refusing one that holds anything), and `backup` on PostgreSQL, which
// names pg_dump instead. Run in this process as `npm run cli -- …` runs them. PostgreSQL only.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableName, sql, type Table } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/db/open-store.js';
import type { Store } from '../../src/db/store.js';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { STORE, testDatabase } from '../helpers/database.js';
import { createOrganizer } from '../helpers/organizer.js';
import { latestLinks, moderate, signAndConfirm } from '../helpers/signers.js';

let dir: string;
let target: Awaited<ReturnType<typeof testDatabase>>;
beforeEach(async () => {
  dir = mkdtempSync(`${tmpdir()}/undersigned-cli-stores-`);
  target = await testDatabase(dir);
});
afterEach(async () => {
  await target.drop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { DATA_DIR: dir, ...env });

/** Every table's row count, and the signatures by status: what a copy must keep. */
async function census(url: string): Promise<Record<string, number>> {
  const store: Store = await openStore(loadConfig({ DATABASE_URL: url, DATA_DIR: dir, LOG_LEVEL: 'silent' }));
  try {
    const counts: Record<string, number> = {};
    for (const table of Object.values(store.tables)) {
      const [row] = await store.rows<{ n: number }>(sql`SELECT count(*) AS n FROM ${table}`);
      counts[getTableName(table as Table)] = Number(row?.n);
    }
    for (const row of await store.rows<{ status: string; n: number }>(sql`SELECT status, count(*) AS n FROM signatures GROUP BY status`)) {
      counts[`signatures ${row.status}`] = Number(row.n);
    }
    expect(Object.keys(counts)).toContain('signature_events');
    return counts;
  } finally {
    await store.close();
  }
}

/** A SQLite site with a bit of everything: two letters, signatures in every state, notables, organizers, mail. */
async function sqliteSite(): Promise<string> {
  const url = `file:${join(dir, 'site.db')}`;
  const t: TestApp = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { dir, databaseUrl: url, startBackground: false });
  try {
    await seedLetter(t.app, { notable: [{ name: 'Famous Painter', description: 'Painter' }] });
    await seedLetter(t.app, { slug: 'second', title: 'A second letter' });
    for (const [i, country] of ['FR', 'DE', 'GB'].entries()) {
      await signAndConfirm(t, 'fair-pay', { name: `Verified Person${i}`, email: `v${i}@copy.example`, country });
    }
    await signAndConfirm(t, 'second', { name: 'Other Letter', email: 'o@copy.example' });
    expect((await signViaApi(t, 'fair-pay', { name: 'Pending Person', email: 'p@copy.example' })).statusCode).toBe(202);
    // The same name as a counted one: held for review on confirming, then rejected.
    await signViaApi(t, 'fair-pay', { name: 'Verified Person0', email: 'twin@copy.example' });
    expect((await t.app.inject({ method: 'POST', url: (await latestLinks(t, 'twin@copy.example')).verify! })).statusCode).toBe(200);
    await signViaApi(t, 'fair-pay', { name: 'Famous Painter', email: 'famous@copy.example' });
    expect((await t.app.inject({ method: 'POST', url: (await latestLinks(t, 'famous@copy.example')).verify! })).statusCode).toBe(200);
    const [twin] = await t.sql<{ id: number }>("SELECT id FROM signatures WHERE email = 'twin@copy.example'");
    await moderate(t, twin!.id, 'reject');
    const withdraw = await signAndConfirm(t, 'fair-pay', { name: 'Changed Mind', email: 'w@copy.example' });
    expect((await t.app.inject({ method: 'POST', url: withdraw })).statusCode).toBe(200);
    await createOrganizer(t, { email: 'owner@copy.example', collective: 'artists-united' });
  } finally {
    await t.close();
  }
  return url;
}

describe.skipIf(STORE !== 'postgres')('copy-store', () => {
  it('copies a SQLite site into an empty PostgreSQL database: every row, counters checked on both sides', async () => {
    const source = await sqliteSite();
    const before = await census(source);
    expect(before).toMatchObject({
      'signatures verified': 4,
      'signatures pending': 1,
      'signatures held': 1,
      'signatures rejected': 1,
      'signatures withdrawn': 1,
      notable_signatories: 1,
      organizers: 1,
      letters: 2,
    });
    expect(before.outbox).toBeGreaterThan(5);

    const copied = await cli(['copy-store', '--from', source, '--to', target.url]);
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    expect(copied.stdout).toMatch(/^source: fair-pay 3, second 1 — every counter matches a recount$/m);
    expect(copied.stdout).toMatch(/^destination: fair-pay 3, second 1 — every counter matches a recount$/m);

    expect(await census(target.url)).toEqual(before);
    const check = await cli(['check'], { DATABASE_URL: target.url });
    expect(check.code, check.stdout + check.stderr).toBe(0);

    // The copy is a working site: new rows take ids after the copied ones.
    const site = await makeTestApp({ RATE_LIMIT: 'off' }, { dir, databaseUrl: target.url, startBackground: false });
    try {
      expect((await signViaApi(site, 'second', { name: 'After Moving', email: 'after@copy.example' })).statusCode).toBe(202);
    } finally {
      await site.close();
    }
  });

  it('refuses a database that holds anything, exits 1 and writes nothing', async () => {
    const source = await sqliteSite();
    const existing = await makeTestApp({}, { dir, databaseUrl: target.url, startBackground: false });
    try {
      await seedLetter(existing.app, { slug: 'already-here' });
    } finally {
      await existing.close();
    }
    const before = await census(target.url);

    const refused = await cli(['copy-store', '--from', source, '--to', target.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds data/);
    expect(await census(target.url)).toEqual(before);
  });
});

describe.skipIf(STORE !== 'postgres')('backup on PostgreSQL', () => {
  it('prints the pg_dump command to use instead, exits 1 and writes no file', async () => {
    const site = await makeTestApp({}, { dir, databaseUrl: target.url, startBackground: false });
    await site.close();
    const file = join(dir, 'site.dump');
    const result = await cli(['backup', file], { DATABASE_URL: target.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`pg_dump --format=custom --file=${file} "postgres://`);
    expect(existsSync(file)).toBe(false);
  });
});
