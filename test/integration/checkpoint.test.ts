// WAL checkpoints run on a thread of their own (src/db/checkpointer.ts): the app's connection
// never checkpoints while the thread works, the database file still receives every write, and
// the app's connection takes checkpoints back if the thread dies.
import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { startWorker: false });
  await seedLetter(t.app);
});

afterEach(async () => {
  await t.close();
});

const autoCheckpoint = () => t.app.deps.db.$client.pragma('wal_autocheckpoint', { simple: true });
const fileSize = () => statSync(t.config.databasePath).size;

async function within(ms: number, condition: () => boolean): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}

async function signMany(count: number, tag: string) {
  for (let i = 0; i < count; i++) {
    const res = await signViaApi(t, 'fair-pay', { name: `Signer ${tag} ${i}`, email: `${tag}-${i}@example.org`, country: 'FR' });
    expect(res.statusCode).toBe(202);
  }
}

describe('WAL checkpoints', () => {
  it('copy writes into the database file from the thread, while the app connection never checkpoints', async () => {
    expect(autoCheckpoint()).toBe(0);
    const before = fileSize();
    await signMany(300, 'a');
    expect(await within(3000, () => fileSize() > before)).toBe(true);
  });

  it('fall back to the app connection when the thread dies', async () => {
    await t.app.deps.checkpointer.kill();
    expect(autoCheckpoint()).toBe(1000);
    await signMany(20, 'b');
    expect(t.app.deps.db.$client.prepare('SELECT count(*) FROM signatures').pluck().get()).toBe(20);
  });
});
