// Upgrading a database written by an earlier version of the site: every signature, count, link
// and queued mail survives the migrations and keeps working.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { commitment, parseEntry } from '../../src/domain/log-entry.js';
import { findDrift } from '../../src/signatures/counter-check.js';
import { letterCount, makeTestApp, signViaApi, type TestApp } from '../helpers/app.js';
import { integrate, readLog } from '../helpers/log.js';
import { latestLinks, queuedMail } from '../helpers/signers.js';

const FIXTURE = new URL('../fixtures/db-before-lifecycle.sql', import.meta.url);

let t: TestApp | null = null;
let dir = '';
afterEach(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Restores the old database into a fresh folder and starts today's app on it. */
async function upgrade(): Promise<TestApp> {
  dir = mkdtempSync(join(tmpdir(), 'undersigned-upgrade-'));
  const old = new Database(join(dir, 'test.db'));
  // The dump lists tables alphabetically, children before parents.
  old.pragma('foreign_keys = OFF');
  old.exec(readFileSync(FIXTURE, 'utf8'));
  old.close();
  t = await makeTestApp({}, { dir, databaseUrl: `file:${join(dir, 'test.db')}`, startBackground: false });
  t.clock.set('2026-05-01T12:00:00Z');
  return t;
}

describe('a database from before the signature lifecycle', () => {
  it('keeps every signature and count, and its links and queued mail still work', async () => {
    const t = await upgrade();
    const sql = (query: string) => t.sql(query);
    expect(await sql('SELECT email, status, previously_refused AS refused FROM signatures ORDER BY id')).toEqual([
      { email: 'ada@example.org', status: 'verified', refused: 0 },
      { email: 'grace@example.org', status: 'verified', refused: 0 },
      { email: 'alan@example.org', status: 'withdrawn', refused: 0 },
      { email: 'ada2@example.org', status: 'held', refused: 0 },
      { email: 'pending@example.org', status: 'pending', refused: 0 },
      { email: 'rej@example.org', status: 'rejected', refused: 1 },
    ]);
    expect(await letterCount(t, 'fair-pay')).toBe(2);
    // The listed signatures' name words, for the public search: the counted two only.
    expect(await sql('SELECT signature_id AS id, word FROM signature_name_words ORDER BY signature_id, word')).toEqual([
      { id: 1, word: 'ada' },
      { id: 1, word: 'lovelace' },
      { id: 2, word: 'grace' },
      { id: 2, word: 'hopper' },
    ]);
    const found = await t.app.inject('/api/v1/letters/fair-pay/signatures?q=LOVE');
    expect((found.json() as { data: Array<{ name: string }> }).data.map((s) => s.name)).toEqual(['Ada Lovelace']);
    // Until the log's first run (within a second of starting) the counted signatures are not in it.
    expect((await findDrift(t.store)).map((d) => [d.counter, d.key])).toEqual([
      ['log', 'replayed count'],
      ['log', 'counted without a counting entry'],
    ]);
    await integrate(t);
    expect(await findDrift(t.store)).toEqual([]);
    // Withdrawal links had no expiry: they now last a year from when they were issued.
    expect(await sql('SELECT count(*) AS n FROM signature_tokens WHERE expires_at IS NULL')).toEqual([{ n: 0 }]);
    // The invitation knows who issued it, from the audit entry written with it.
    expect(await sql("SELECT issued_by FROM organizer_tokens WHERE purpose = 'invite'")).toEqual([{ issued_by: 1 }]);
    // Every member gets the moderators' digest unless they turn it off; no collective was digested yet.
    const members = await sql('SELECT moderation_digest AS digest FROM memberships');
    expect(members.length).toBeGreaterThan(0);
    expect(members.every((m) => (m as { digest: number }).digest === 1)).toBe(true);
    expect(await sql('SELECT count(*) AS n FROM collectives WHERE digested_at IS NOT NULL OR digested_event_id IS NOT NULL')).toEqual([
      { n: 0 },
    ]);
    // Every organizer account keeps its name and address and speaks English until they choose otherwise.
    const accounts = await sql('SELECT email, name, language FROM organizers ORDER BY id');
    expect(accounts.length).toBeGreaterThan(0);
    expect(accounts.every((o) => (o as { language: string }).language === 'en')).toBe(true);

    // Letters had no milestones: they have none now, and the page and API say so without failing.
    expect(await sql('SELECT milestones FROM letters')).toEqual([{ milestones: '[]' }]);
    expect((await t.app.inject('/api/v1/letters/fair-pay')).json().milestones).toEqual([]);
    expect((await t.app.inject('/letters/fair-pay')).body).not.toContain('Next milestone');

    // Letters were all written in English then, and every signature was given on an English page
    // of the version it recorded; no letter has translations yet.
    expect(await sql('SELECT slug, language, version FROM letters')).toEqual([{ slug: 'fair-pay', language: 'en', version: 1 }]);
    expect(await sql('SELECT DISTINCT language, letter_version AS version FROM signatures')).toEqual([{ language: 'en', version: 1 }]);
    expect(await sql('SELECT count(*) AS n FROM letter_translations')).toEqual([{ n: 0 }]);

    // Mail queued before the upgrade was rendered then: it is delivered as it was written.
    const pending = await queuedMail(t, 'pending@example.org');
    expect(pending?.kind).toBe('rendered');
    expect(pending?.subject).toBe('Confirm your signature: Fair pay for artists');
    const links = await latestLinks(t, 'pending@example.org');
    const grace = await latestLinks(t, 'grace@example.org');
    await t.app.services.mail.worker.flush();
    expect(await sql("SELECT count(*) AS n FROM outbox WHERE status = 'pending'")).toEqual([{ n: 0 }]);
    expect(await sql("SELECT count(*) AS n FROM outbox WHERE status = 'sent'")).toEqual([{ n: 6 }]);

    // Its confirmation link counts the signature; an old withdrawal link still withdraws.
    expect((await t.app.inject({ method: 'POST', url: links.verify! })).statusCode).toBe(200);
    expect(await letterCount(t, 'fair-pay')).toBe(3);
    expect((await t.app.inject({ method: 'POST', url: grace.withdraw! })).statusCode).toBe(200);
    expect(await letterCount(t, 'fair-pay')).toBe(2);

    // The signer rejected before the upgrade cannot sign their way back into the count.
    expect((await signViaApi(t, 'fair-pay', { name: 'Rejected Person', email: 'rej@example.org' })).statusCode).toBe(202);
    const again = await queuedMail(t, 'rej@example.org', 'verify');
    const verify = /\/verify\/[A-Za-z0-9_-]{43}/.exec(again?.text ?? '')?.[0];
    expect((await t.app.inject({ method: 'POST', url: verify! })).statusCode).toBe(200);
    expect(await sql("SELECT status, hold_reason AS reason FROM signatures WHERE email = 'rej@example.org'")).toEqual([
      { status: 'held', reason: 'previously_rejected' },
    ]);
    expect(await letterCount(t, 'fair-pay')).toBe(2);
    expect(await findDrift(t.store)).toEqual([]);
  });

  it('gives the signatures counted before the log a log of their own, in confirmation order, that replays to the counter', async () => {
    const t = await upgrade();
    // Ada confirmed after Grace (in the same hour, so no counter moves).
    await t.sql("UPDATE signatures SET verified_at = verified_at + 70000 WHERE email = 'ada@example.org'");
    expect(await integrate(t)).toBe(2);
    const log = await readLog(t, 'fair-pay');
    expect(log.checkpoint).toMatchObject({ size: 2, count: 2 });
    const rows = await t.sql<{ email: string; name: string; country: string; sig: string; salt: string; commit: string; at: number }>(
      'SELECT email, name, country, log_sig AS sig, log_salt AS salt, log_commitment AS "commit", verified_at AS at FROM signatures WHERE status = \'verified\' ORDER BY verified_at',
    );
    expect(rows.map((r) => r.email)).toEqual(['grace@example.org', 'ada@example.org']);
    rows.forEach((row, i) => {
      expect(row.commit).toBe(
        commitment(Buffer.from(row.salt, 'base64'), { name: row.name, title: null, organisation: null, country: row.country }),
      );
      expect(parseEntry(log.entries[i] ?? '')).toMatchObject({
        kind: 'confirm',
        sig: row.sig,
        commit: row.commit,
        at: `${new Date(row.at).toISOString().slice(0, 16)}Z`,
      });
    });
    // Nothing else was given an id yet: the others are not counted.
    expect(await t.one('SELECT count(*) FROM signatures WHERE log_sig IS NOT NULL')).toBe(2);
    // Runs once: a second integration finds nothing more to backfill.
    expect(await integrate(t)).toBe(0);

    // A signature pending since before the upgrade gets its id when it is confirmed; a withdrawal follows.
    const pending = await latestLinks(t, 'pending@example.org');
    const grace = await latestLinks(t, 'grace@example.org');
    expect((await t.app.inject({ method: 'POST', url: pending.verify! })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: grace.withdraw! })).statusCode).toBe(200);
    await integrate(t);
    const after = await readLog(t, 'fair-pay');
    expect(after.entries.slice(2).map((e) => parseEntry(e)?.kind)).toEqual(['confirm', 'withdraw']);
    expect(after.checkpoint).toMatchObject({ size: 4, count: 2 });
    expect(await letterCount(t, 'fair-pay')).toBe(2);
  });
});
