// Near-match search reads each blocking index on its own (signature-repo.ts): an edit near the end
// of a name is found through the head block, one near the start through the tail block, and
// signatures that are not confirmed are never matched.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { queuedMail } from '../helpers/signers.js';

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp({}, { startBackground: false });
  await seedLetter(t.app);
});

afterEach(async () => {
  await t.close();
});

async function sign(name: string, email: string) {
  expect((await signViaApi(t, 'fair-pay', { name, email })).statusCode).toBe(202);
  const text = (await queuedMail(t, email, 'verify'))?.text ?? '';
  return /\/verify\/([A-Za-z0-9_-]{43})/.exec(text)?.[1] as string;
}

async function confirm(token: string) {
  expect((await t.app.inject({ method: 'POST', url: `/verify/${token}` })).statusCode).toBe(200);
}

const row = async (email: string) =>
  (
    await t.sql<{ id: number; status: string; near: number | null }>(
      'SELECT id, status, possible_duplicate_of AS near FROM signatures WHERE email = ?',
      email,
    )
  )[0]!;

describe('near-match search', () => {
  it('finds an edit in the last characters through the head block', async () => {
    // Name keys "ada lovelace" and "ada lovelacy": the same head, different tails.
    await confirm(await sign('Ada Lovelace', 'ada@example.org'));
    await confirm(await sign('Ada Lovelacy', 'ada2@example.org'));
    expect(await row('ada2@example.org')).toMatchObject({ status: 'verified', near: (await row('ada@example.org')).id });
  });

  it('finds an edit in the first characters through the tail block', async () => {
    // Name keys "bryony quist" and "cryony quist": different heads, the same tail.
    await confirm(await sign('Bryony Quist', 'b1@example.org'));
    await confirm(await sign('Cryony Quist', 'b2@example.org'));
    expect((await row('b2@example.org')).near).toBe((await row('b1@example.org')).id);
  });

  it('never matches a signature that is not confirmed', async () => {
    await sign('Katherine Johnson', 'kj@example.org');
    await confirm(await sign('Katherine Jonson', 'kj2@example.org'));
    expect(await row('kj2@example.org')).toMatchObject({ status: 'verified', near: null });
  });
});
