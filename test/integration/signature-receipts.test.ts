// Signers' receipts: reached through their own confirmation link, they prove inclusion of their
// entry against the first checkpoint that held it, and carry the salt that a signer who is not
// listed publicly has nowhere else.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../src/domain/checkpoint.js';
import { commitment, parseEntry } from '../../src/domain/log-entry.js';
import { leafHash, verifyInclusion } from '../../src/domain/merkle.js';
import { openNote, parseVerifierKey } from '../../src/domain/signed-note.js';
import type { Receipt } from '../../src/log/log-service.js';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { STORE } from '../helpers/database.js';
import { get, integrate, readLog } from '../helpers/log.js';
import { latestLinks, moderate, signatureIdOf } from '../helpers/signers.js';

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp();
  await seedLetter(t.app);
});

afterEach(async () => {
  await t.close();
});

/** Signs and confirms; returns the confirmation link (whose receipt it is) and the thanks page. */
async function confirm(body: Record<string, unknown>) {
  expect((await signViaApi(t, 'fair-pay', body)).statusCode).toBe(202);
  const { verify } = await latestLinks(t, String(body.email));
  const page = await t.app.inject({ method: 'POST', url: verify! });
  expect(page.statusCode).toBe(200);
  return { verify: verify!, page: page.body };
}

async function receiptOf(verify: string): Promise<Receipt> {
  const res = await get(t, `${verify}/receipt`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.headers['content-disposition']).toBe('attachment; filename="signature-receipt-fair-pay.json"');
  expect(res.headers['cache-control']).toBe('no-store');
  return JSON.parse(res.body);
}

/** Everything a receipt claims, checked with nothing but its own contents and the verifier key. */
function expectProves(receipt: Receipt) {
  const checkpoint = parseCheckpoint(openNote(receipt.checkpoint, parseVerifierKey(receipt.verifier_key)));
  expect(checkpoint?.origin).toBe(receipt.origin);
  const entry = parseEntry(receipt.entry);
  expect(entry).toMatchObject({ kind: 'confirm', sig: receipt.sig });
  expect(entry?.commit).toBe(commitment(Buffer.from(receipt.salt, 'base64'), receipt.fields));
  const proof = receipt.inclusion_proof.map((h) => Buffer.from(h, 'base64'));
  expect(verifyInclusion(receipt.index, checkpoint!.size, leafHash(Buffer.from(receipt.entry)), proof, checkpoint!.root)).toBe(true);
  return checkpoint!;
}

describe('the thanks page', () => {
  it('says the signature is in the public log and offers its receipt; a held one has none yet', async () => {
    const { verify, page } = await confirm({ name: 'Ada Lovelace', email: 'ada@example.org' });
    expect(page).toContain('Your signature is in this letter’s public log');
    expect(page).toContain(`href="${verify}/receipt"`);
    // Opening the link again shows the same.
    expect((await get(t, verify)).body).toContain(`href="${verify}/receipt"`);

    const held = await confirm({ name: 'Ada Lovelace', email: 'ada.again@example.org' });
    expect(held.page).not.toContain('/receipt');
    expect((await get(t, `${held.verify}/receipt`)).statusCode).toBe(404);
  });
});

describe('a receipt', () => {
  it('proves inclusion against the first checkpoint that held the entry', async () => {
    const ada = await confirm({ name: 'Ada Lovelace', email: 'ada@example.org', title: 'Analyst', country: 'GB' });
    await integrate(t);
    for (const name of ['Grace Hopper', 'Alan Turing', 'Edsger Dijkstra']) {
      await confirm({ name, email: `${name.split(' ')[0]?.toLowerCase()}@example.org` });
      await integrate(t);
    }
    const grace = await receiptOf((await latestLinks(t, 'grace@example.org')).verify!);
    const first = await receiptOf(ada.verify);
    expect(first).toMatchObject({
      letter: 'http://127.0.0.1:3000/letters/fair-pay',
      origin: '127.0.0.1:3000/letters/fair-pay',
      verifier_key: t.app.services.log.verifierKey,
      fields: { name: 'Ada Lovelace', title: 'Analyst', organisation: '', country: 'GB' },
      index: 0,
    });
    expect(expectProves(first).size).toBe(1);
    expect(grace.index).toBe(1);
    expect(expectProves(grace).size).toBe(2);
    // The log it points into is the one served.
    expect((await readLog(t, 'fair-pay')).entries[0]).toBe(first.entry);
  });

  it('is ready at once even before the background job ran: the entry is sequenced on demand', async () => {
    const { verify } = await confirm({ name: 'Ada Lovelace', email: 'ada@example.org' });
    expect(await t.one('SELECT count(*) FROM log_queue')).toBe(1);
    expect(expectProves(await receiptOf(verify)).size).toBe(1);
    expect(await t.one('SELECT count(*) FROM log_queue')).toBe(0);
  });

  it.skipIf(STORE !== 'postgres')('says it will be ready in a few seconds while another process sequences the log', async () => {
    const { verify } = await confirm({ name: 'Ada Lovelace', email: 'ada@example.org' });
    // Another process holds the integrator's lock (the key the store derives from the job's name).
    const holder = new pg.Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      const key = createHash('sha256').update('undersigned:job:log-integrator').digest().readBigInt64BE(0).toString();
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      const res = await get(t, `${verify}/receipt`);
      expect(res.statusCode).toBe(202);
      expect(res.headers.refresh).toBe('3');
      expect(res.body).toContain('ready in a few seconds');
    } finally {
      await holder.end();
    }
    expect((await get(t, `${verify}/receipt`)).statusCode).toBe(200);
  });

  it('is the only place a signer who is not listed gets their salt', async () => {
    const { verify } = await confirm({ name: 'Private Person', email: 'private@example.org', public: false });
    await confirm({ name: 'Public Person', email: 'public@example.org' });
    await integrate(t);
    const salt = await t.one<string>("SELECT log_salt FROM signatures WHERE email = 'private@example.org'");
    const publicSalt = await t.one<string>("SELECT log_salt FROM signatures WHERE email = 'public@example.org'");
    const everywhere = [
      (await get(t, '/api/v1/letters/fair-pay/signatures')).body,
      (await get(t, '/api/v1/letters/fair-pay')).body,
      (await get(t, '/letters/fair-pay')).body,
      (await get(t, '/letters/fair-pay/log/checkpoint')).body,
      (await get(t, '/letters/fair-pay/log/tile/entries/000.p/2')).body,
      (await get(t, '/letters/fair-pay/log/tile/0/000.p/2')).body,
    ].join('\n');
    expect(everywhere).toContain(publicSalt);
    expect(everywhere).not.toContain(salt);
    expect(everywhere).not.toContain('Private Person');
    expect((await receiptOf(verify)).salt).toBe(salt);
  });

  it('is not there for a link that is not ours, or a signature that stopped counting', async () => {
    expect((await get(t, `/verify/${'x'.repeat(43)}/receipt`)).statusCode).toBe(404);
    expect((await get(t, '/verify/short/receipt')).statusCode).toBe(404);
    const { verify } = await confirm({ name: 'Ada Lovelace', email: 'ada@example.org' });
    await moderate(t, await signatureIdOf(t, 'ada@example.org'), 'reject');
    const res = await get(t, `${verify}/receipt`);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('There is no receipt at this link');
  });
});
