// The verifier anyone can run (static/verify-log.mjs), as a real process against the app
// listening on 127.0.0.1, and an independent implementation of the specs (Go's sumdb/note and
// sumdb/tlog, test/independent/verify-log.go) against the same log.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { integrate } from '../helpers/log.js';
import { freePort } from '../helpers/server.js';
import { latestLinks, moderate, signAndConfirm, signatureIdOf } from '../helpers/signers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end without blocking this process (the app under test answers it). */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let t: TestApp;
let url: string;
let dir: string;

beforeEach(async () => {
  const port = await freePort();
  t = await makeTestApp({ PUBLIC_URL: `http://127.0.0.1:${port}`, RATE_LIMIT: 'off' });
  await seedLetter(t.app);
  await t.app.listen({ host: '127.0.0.1', port });
  url = `http://127.0.0.1:${port}/letters/fair-pay`;
  dir = mkdtempSync(join(tmpdir(), 'undersigned-verify-'));
});

afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const verifyLog = (...args: string[]) => run(process.execPath, ['static/verify-log.mjs', ...args]);

async function signers(names: string[]) {
  for (const name of names) await signAndConfirm(t, 'fair-pay', { name, email: `${name.split(' ')[0]?.toLowerCase()}@example.org` });
  await integrate(t);
}

/** Rebuilds the whole log from its entries as they stand in the database, signed anew: a rewrite that hides itself. */
async function rebuildLog() {
  const entries = await t.sql<{ sig: string; kind: string; entry: string }>('SELECT sig, kind, entry FROM log_entries ORDER BY idx');
  for (const table of ['log_entries', 'log_hashes', 'log_checkpoints']) await t.sql(`DELETE FROM ${table}`);
  const letterId = await t.one("SELECT id FROM letters WHERE slug = 'fair-pay'");
  for (const e of entries)
    await t.sql('INSERT INTO log_queue (letter_id, sig, kind, entry) VALUES (?, ?, ?, ?)', letterId, e.sig, e.kind, e.entry);
  await integrate(t);
}

describe('npm run verify-log', () => {
  it('verifies a letter’s log, saves its state, and finds the next one consistent with it', async () => {
    const state = join(dir, 'state.json');
    const empty = await verifyLog(url, '--state', state);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('Checkpoint: 0 entries');
    await signers(['Ada Lovelace', 'Grace Hopper', 'Alan Turing']);
    await moderate(t, await signatureIdOf(t, 'alan@example.org'), 'reject');
    await integrate(t);
    const first = await verifyLog(url, '--state', state);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Checkpoint: 4 entries');
    expect(first.stdout).toContain("Count:      replaying the log gives 2 signatures, as its checkpoint and the site's API say");
    expect(first.stdout).toContain('OK: the log verifies');
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ origin: `${new URL(url).host}/letters/fair-pay`, size: 4, count: 2 });

    await signers(['Edsger Dijkstra', 'Barbara Liskov']);
    const second = await verifyLog(url, '--state', state);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('History:    extends the checkpoint of 4 entries');
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ size: 6, count: 4 });
  });

  it('fails when the log was rewritten since the saved state, even when the rewrite is signed and consistent in itself', async () => {
    await signers(['Ada Lovelace', 'Grace Hopper', 'Alan Turing']);
    const state = join(dir, 'state.json');
    expect((await verifyLog(url, '--state', state)).code).toBe(0);
    // Someone with the database changes when Grace signed, and rebuilds the log around it.
    await t.sql('UPDATE log_entries SET entry = replace(entry, \'"at":"2026-06-01T12:00Z"\', \'"at":"2026-05-01T12:00Z"\') WHERE idx = 1');
    await rebuildLog();
    // A first-time reader cannot tell …
    expect((await verifyLog(url)).code).toBe(0);
    // … but anyone who saw the log before can.
    const rewritten = await verifyLog(url, '--state', state);
    expect(rewritten.code).toBe(1);
    expect(rewritten.stderr).toContain('FAILED: the log was rewritten: it no longer extends the checkpoint of 3 entries');
    expect(JSON.parse(readFileSync(state, 'utf8')).size).toBe(3);
  });

  it('fails when an entry served does not hash to the signed checkpoint', async () => {
    await signers(['Ada Lovelace', 'Grace Hopper']);
    await t.sql('UPDATE log_entries SET entry = replace(entry, \'"kind":"confirm"\', \'"kind":"restore"\') WHERE idx = 0');
    const res = await verifyLog(url);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^FAILED: the entries hash to \S+, not to the checkpoint's root/);
  });

  it('checks a signer’s receipt, and refuses one whose salt does not open its commitment', async () => {
    await signers(['Ada Lovelace', 'Grace Hopper']);
    const receipt = await t.app.inject({ method: 'GET', url: `${(await latestLinks(t, 'ada@example.org')).verify}/receipt` });
    const file = join(dir, 'receipt.json');
    writeFileSync(file, receipt.body);
    await signers(['Alan Turing']);
    const ok = await verifyLog(url, '--receipt', file);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Receipt:    entry 0 confirms "Ada Lovelace"');
    expect(ok.stdout).toContain('the signature counts');

    writeFileSync(file, JSON.stringify({ ...JSON.parse(receipt.body), salt: Buffer.alloc(16).toString('base64') }));
    const forged = await verifyLog(url, '--receipt', file);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain('salt and fields do not make its entry');
  });

  it('keeps verifying after a signer is erased, consistent with what it saw before', async () => {
    await signers(['Ada Lovelace', 'Grace Hopper']);
    const state = join(dir, 'state.json');
    expect((await verifyLog(url, '--state', state)).code).toBe(0);
    const erased = await t.app.services.organizers.moderation.eraseByEmail('fair-pay', 'ada@example.org');
    expect(erased).toMatchObject({ counted: true });
    await integrate(t);
    const after = await verifyLog(url, '--state', state);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('replaying the log gives 1 signatures');
  });

  it('pins the key it saw first, and says how it was called wrongly', async () => {
    await signers(['Ada Lovelace']);
    const wrongKey = await verifyLog(url, '--key', 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('not PeterNeumann+c74f20a3');
    expect((await verifyLog()).code).toBe(2);
    expect((await verifyLog(url, '--colour')).code).toBe(2);
    const notLetter = await verifyLog(url.replace('/letters/fair-pay', '/about'));
    expect(notLetter).toMatchObject({ code: 1, stderr: expect.stringContaining("not a letter's address") });
    const missing = await verifyLog(url.replace('fair-pay', 'no-such-letter'));
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('answered 404') });
  });
});

