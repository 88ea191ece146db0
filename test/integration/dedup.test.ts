// One person, one signature: email aliases, name collisions, impersonation and races.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { letterCount, makeTestApp, recount, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { linkIn, SmtpSink } from '../helpers/smtp-sink.js';

let smtp: SmtpSink;
let t: TestApp;

beforeEach(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url });
  await seedLetter(t.app, { notable: [{ name: 'Kevin Bacon', description: 'actor' }] });
});

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

/** Signs through the API and confirms through the mailed link; returns the signature row. */
async function signAndConfirm(name: string, email: string, slug = 'fair-pay') {
  const before = smtp.for(email).length;
  expect((await signViaApi(t, slug, { name, email })).statusCode).toBe(202);
  await expect.poll(() => smtp.for(email).length, { timeout: 10_000 }).toBeGreaterThan(before);
  const mail = smtp.for(email).at(-1)!;
  const res = await t.app.inject({ method: 'POST', url: linkIn(mail, 'verify') });
  expect(res.statusCode).toBe(200);
  return (await t.sql('SELECT * FROM signatures WHERE email = ?', email))[0] as Record<string, unknown>;
}

function rows() {
  return t.sql<{
    id: number;
    name: string;
    status: string;
    holdReason: string | null;
    near: number | null;
  }>('SELECT id, name, status, hold_reason AS "holdReason", possible_duplicate_of AS near FROM signatures ORDER BY id');
}

describe('email identity', () => {
  it('counts the same mailbox once whatever alias is typed', async () => {
    await signAndConfirm('Jane Doe', 'janedoe@gmail.com');
    t.clock.advance(61_000);
    for (const alias of ['Jane.Doe+letters@GoogleMail.com', 'JANEDOE@gmail.com', 'j.a.n.e.doe@googlemail.com']) {
      expect((await signViaApi(t, 'fair-pay', { name: 'Jane Doe', email: alias })).statusCode).toBe(202);
      t.clock.advance(61_000);
    }
    expect(await rows()).toHaveLength(1);
    expect(await letterCount(t, 'fair-pay')).toBe(1);
    // Mail still goes to the address as typed.
    await smtp.waitFor('Jane.Doe+letters@GoogleMail.com', /already signed/i);
  });

  it('two concurrent requests with equivalent emails make one signature', async () => {
    const variants = ['ada@example.org', 'ADA@example.org', 'ada+x@example.org', ' Ada@Example.org', 'ada+y@EXAMPLE.ORG'];
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signViaApi(t, 'fair-pay', { name: 'Ada Lovelace', email: variants[i % variants.length] })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(202));
    expect(await rows()).toHaveLength(1);
  });

  it('two app instances on one database still make one signature (the unique index decides)', async () => {
    const other = await makeTestApp({ SMTP_URL: smtp.url }, { dir: t.dir, databaseUrl: t.databaseUrl });
    try {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          signViaApi(i % 2 ? other : t, 'fair-pay', { name: 'Ada Lovelace', email: i % 2 ? 'ada@example.org' : 'ADA+z@example.org' }),
        ),
      );
      expect(responses.every((r) => r.statusCode === 202)).toBe(true);
      expect(await rows()).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});

