// Moving up: `copy-store` copies a SQLite site into an empty database (another SQLite file, or a
// PostgreSQL schema on the postgres run), checks both sides, and the copy serves and signs on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { testDatabase } from '../helpers/database.js';
import { signAndConfirm } from '../helpers/signers.js';

let dir: string;
let source: TestApp;
let destination: { url: string; drop(): Promise<void> };
beforeEach(async () => {
  dir = mkdtempSync(`${tmpdir()}/undersigned-copy-`);
  source = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { databaseUrl: `file:${dir}/source.db` });
  destination = await testDatabase(dir);
});
afterEach(async () => {
  await source.close();
  await destination.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('copy-store', () => {
  it('copies every row, reports both sides consistent, and the copy keeps signing', async () => {
    await seedLetter(source.app);
    await signAndConfirm(source, 'fair-pay', { name: 'Ada Lovelace', email: 'ada@copy.example', country: 'GB' });
    await signAndConfirm(source, 'fair-pay', { name: 'Grace Hopper', email: 'grace@copy.example', country: 'US' });

    const copied = await runCli(['copy-store', '--from', source.databaseUrl, '--to', destination.url], {});
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    expect(copied.stdout).toMatch(/signatures\s+2\n/);
    expect(copied.stdout).toContain('source: fair-pay 2 — every counter matches a recount');
    expect(copied.stdout).toContain('destination: fair-pay 2 — every counter matches a recount');

    const copy = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { dir, databaseUrl: destination.url });
    try {
      const count = await copy.app.inject({ url: '/api/v1/letters/fair-pay/count' });
      expect(count.json().signature_count).toBe(2);
      // New rows take ids after the copied ones (PostgreSQL's identities were moved on).
      await signAndConfirm(copy, 'fair-pay', { name: 'Katherine Johnson', email: 'katherine@copy.example' });
      expect((await copy.app.inject({ url: '/api/v1/letters/fair-pay/count' })).json().signature_count).toBe(3);
    } finally {
      await copy.close();
    }
  });

  it('refuses a destination that already holds data', async () => {
    await seedLetter(source.app);
    expect((await runCli(['copy-store', '--from', source.databaseUrl, '--to', destination.url], {})).code).toBe(0);
    const again = await runCli(['copy-store', '--from', source.databaseUrl, '--to', destination.url], {});
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('the destination already holds data');
  });

  it('asks for both addresses', async () => {
    const missing = await runCli(['copy-store', '--from', source.databaseUrl], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: npm run cli -- copy-store');
  });
});