// Go's golang.org/x/mod/sumdb (Debian: golang-go golang-golang-x-mod-dev). CI installs it and
// fails without it; elsewhere the check is left out with a line saying so.
const GOPATH = '/usr/share/gocode';
const HAS_GO =
  spawnSync('go', ['version']).status === 0 && spawnSync('test', ['-d', `${GOPATH}/src/golang.org/x/mod/sumdb/tlog`]).status === 0;
if (!HAS_GO) {
  if (process.env.CI) throw new Error('Go and golang.org/x/mod are required in CI: apt-get install -y golang-go golang-golang-x-mod-dev');
  process.stderr.write(
    'Go or golang.org/x/mod is missing (apt-get install -y golang-go golang-golang-x-mod-dev): the independent check is skipped.\n',
  );
}

describe.skipIf(!HAS_GO)('an independent implementation (Go’s sumdb/note and sumdb/tlog)', () => {
  const build = mkdtempSync(join(tmpdir(), 'undersigned-go-'));
  const binary = join(build, 'verify-log');
  const goEnv = { GO111MODULE: 'off', GOPATH, GOCACHE: join(tmpdir(), 'undersigned-go-cache'), GOFLAGS: '' };

  beforeAll(async () => {
    const built = await run('go', ['build', '-o', binary, 'test/independent/verify-log.go'], goEnv);
    expect(built.code, built.stderr).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(build, { recursive: true, force: true }));

  it('verifies the empty log and a log with every kind of entry, across a full tile', async () => {
    const key = t.app.services.log.verifierKey;
    const empty = await run(binary, [url, key]);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('0 entries');

    const letterId = await t.one<number>("SELECT id FROM letters WHERE slug = 'fair-pay'");
    for (let i = 0; i < 300; i++)
      await t.app.services.signing.addConfirmed(
        { letterId, name: `Signer Number ${i}`, email: `s${i}@example.org`, emailKey: `s${i}@example.org` },
        t.clock.now(),
      );
    await signers(['Ada Lovelace']);
    const ids = await t.sql<{ id: number }>('SELECT id FROM signatures ORDER BY id LIMIT 3');
    await moderate(t, ids[0]!.id, 'reject');
    await moderate(t, ids[0]!.id, 'approve');
    await moderate(t, ids[1]!.id, 'fraudulent');
    await integrate(t);
    const res = await run(binary, [url, key]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^ok: 127\.0\.0\.1:\d+\/letters\/fair-pay, 304 entries, root \S+, count 300\n$/);
    // And ours agrees.
    expect((await verifyLog(url)).stdout).toContain('replaying the log gives 300 signatures');

    // A wrong key is refused.
    const other = await run(binary, [url, 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW']);
    expect(other.code).toBe(1);
  }, 120_000);
});
