// Erasing a signer (GDPR): by an organizer from the signatures page, or from the command line.
// Their data and salt are gone, a counted signature stops counting with a `withdraw` in the
// public log, the log stays valid, the address can sign again; and `check` holds the log to
// the database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEntry } from '../../src/domain/log-entry.js';
import { generateSigningKey } from '../../src/domain/signed-note.js';
import { letterCount, makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { integrate, readLog } from '../helpers/log.js';
import { type Browser, signedInOrganizer } from '../helpers/organizer.js';
import { moderate, signAndConfirm, signatureIdOf } from '../helpers/signers.js';

let t: TestApp;
let letterId: number;

beforeEach(async () => {
  t = await makeTestApp();
  letterId = (await seedLetter(t.app)).id;
});

afterEach(async () => {
  await t.close();
});

const idOf = (email: string) => signatureIdOf(t, email);
const page = (path = '') => `/organize/letters/${letterId}/signatures${path}`;
const cli = (args: string[]) => runCli(args, { DATABASE_URL: t.databaseUrl, DATA_DIR: t.dir, PUBLIC_URL: t.config.PUBLIC_URL });

/** Every row the database keeps that mentions the text (tables where a signer's data could be). */
async function mentions(text: string): Promise<number> {
  const like = `%${text}%`;
  return (
    (await t.one(
      "SELECT count(*) FROM signatures WHERE name LIKE ? OR email LIKE ? OR coalesce(title, '') LIKE ? OR coalesce(comment, '') LIKE ?",
      like,
      like,
      like,
      like,
    )) +
    (await t.one('SELECT count(*) FROM outbox WHERE "to" LIKE ? OR data LIKE ?', like, like)) +
    (await t.one('SELECT count(*) FROM notable_signatories WHERE name LIKE ?', like)) +
    (await t.one("SELECT count(*) FROM audit_log WHERE coalesce(before, '') LIKE ? OR coalesce(after, '') LIKE ?", like, like)) +
    (await t.one('SELECT count(*) FROM log_entries WHERE entry LIKE ?', like))
  );
}

describe('an organizer erasing a signer', () => {
  let owner: Browser;
  beforeEach(async () => {
    owner = (await signedInOrganizer(t, { email: 'owner@example.org', collective: 'artists-united', role: 'owner' })).browser;
  });

  it('deletes their data and salt, takes a counted signature off the count with a withdraw in the log, and keeps the log valid', async () => {
    await signAndConfirm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org', title: 'Analyst', comment: 'Count me in' });
    await signAndConfirm(t, 'fair-pay', { name: 'Grace Hopper', email: 'grace@example.org' });
    const id = await idOf('ada@example.org');
    const sig = await t.one<string>('SELECT log_sig FROM signatures WHERE id = ?', id);
    // Promoted to the notable signatories: her name is there too.
    await t.sql(
      'INSERT INTO notable_signatories (letter_id, name, name_key, description, signature_id, position) VALUES (?, ?, ?, ?, ?, ?)',
      letterId,
      'Ada Lovelace',
      'ada lovelace',
      'Analyst',
      id,
      1,
    );
    await integrate(t);
    const before = await readLog(t, 'fair-pay');

    const list = await owner.get(page());
    expect(list.body).toContain(`href="${page(`/${id}/erase`)}"`);
    const confirmPage = await owner.get(page(`/${id}/erase`));
    expect(confirmPage.statusCode).toBe(200);
    expect(confirmPage.body).toContain('ada@example.org');
    expect(confirmPage.body).toContain('it will stop counting');
    const done = await owner.post(page(`/${id}/erase`), {});
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${page()}?notice=erased_counted`);
    expect((await owner.get(String(done.headers.location))).body).toContain('the public log records it as withdrawn');

    expect(await letterCount(t, 'fair-pay')).toBe(1);
    for (const text of ['ada@example.org', 'Ada Lovelace', 'Analyst', 'Count me in']) expect(await mentions(text), text).toBe(0);
    expect(await t.one('SELECT count(*) FROM signature_tokens WHERE signature_id = ?', id)).toBe(0);
    const [audit] = await t.sql<{ action: string; target_id: number; before: string; after: string }>(
      "SELECT action, target_id, before, after FROM audit_log WHERE action = 'signature.erase'",
    );
    expect(audit).toMatchObject({ target_id: id, before: '{"status":"verified","hidden":false}', after: '{"erased":true}' });

    await integrate(t);
    const after = await readLog(t, 'fair-pay');
    expect(after.checkpoint).toMatchObject({ size: 3, count: 1 });
    expect(after.entries.slice(0, 2)).toEqual(before.entries);
    expect(parseEntry(after.entries[2] ?? '')).toMatchObject({ kind: 'withdraw', sig });
    expect((await cli(['check'])).code).toBe(0);

    // The address may sign again, as anyone new: counted, under a new id in the log.
    await signAndConfirm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    expect(await letterCount(t, 'fair-pay')).toBe(2);
    expect(await t.one<string>('SELECT log_sig FROM signatures WHERE email = ?', 'ada@example.org')).not.toBe(sig);
  });

  it('erases a signature that does not count without touching the count or the log', async () => {
    await signViaApi(t, 'fair-pay', { name: 'Pending Pat', email: 'pat@example.org' });
    await signAndConfirm(t, 'fair-pay', { name: 'Rejected Rita', email: 'rita@example.org' });
    await moderate(t, await idOf('rita@example.org'), 'reject');
    await integrate(t);
    for (const email of ['pat@example.org', 'rita@example.org']) {
      const res = await owner.post(page(`/${await idOf(email)}/erase`), {});
      expect(res.headers.location).toBe(`${page()}?notice=erased`);
    }
    expect(await t.one('SELECT count(*) FROM signatures')).toBe(0);
    expect(await t.one('SELECT count(*) FROM log_queue')).toBe(0);
    expect((await readLog(t, 'fair-pay')).checkpoint).toMatchObject({ size: 2, count: 0 });
    // An erased signature is gone: erasing it again names nothing.
    expect((await owner.post(page('/999999/erase'), {})).statusCode).toBe(404);
  });

  it('is for owners and moderators, not editors', async () => {
    await signAndConfirm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    const id = await idOf('ada@example.org');
    const editor = (await signedInOrganizer(t, { email: 'ed@example.org', collective: 'artists-united', role: 'editor' })).browser;
    expect((await editor.get(page(`/${id}/erase`))).statusCode).toBe(403);
    expect((await editor.post(page(`/${id}/erase`), {})).statusCode).toBe(403);
    const moderator = (await signedInOrganizer(t, { email: 'mo@example.org', collective: 'artists-united', role: 'moderator' })).browser;
    expect((await moderator.post(page(`/${id}/erase`), {})).statusCode).toBe(303);
    expect(await letterCount(t, 'fair-pay')).toBe(0);
  });
});

describe('npm run cli -- erase-signer', () => {
  it('erases by letter and address, audited as from the command line', async () => {
    await signAndConfirm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    const id = await idOf('ada@example.org');
    const done = await cli(['erase-signer', '--letter', 'fair-pay', '--email', 'Ada@Example.org']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`Erased signature #${id} from "fair-pay"`);
    expect(done.stdout).toContain('the public log records a withdrawal');
    expect(await mentions('ada@example.org')).toBe(0);
    expect(await t.one("SELECT after FROM audit_log WHERE action = 'signature.erase'")).toBe('{"erased":true,"via":"cli"}');
    expect(await letterCount(t, 'fair-pay')).toBe(0);
    expect(await t.sql('SELECT kind FROM log_queue ORDER BY id')).toEqual([{ kind: 'confirm' }, { kind: 'withdraw' }]);

    const again = await cli(['erase-signer', '--letter', 'fair-pay', '--email', 'ada@example.org']);
    expect(again).toMatchObject({ code: 1, stderr: 'No signature by ada@example.org on "fair-pay".\n' });
    expect((await cli(['erase-signer', '--letter', 'nope', '--email', 'ada@example.org'])).code).toBe(1);
    expect((await cli(['erase-signer', '--letter', 'fair-pay'])).code).toBe(2);
  });
});

describe('npm run cli -- check and the log', () => {
  it('passes while the log replays to the counter, and fails when an entry is lost', async () => {
    await signAndConfirm(t, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@example.org' });
    const withdraw = await signAndConfirm(t, 'fair-pay', { name: 'Grace Hopper', email: 'grace@example.org' });
    await t.app.inject({ method: 'POST', url: withdraw });
    // Queued entries count as the log's latest word: no drift before the integrator runs.
    const queued = await cli(['check']);
    expect(queued.code, queued.stdout).toBe(0);
    expect(queued.stdout).toContain('every public log replays to its count');
    await integrate(t);
    expect((await cli(['check'])).code).toBe(0);

    // A confirmation whose entry never reached the log.
    await signAndConfirm(t, 'fair-pay', { name: 'Alan Turing', email: 'alan@example.org' });
    await t.sql('DELETE FROM log_queue');
    const lost = await cli(['check']);
    expect(lost.code).toBe(1);
    expect(lost.stdout).toContain('fair-pay\tlog replayed count\tstored 1\tactual 2');
    expect(lost.stdout).toContain('fair-pay\tlog counted without a counting entry\tstored 1\tactual 0');
    expect(lost.stdout).toContain('Logs are append-only');
    // A repair rewrites counters only: the log still disagrees.
    expect((await cli(['check', '--repair'])).code).toBe(1);
  });

  it('prints a new signing key and its verifier key', async () => {
    const res = await runCli(['log-key'], { PUBLIC_URL: 'https://letters.example' });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^LOG_SIGNING_KEY=PRIVATE\+KEY\+letters\.example\+[0-9a-f]{8}\+\S{44}\n$/);
    expect(res.stderr).toMatch(/letters\.example\+[0-9a-f]{8}\+\S{44}/);
    expect(generateSigningKey('x')).not.toBe(res.stdout);
    expect((await runCli(['log-key', '--name', 'has space'], {})).code).toBe(2);
  });
});
