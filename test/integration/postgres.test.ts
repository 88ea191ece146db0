// What only PostgreSQL has: several processes migrating one empty database at once, a pool of a
// single connection (DB_POOL_SIZE=1), and statements cancelled by DB_STATEMENT_TIMEOUT.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations-folder.js';
import { openStore } from '../../src/db/open-store.js';
import { makeTestApp, seedLetter, signViaApi, signViaForm, testConfig } from '../helpers/app.js';
import { STORE, testDatabase } from '../helpers/database.js';
import { signAt, startServer } from '../helpers/server.js';

let dir: string;
let database: Awaited<ReturnType<typeof testDatabase>>;
beforeEach(async () => {
  dir = mkdtempSync(`${tmpdir()}/undersigned-pg-`);
  database = await testDatabase(dir);
});
afterEach(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(STORE !== 'postgres')('PostgreSQL', () => {
  it('migrates once when three processes open an empty database at the same moment', async () => {
    const config = testConfig(dir, { DATABASE_URL: database.url });
    const stores = await Promise.all([openStore(config), openStore(config), openStore(config)]);
    try {
      const journal = JSON.parse(readFileSync(join(MIGRATIONS.postgres, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
      const [store] = stores;
      const applied = await store!.rows<{ hash: string }>(sql`SELECT hash FROM __drizzle_migrations`);
      expect(applied).toHaveLength(journal.entries.length);
      expect(new Set(applied.map((r) => r.hash)).size).toBe(applied.length);
      // And every one of them works on the result.
      for (const s of stores) expect(await s.rows(sql`SELECT count(*)::int AS n FROM letters`)).toEqual([{ n: 0 }]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('serves with a pool of one connection: migrating, signing and the once-only jobs', async () => {
    const started = Date.now();
    const t = await makeTestApp({ DB_POOL_SIZE: '1' }, { dir, databaseUrl: database.url, startBackground: false });
    try {
      // The migration's lock used to hold the only connection, and the migration waited 5 s for it.
      expect(Date.now() - started).toBeLessThan(4000);
      await seedLetter(t.app);
      expect((await signViaApi(t, 'fair-pay', { name: 'One Connection', email: 'one@pool.example' })).statusCode).toBe(202);
      // A once-only job holds its lock while its body reads through the pool.
      const job = Date.now();
      expect(await t.app.services.jobs.run('counter-check')).toBe('ran');
      expect(await t.app.services.jobs.run('housekeeping')).toBe('ran');
      expect(Date.now() - job).toBeLessThan(4000);
    } finally {
      await t.close();
    }
  });

  it('starts the real server with DB_POOL_SIZE=1 on an empty database', async () => {
    const server = await startServer({ DATABASE_URL: database.url, DATA_DIR: dir, DB_POOL_SIZE: '1', WORKERS: '1', SEED_DEMO: 'true' });
    try {
      const signed = await signAt(server, 'statement-on-ai-training', { name: 'Pool Of One', email: 'one@server.example' });
      expect(signed.status).toBe(202);
    } finally {
      server.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it('answers 503 with Retry-After when DB_STATEMENT_TIMEOUT cancels a statement, and stores nothing', async () => {
    const t = await makeTestApp({ DB_STATEMENT_TIMEOUT: '300', RATE_LIMIT: 'off' }, { dir, databaseUrl: database.url });
    // Another session holds the signatures table, as a long migration or a stuck transaction
    // would: every statement that needs it waits until the timeout cancels it.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await seedLetter(t.app);
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE signatures IN ACCESS EXCLUSIVE MODE');

      const api = await signViaApi(t, 'fair-pay', { name: 'Too Busy', email: 'busy@timeout.example' });
      expect(api.statusCode).toBe(503);
      expect(api.headers['retry-after']).toBe('5');
      expect(api.json().error.code).toBe('unavailable');
      const form = await signViaForm(t, 'fair-pay', { name: 'Too Busy', email: 'busy@timeout.example' });
      expect(form.statusCode).toBe(503);
      expect(form.headers['retry-after']).toBe('5');
      expect(form.body).not.toMatch(/node_modules|\.ts:\d+|Error:|57014|canceling/);

      await holder.query('ROLLBACK');
      // The same connections serve again at once (a cancelled statement leaves them working).
      expect((await signViaApi(t, 'fair-pay', { name: 'Too Busy', email: 'busy@timeout.example' })).statusCode).toBe(202);
      expect(await t.one("SELECT count(*) FROM signatures WHERE email = 'busy@timeout.example'")).toBe(1);
      expect(await t.one('SELECT count(*) FROM outbox WHERE "to" = ?', 'busy@timeout.example')).toBe(1);
    } finally {
      await holder.end();
      await t.close();
    }
  });
});
