// Several app processes on one PostgreSQL database, as real processes: a cluster of two workers
// and a single process beside it (two machines, say). Their outbox workers send each
// confirmation mail once, every process gives the same answer and ETag to the same request, and
// SIGTERM to the cluster's primary drains its workers with nothing lost, while the other process
// keeps serving. PostgreSQL only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import type { Store } from '../../src/db/store.js';
import { findDrift } from '../../src/signatures/counter-check.js';
import { makeTestApp, seedLetter, testConfig } from '../helpers/app.js';
import { STORE, testDatabase } from '../helpers/database.js';
import { type ChildServer, signAt, startServer } from '../helpers/server.js';
import { linkIn, SmtpSink } from '../helpers/smtp-sink.js';

const SECRET = 'x'.repeat(40);

async function sign(server: ChildServer, email: string): Promise<number> {
  return (await signAt(server, 'fair-pay', { name: `Person ${email.split('@')[0]}`, email })).status;
}

/** A schema with the fair-pay letter in it, and a store on it for assertions. */
async function letterDatabase(dir: string) {
  const database = await testDatabase(dir);
  const t = await makeTestApp({}, { dir, databaseUrl: database.url, startBackground: false });
  await seedLetter(t.app);
  await t.app.close();
  const store = await openStore(testConfig(dir, { DATABASE_URL: database.url }));
  return { database, store };
}

const serverEnv = (dir: string, url: string, extra: Record<string, string> = {}) => ({
  DATABASE_URL: url,
  DATA_DIR: dir,
  RATE_LIMIT: 'off',
  SPIKE_GUARD: 'off',
  SEED_DEMO: 'false',
  SESSION_SECRET: SECRET,
  // Every machine of a site has the same public address (it is in the answers).
  PUBLIC_URL: 'http://letters.example',
  ...extra,
});

describe.skipIf(STORE !== 'postgres')('three app processes on one database', () => {
  let dir: string;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let store: Store;
  let smtp: SmtpSink;
  /** A primary with two workers. */
  let a: ChildServer;
  /** One process. */
  let b: ChildServer;

  beforeAll(async () => {
    dir = mkdtempSync(`${tmpdir()}/undersigned-two-`);
    ({ database, store } = await letterDatabase(dir));
    smtp = await new SmtpSink().start();
    const env = serverEnv(dir, database.url, { SMTP_URL: smtp.url, OUTBOX_POLL_MS: '50' });
    [a, b] = await Promise.all([startServer({ ...env, WORKERS: '2' }), startServer({ ...env, WORKERS: '1' })]);
  }, 90_000);

  afterAll(async () => {
    for (const server of [a, b]) server?.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await store?.close();
    await smtp?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends each confirmation mail exactly once while three outbox workers run', async () => {
    const emails = Array.from({ length: 40 }, (_, i) => `once${i}@outbox.example`);
    // Eight signers at a time, alternating between the machines: every worker finds mail at once.
    for (let i = 0; i < emails.length; i += 8) {
      const batch = emails.slice(i, i + 8);
      expect(await Promise.all(batch.map((email, j) => sign(j % 2 ? a : b, email)))).toEqual(Array(batch.length).fill(202));
    }
    const unsent = async () =>
      Number(
        (await store.rows<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE status <> 'sent' AND "to" LIKE '%@outbox.example'`))[0]
          ?.n,
      );
    await expect.poll(unsent, { timeout: 20_000 }).toBe(0);
    // Every row is marked sent only after its delivery, so nothing is still on its way.
    const delivered = smtp.messages.filter((m) => m.to.endsWith('@outbox.example')).map((m) => m.to);
    expect(delivered.sort()).toEqual([...emails].sort());
  });

  it('gives the same answer and the same ETag whichever process answers', async () => {
    // Some confirmed signatures, so lists, counts and pages have something in them.
    for (const email of ['once0@outbox.example', 'once1@outbox.example', 'once2@outbox.example']) {
      const mail = await smtp.waitFor(email, /Confirm/);
      expect((await fetch(`${a.url}${linkIn(mail, 'verify')}`, { method: 'POST' })).status).toBe(200);
    }
    const first = (await (await fetch(`${a.url}/api/v1/letters/fair-pay/signatures?limit=2`)).json()) as { next_cursor: string };
    expect(first.next_cursor).toBeTruthy();
    const urls = [
      '/api/v1/letters/fair-pay/count',
      '/api/v1/letters/fair-pay',
      '/api/v1/letters',
      '/api/v1/letters/fair-pay/signatures?limit=2',
      // A page cursor made by one process is read alike by the other.
      `/api/v1/letters/fair-pay/signatures?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`,
      '/api/v1/letters/fair-pay/timeseries',
      '/letters/fair-pay/embed',
      '/letters/fair-pay/badge.svg',
      '/letters.atom',
    ];
    const answer = async (server: ChildServer, url: string) => {
      const res = await fetch(`${server.url}${url}`);
      return { status: res.status, etag: res.headers.get('etag'), body: await res.text() };
    };
    for (const url of urls) {
      // Each process may serve what it cached for up to a second after a change elsewhere.
      await expect
        .poll(
          async () => {
            const [fromA, fromB] = await Promise.all([answer(a, url), answer(b, url)]);
            return fromA.status === 200 && fromA.etag !== null && fromA.etag === fromB.etag && fromA.body === fromB.body;
          },
          { timeout: 5000, message: url },
        )
        .toBe(true);
    }
    // The strong ETag one process gave is honoured by the other.
    const { etag } = await answer(a, '/api/v1/letters/fair-pay');
    const revalidated = await fetch(`${b.url}/api/v1/letters/fair-pay`, { headers: { 'if-none-match': String(etag) } });
    expect(revalidated.status).toBe(304);
  });

  // Last: it stops the cluster.
  it('drains both workers of the cluster on SIGTERM under signing load: exit 0, every acknowledged signing stored', async () => {
    const acknowledged: string[] = [];
    const statuses: number[] = [];
    let exited = false;
    void a.exited.then(() => {
      exited = true;
    });
    const signer = async (n: number) => {
      for (let i = 0; i < 10_000 && !exited; i++) {
        const email = `w${n}-${i}@drain.example`;
        try {
          const status = await sign(a, email);
          statuses.push(status);
          if (status === 202) acknowledged.push(email);
        } catch {
          return; // refused or reset: the cluster has stopped listening
        }
      }
    };
    const load = Promise.all(Array.from({ length: 12 }, (_, n) => signer(n)));
    await expect.poll(() => acknowledged.length, { timeout: 15_000 }).toBeGreaterThan(30);
    const signalledAt = Date.now();
    a.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    await load;

    // While closing, a worker answers new requests on open connections 503; nothing else fails.
    expect(statuses.filter((s) => s !== 202 && s !== 503)).toEqual([]);
    const stored = new Set(
      (await store.rows<{ email: string }>(sql`SELECT email FROM signatures WHERE email LIKE '%@drain.example'`)).map((r) => r.email),
    );
    expect(acknowledged.filter((e) => !stored.has(e))).toEqual([]);
    expect(await findDrift(store)).toEqual([]);
    // The other machine goes on.
    expect(await sign(b, 'after@drain.example')).toBe(202);
  }, 60_000);
});
