// Graceful shutdown under load, and an online backup taken while the site is serving.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/db/sqlite-store.js';
import { findDrift } from '../../src/signatures/counter-check.js';
import { runCli } from '../helpers/cli.js';
import { startServer } from '../helpers/server.js';

const dir = mkdtempSync(join(tmpdir(), 'undersigned-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SLUG = 'statement-on-ai-training';

async function signLoop(url: string, prefix: string, acknowledged: string[], statuses: number[], until: () => boolean) {
  for (let i = 0; i < 10_000 && !until(); i++) {
    const email = `${prefix}-${i}@load.example`;
    try {
      const res = await fetch(`${url}/api/v1/letters/${SLUG}/signatures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Load ${prefix} ${i}`, email }),
      });
      statuses.push(res.status);
      if (res.status === 202) acknowledged.push(email);
    } catch {
      return; // refused: the server has stopped listening
    }
  }
}

describe('graceful shutdown', () => {
  it('finishes in-flight requests on SIGTERM, then exits cleanly with nothing lost', async () => {
    const dbFile = join(dir, 'shutdown.db');
    const server = await startServer({ DATABASE_URL: `file:${dbFile}`, RATE_LIMIT: 'off', SPIKE_GUARD: 'off' });
    const acknowledged: string[] = [];
    const statuses: number[] = [];
    let exited = false;
    server.exited.then(() => {
      exited = true;
    });
    const load = Promise.all(Array.from({ length: 16 }, (_, i) => signLoop(server.url, `w${i}`, acknowledged, statuses, () => exited)));
    // Signal once signing is flowing, so requests are in flight when it comes.
    await expect.poll(() => acknowledged.length, { timeout: 20_000 }).toBeGreaterThan(20);
    const signalledAt = Date.now();
    server.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    await load;

    expect(acknowledged.length).toBeGreaterThan(20);
    // While closing, Fastify answers 503 to new requests on open connections; nothing else fails.
    expect(statuses.filter((s) => s !== 202 && s !== 503)).toEqual([]);
    const store = openSqliteStore(dbFile);
    try {
      const stored = new Set(
        (await store.rows<{ email: string }>(sql`SELECT email FROM signatures WHERE email LIKE '%@load.example'`)).map((r) => r.email),
      );
      expect(acknowledged.filter((e) => !stored.has(e))).toEqual([]);
      expect(await findDrift(store)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('online backup', () => {
  it('copies a consistent database while the site serves and signs, and the copy runs a working site', async () => {
    const dbFile = join(dir, 'live.db');
    const server = await startServer({ DATABASE_URL: `file:${dbFile}`, RATE_LIMIT: 'off', SPIKE_GUARD: 'off' });
    const acknowledged: string[] = [];
    let stop = false;
    const load = Promise.all(Array.from({ length: 4 }, (_, i) => signLoop(server.url, `b${i}`, acknowledged, [], () => stop)));
    // Back up once signing is flowing, so the copy is taken while writes commit.
    await expect.poll(() => acknowledged.length, { timeout: 20_000 }).toBeGreaterThan(10);
    const backupFile = join(dir, 'backup.db');
    const result = await runCli(['backup', backupFile], { DATABASE_URL: `file:${dbFile}` });
    stop = true;
    await load;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Backup written');
    expect((await runCli(['backup', backupFile], { DATABASE_URL: `file:${dbFile}` })).code).toBe(1);
    server.kill('SIGTERM');
    await server.exited;

    const copy = openSqliteStore(backupFile);
    try {
      expect(await findDrift(copy)).toEqual([]);
      expect(await copy.rows<{ n: number }>(sql`SELECT count(*) AS n FROM letters`)).toEqual([{ n: 2 }]);
    } finally {
      await copy.close();
    }
    const restored = await startServer({ DATABASE_URL: `file:${backupFile}`, SEED_DEMO: 'false' });
    try {
      const page = await fetch(`${restored.url}/letters/${SLUG}`);
      expect(page.status).toBe(200);
      const sign = await fetch(`${restored.url}/api/v1/letters/${SLUG}/signatures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'After Restore', email: 'after-restore@example.org' }),
      });
      expect(sign.status).toBe(202);
    } finally {
      restored.kill('SIGTERM');
      await restored.exited;
    }
  }, 60_000);
});
