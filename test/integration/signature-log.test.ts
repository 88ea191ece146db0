// A letter's public log through the real app: every change of the count is queued with it and
// sequenced by the integrator; the checkpoint verifies with the site's key, the entries replay to
// the count the API shows, tiles and bundles are byte-exact, and the log only ever grows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEntry } from '../../src/domain/log-entry.js';
import { parseEntryBundle } from '../../src/domain/log-tiles.js';
import { EMPTY_ROOT, leafHash, nodeHash, rootOf } from '../../src/domain/merkle.js';
import { letterCount, makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { get, integrate, readCheckpoint, readLog } from '../helpers/log.js';
import { addConfirmed, latestLinks, moderate, signAndConfirm, signatureIdOf } from '../helpers/signers.js';

let t: TestApp;
let letterId: number;

beforeEach(async () => {
  t = await makeTestApp();
  letterId = (await seedLetter(t.app)).id;
});

afterEach(async () => {
  await t.close();
});

const sigOf = (email: string) => t.one<string>('SELECT log_sig FROM signatures WHERE email = ?', email);
const idOf = (email: string) => signatureIdOf(t, email);
const apiCount = async () => JSON.parse((await get(t, '/api/v1/letters/fair-pay/count')).body).signature_count as number;

describe('a new letter', () => {
  it('serves a signed checkpoint of size 0 whose root is SHA-256 of nothing', async () => {
    const res = await get(t, '/letters/fair-pay/log/checkpoint');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe(
      `public, max-age=${t.config.COUNT_MAX_AGE}, stale-while-revalidate=${t.config.COUNT_STALE_WHILE_REVALIDATE}`,
    );
    const { checkpoint } = await readCheckpoint(t, 'fair-pay');
    expect(checkpoint).toEqual({ origin: '127.0.0.1:3000/letters/fair-pay', size: 0, root: EMPTY_ROOT, count: 0 });
  });

  it('has no log while it is a draft', async () => {
    await seedLetter(t.app, { slug: 'secret-draft', status: 'draft' });
    expect((await get(t, '/letters/secret-draft/log/checkpoint')).statusCode).toBe(404);
    expect((await get(t, '/letters/secret-draft/log/tile/entries/000.p/1')).statusCode).toBe(404);
    expect((await get(t, '/letters/no-such-letter/log/checkpoint')).statusCode).toBe(404);
  });
});

describe('confirming, withdrawing and moderating', () => {
  it('queue an entry in the same unit of work as the count, which the integrator sequences', async () => {
    await signAndConfirm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org', country: 'GB' });
    // Counted at once; the entry waits in the queue, holding nothing personal.
    expect(await letterCount(t, 'fair-pay')).toBe(1);
    const queued = await t.sql<{ kind: string; entry: string }>('SELECT kind, entry FROM log_queue');
    expect(queued).toHaveLength(1);
    expect(queued[0]?.entry).not.toMatch(/ada|example|Lovelace|127\.0\.0\.1/i);
    expect(parseEntry(queued[0]?.entry ?? '')).toMatchObject({
      kind: 'confirm',
      sig: await sigOf('ada@example.org'),
      at: '2026-06-01T12:00Z',
      version: 1,
    });

    expect(await integrate(t)).toBe(1);
    expect(await t.one('SELECT count(*) FROM log_queue')).toBe(0);
    const log = await readLog(t, 'fair-pay');
    expect(log.checkpoint).toMatchObject({ size: 1, count: 1 });
    expect(log.checkpoint.root).toEqual(leafHash(Buffer.from(log.entries[0] ?? '')));
  });

  it('move the log as the replay rule says, and the count API and the log agree', async () => {
    const emails = ['ada@example.org', 'grace@example.org', 'alan@example.org', 'edsger@example.org'];
    const withdraw: Record<string, string> = {};
    for (const email of emails) withdraw[email] = await signAndConfirm(t, 'fair-pay', { name: email.split('@')[0], email });
    await integrate(t);
    expect((await readLog(t, 'fair-pay')).checkpoint).toMatchObject({ size: 4, count: 4 });

    // The signer withdraws; an organizer rejects one, marks one fraudulent, and approves the rejected one again.
    expect((await t.app.inject({ method: 'POST', url: withdraw['ada@example.org']! })).statusCode).toBe(200);
    await moderate(t, await idOf('grace@example.org'), 'reject');
    await moderate(t, await idOf('alan@example.org'), 'fraudulent');
    await moderate(t, await idOf('grace@example.org'), 'approve');
    // Hiding changes no count, so no entry.
    await moderate(t, await idOf('edsger@example.org'), 'hide');
    await integrate(t);

    const log = await readLog(t, 'fair-pay');
    const kinds = log.entries.map((e) => [parseEntry(e)?.kind, parseEntry(e)?.sig]);
    expect(kinds.slice(4)).toEqual([
      ['withdraw', await sigOf('ada@example.org')],
      ['remove', await sigOf('grace@example.org')],
      ['remove', await sigOf('alan@example.org')],
      ['restore', await sigOf('grace@example.org')],
    ]);
    expect(log.checkpoint).toMatchObject({ size: 8, count: 2 });
    expect(await apiCount()).toBe(2);
    expect(await letterCount(t, 'fair-pay')).toBe(2);
  });

  it('write no entry for what does not move the count: held, late or already counted', async () => {
    await signAndConfirm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    // The same name again is held for review: not counted, no entry.
    await signAndConfirm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada2@example.org' });
    expect(await t.one("SELECT status FROM signatures WHERE email = 'ada2@example.org'")).toBe('held');
    // Confirming twice writes nothing more.
    const { verify } = await latestLinks(t, 'ada@example.org');
    await t.app.inject({ method: 'POST', url: verify! });
    expect(await t.one('SELECT count(*) FROM log_queue')).toBe(1);
    // Approving the held one counts it: a confirm (it was never removed).
    await moderate(t, await idOf('ada2@example.org'), 'approve');
    await integrate(t);
    expect((await readLog(t, 'fair-pay')).entries.map((e) => parseEntry(e)?.kind)).toEqual(['confirm', 'confirm']);
  });

  it('keep every checkpoint, and a checkpoint never shrinks', async () => {
    const sizes: number[] = [];
    for (let i = 0; i < 3; i++) {
      await addConfirmed(t, letterId, `Signer ${i}`, t.clock.now());
      await integrate(t);
      sizes.push((await readCheckpoint(t, 'fair-pay')).checkpoint.size);
    }
    // Nothing queued: no new checkpoint.
    await integrate(t);
    expect(sizes).toEqual([1, 2, 3]);
    expect(await t.sql('SELECT size, count FROM log_checkpoints ORDER BY size')).toEqual([
      { size: 1, count: 1 },
      { size: 2, count: 2 },
      { size: 3, count: 3 },
    ]);
  });
});

describe('the /api page', () => {
  it('explains the log to journalists, with the key and the verifier to download', async () => {
    const page = await get(t, '/api');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="public-log"');
    expect(page.body).toContain(t.app.services.log.verifierKey);
    const link = /href="(\/static\/verify-log\.mjs\?v=[0-9a-f]{12})"/.exec(page.body)?.[1];
    expect(link).toBeDefined();
    const script = await get(t, link!);
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain('verifyLog');
  });
});

describe('the integrator', () => {
  it('runs in the background and sequences a confirmation within two seconds of its commit', async () => {
    await signAndConfirm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    const committed = Date.now();
    // The background jobs (and the mail worker, which clears sent mail: the links were read first).
    t.app.services.startBackground();
    await expect.poll(async () => (await readCheckpoint(t, 'fair-pay')).checkpoint.size, { timeout: 2000, interval: 100 }).toBe(1);
    expect(Date.now() - committed).toBeLessThan(2000);
  });

  it('backfills signatures counted before the log, once, so the log replays to the counter', async () => {
    for (const name of ['Ada Lovelace', 'Grace Hopper', 'Alan Turing']) await addConfirmed(t, letterId, name, t.clock.now());
    // As a database from before the log: counted signatures without ids, nothing queued.
    await t.sql('UPDATE signatures SET log_sig = NULL, log_salt = NULL, log_commitment = NULL');
    await t.sql('DELETE FROM log_queue');
    expect(await integrate(t)).toBe(3);
    expect((await readLog(t, 'fair-pay')).checkpoint).toMatchObject({ size: 3, count: 3 });
    expect(await t.one('SELECT count(*) FROM signatures WHERE log_sig IS NULL')).toBe(0);
    expect(await integrate(t)).toBe(0);
  });
});

describe('tiles and entry bundles', () => {
  beforeEach(async () => {
    for (let i = 0; i < 300; i++) await addConfirmed(t, letterId, `Signer Number ${i}`, new Date(Date.UTC(2026, 5, 1, 12, i)));
    await integrate(t);
  });

  it('are byte-exact for full and partial widths, at every level', async () => {
    const log = await readLog(t, 'fair-pay');
    expect(log.checkpoint).toMatchObject({ size: 300, count: 300 });
    const leaves = log.entries.map((e) => leafHash(Buffer.from(e, 'utf8')));

    const full = await get(t, '/letters/fair-pay/log/tile/0/000');
    expect(full.headers['content-type']).toBe('application/octet-stream');
    expect(full.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(full.headers['access-control-allow-origin']).toBe('*');
    expect(full.rawPayload).toEqual(Buffer.concat(leaves.slice(0, 256)));
    // Served again from memory, the same bytes.
    expect((await get(t, '/letters/fair-pay/log/tile/0/000')).rawPayload).toEqual(full.rawPayload);

    const partial = await get(t, '/letters/fair-pay/log/tile/0/001.p/44');
    expect(partial.headers['cache-control']).toMatch(/^public, max-age=\d+, stale-while-revalidate/);
    expect(partial.rawPayload).toEqual(Buffer.concat(leaves.slice(256, 300)));
    // A narrower partial tile is the start of the same hashes.
    expect((await get(t, '/letters/fair-pay/log/tile/0/001.p/3')).rawPayload).toEqual(Buffer.concat(leaves.slice(256, 259)));
    // Level 1 holds the root of each full level-0 tile.
    expect((await get(t, '/letters/fair-pay/log/tile/1/000.p/1')).rawPayload).toEqual(rootOf(leaves.slice(0, 256)));

    const bundle = parseEntryBundle((await get(t, '/letters/fair-pay/log/tile/entries/000')).rawPayload);
    expect(bundle?.map((b) => b.toString('utf8'))).toEqual(log.entries.slice(0, 256));
    const rest = parseEntryBundle((await get(t, '/letters/fair-pay/log/tile/entries/001.p/44')).rawPayload);
    expect(rest?.map((b) => b.toString('utf8'))).toEqual(log.entries.slice(256));
    expect(rootOf(leaves)).toEqual(nodeHash(rootOf(leaves.slice(0, 256)), rootOf(leaves.slice(256))));
  });

  it('answer bad or future paths with a clear JSON error, never a 500', async () => {
    const cases: Array<[string, number]> = [
      ['0/1', 400],
      ['0/x000/001', 400],
      ['0/000.p/256', 400],
      ['0/000.p/0', 400],
      ['64/000', 400],
      ['entries/abc', 400],
      ['entries/000.p/1/more', 400],
      ['0/002', 404],
      ['0/001', 404],
      ['0/001.p/45', 404],
      ['2/000.p/1', 404],
      ['entries/001', 404],
    ];
    for (const [path, status] of cases) {
      const res = await get(t, `/letters/fair-pay/log/tile/${path}`);
      expect(res.statusCode, path).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body).error.message.length).toBeGreaterThan(10);
    }
  });
});