describe('name matching', () => {
  it('holds a second signature under the same name, and the CLI approves it', async () => {
    await signAndConfirm('John Smith', 'john1@example.org');
    const second = await signAndConfirm('Smith, John', 'john2@example.org');
    expect(second.status).toBe('held');
    expect(second.hold_reason).toBe('name_duplicate');
    expect(await letterCount(t, 'fair-pay')).toBe(1);
    expect((await t.app.inject('/letters/fair-pay')).body.match(/John Smith|Smith, John/g)).toHaveLength(1);

    const env = { DATABASE_URL: t.databaseUrl, DATA_DIR: t.dir };
    const held = await runCli(['held', 'fair-pay'], env);
    expect(held.code).toBe(0);
    expect(held.stdout).toContain(`#${second.id}`);
    expect(held.stdout).toContain('name_duplicate');

    const approve = await runCli(['approve', String(second.id)], env);
    expect(approve.stdout).toContain('held → verified');
    expect(await letterCount(t, 'fair-pay')).toBe(2);
    expect(await recount(t, 'fair-pay')).toBe(2);
  });

  it('rejecting a held duplicate through the CLI keeps it uncounted', async () => {
    await signAndConfirm('Zoë Kravitz', 'zoe1@example.org');
    const second = await signAndConfirm('ZOE KRAVITZ', 'zoe2@example.org');
    expect(second.status).toBe('held');
    const env = { DATABASE_URL: t.databaseUrl, DATA_DIR: t.dir };
    const reject = await runCli(['reject', String(second.id)], env);
    expect(reject.code).toBe(0);
    expect(reject.stdout).toContain('held → rejected');
    expect(await letterCount(t, 'fair-pay')).toBe(1);
    const missing = await runCli(['approve', '999999'], env);
    expect(missing.code).toBe(1);
    expect((await runCli(['approve', 'abc'], env)).code).toBe(2);
  });

  it('holds a signature impersonating a notable signatory, even with a look-alike letter', async () => {
    const fake = await signAndConfirm('Kevin B\u0430con', 'kevin@example.org');
    expect(fake.status).toBe('held');
    expect(fake.hold_reason).toBe('notable');
    expect(await letterCount(t, 'fair-pay')).toBe(0);
  });

  it('does not hold the signature a notable entry was promoted from', async () => {
    const real = await signAndConfirm('Meryl Streep', 'meryl@example.org');
    await t.sql(
      "INSERT INTO notable_signatories (letter_id, name, name_key, description, signature_id, position) VALUES (?, 'Meryl Streep', ?, 'actor', ?, 1)",
      real.letter_id,
      real.name_key,
      real.id,
    );
    // Withdraw and sign again with the same address: still the same signature row, not held.
    const withdraw = linkIn(smtp.for('meryl@example.org')[0]!, 'withdraw');
    await t.app.inject({ method: 'POST', url: withdraw });
    t.clock.advance(61_000);
    const again = await signAndConfirm('Meryl Streep', 'meryl@example.org');
    expect(again.status).toBe('verified');
    const other = await signAndConfirm('Meryl Streep', 'not-meryl@example.org');
    expect(other.status).toBe('held');
    expect(other.hold_reason).toBe('notable');
  });

  it('keeps different people apart and allows same names when the letter says so', async () => {
    await signAndConfirm('John Smith', 'a@example.org');
    expect((await signAndConfirm('John Smith Jr', 'b@example.org')).status).toBe('verified');
    expect((await signAndConfirm('Jon Smith', 'c@example.org')).status).toBe('verified');
    await seedLetter(t.app, { slug: 'allow-names', duplicate_names: 'allow' });
    await signAndConfirm('John Smith', 'd@example.org', 'allow-names');
    expect((await signAndConfirm('John Smith', 'e@example.org', 'allow-names')).status).toBe('verified');
    expect(await letterCount(t, 'allow-names')).toBe(2);
  });

  it('flags near matches as possible duplicates but counts them', async () => {
    const tom = await signAndConfirm('Tom Yorke', 'tom@example.org');
    const thom = await signAndConfirm('Thom Yorke', 'thom@example.org');
    expect(thom.status).toBe('verified');
    expect(thom.possible_duplicate_of).toBe(tom.id);
    expect(await letterCount(t, 'fair-pay')).toBe(2);
    const short = await signAndConfirm('Al Bo', 'al@example.org');
    await signAndConfirm('Al Boo', 'alboo@example.org');
    expect((await rows()).find((r) => r.id !== short.id && r.name === 'Al Boo')?.near).toBeNull();
  });
});
