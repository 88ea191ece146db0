// Crash safety: kill the server with SIGKILL in the middle of signing and confirming, restart,
// and check that everything acknowledged survived and every counter still adds up.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/db/open-store.js';
import { emailKey } from '../../src/domain/email-key.js';
import { findDrift } from '../../src/signatures/counter-check.js';
import { rawSql, STORE, testDatabase } from '../helpers/database.js';
import { type ChildServer, startServer } from '../helpers/server.js';

const dir = mkdtempSync(join(tmpdir(), 'undersigned-crash-'));
let database: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => {
  database = await testDatabase(dir);
});
afterAll(async () => {
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const SLUG = 'statement-on-ai-training';
const CYCLES = Number(process.env.CRASH_CYCLES ?? 4);
/**
 * How long the server runs before each kill. PostgreSQL (a server process on the same machine)
 * takes signatures about a third as fast as SQLite does here, so its cycles run longer to see as
 * much signing and confirming before the kill.
 */
const RUN_MS = STORE === 'postgres' ? { min: 1000, spread: 3000 } : { min: 400, spread: 1200 };

interface Ledger {
  signed: Set<string>;
  confirmed: Set<string>;
  seenLinks: Set<string>;
}

/** Signs and confirms as fast as it can until the server dies under it. */
async function drive(server: ChildServer, ledger: Ledger, cycle: number, stop: { dead: boolean }) {
  const outbox = join(dir, 'outbox');
  let n = 0;
  const signer = async (worker: number) => {
    while (!stop.dead && n < 100_000) {
      const email = `c${cycle}-w${worker}-${n++}@crash.example`;
      try {
        const res = await fetch(`${server.url}/api/v1/letters/${SLUG}/signatures`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Crash Tester ${cycle} ${worker} ${n}`, email, country: 'GB' }),
        });
        if (res.status === 202) ledger.signed.add(email);
        else if (res.status >= 500) throw new Error(`sign answered ${res.status}`);
      } catch (error) {
        if ((error as Error).message.startsWith('sign answered')) throw error;
        return; // connection refused or reset: the server is gone
      }
    }
  };
  const confirmer = async () => {
    for (let round = 0; !stop.dead && round < 10_000; round++) {
      let files: string[] = [];
      try {
        files = readdirSync(outbox).filter((f) => f.endsWith('.json'));
      } catch {
        // no mail written yet
      }
      for (const file of files) {
        if (stop.dead || ledger.seenLinks.has(file)) continue;
        let entry: { to: string; links: string[] };
        try {
          entry = JSON.parse(readFileSync(join(outbox, file), 'utf8'));
        } catch {
          continue;
        }
        ledger.seenLinks.add(file);
        const verify = entry.links.find((l) => l.includes('/verify/'));
        if (!verify) continue;
        try {
          const res = await fetch(`${server.url}${new URL(verify).pathname}`, { method: 'POST' });
          if (res.status === 200) ledger.confirmed.add(entry.to);
          else if (res.status >= 500) throw new Error(`verify answered ${res.status}`);
        } catch (error) {
          if ((error as Error).message.startsWith('verify answered')) throw error;
          return;
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return Promise.all([...Array.from({ length: 12 }, (_, i) => signer(i)), confirmer()]);
}

describe('crash safety', () => {
  it(`survives ${CYCLES} SIGKILLs under signing and confirming load`, async () => {
    // One process serving (WORKERS=1), so the SIGKILL hits the process in the middle of the work.
    const env = {
      DATABASE_URL: database.url,
      DATA_DIR: dir,
      WORKERS: '1',
      RATE_LIMIT: 'off',
      SPIKE_GUARD: 'off',
      OUTBOX_POLL_MS: '20',
    };
    const ledger: Ledger = { signed: new Set(), confirmed: new Set(), seenLinks: new Set() };
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const server = await startServer(env);
      const stop = { dead: false };
      const traffic = drive(server, ledger, cycle, stop);
      await new Promise((r) => setTimeout(r, RUN_MS.min + Math.floor(Math.random() * RUN_MS.spread)));
      server.kill('SIGKILL');
      await server.exited;
      stop.dead = true;
      await traffic;
    }
    expect(ledger.signed.size).toBeGreaterThan(50);
    expect(ledger.confirmed.size).toBeGreaterThan(5);

    // One clean start after the last crash, then inspect the database directly.
    const last = await startServer(env);
    last.kill('SIGTERM');
    expect(await last.exited).toBe(0);

    const store = await openStore(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
    const db = rawSql(store, database.url);
    try {
      const rows = await db.sql<{ key: string; status: string }>('SELECT email_key AS key, status FROM signatures');
      const byKey = new Map(rows.map((r) => [r.key, r.status]));
      const lost = [...ledger.signed].filter((email) => !byKey.has(emailKey(email) ?? email));
      expect(lost).toEqual([]);
      const unconfirmed = [...ledger.confirmed].filter((email) => byKey.get(emailKey(email) ?? email) !== 'verified');
      expect(unconfirmed).toEqual([]);
      expect(await findDrift(store)).toEqual([]);
      // Every signature's verification mail is still queued or already sent.
      const mailless = await db.one(
        'SELECT count(*) AS n FROM signatures s WHERE s.email LIKE \'%@crash.example\' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o."to" = s.email)',
      );
      expect(mailless).toBe(0);
      process.stdout.write(
        `crash test: ${CYCLES} kills, ${ledger.signed.size} signatures acknowledged, ${ledger.confirmed.size} confirmations acknowledged, drift 0\n`,
      );
    } finally {
      await db.close();
      await store.close();
    }
  }, 120_000);
});
