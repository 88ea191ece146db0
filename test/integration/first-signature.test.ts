// The rows a new signer's signing writes, column by column. PostgreSQL writes them in one
// statement (signatures/one-trip-signing.ts), SQLite through the general path: both must match
// the same expectation, so neither can drift from the other.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitment } from '../../src/domain/log-entry.js';
import { nameBlocks, nameKey } from '../../src/domain/name-key.js';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { queuedMail } from '../helpers/signers.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ SPIKE_GUARD: 'off' });
});
afterEach(async () => {
  await t.close();
});

const DAY = 86_400_000;
const sha256 = (token: string) => createHash('sha256').update(token).digest('base64url');

describe('a new signer', () => {
  it('gets a pending signature, a signed event, two links and one mail, exactly', async () => {
    const letter = await seedLetter(t.app);
    const now = t.clock.now().getTime();
    const res = await signViaApi(t, 'fair-pay', {
      name: 'Ana María López',
      email: 'Ana.Lopez@Example.org',
      title: 'Illustrator',
      organisation: 'Studio Norte',
      country: 'ES',
      public: false,
      comment: 'For every illustrator.',
      updates: true,
    });
    expect(res.statusCode).toBe(202);

    const key = nameKey('Ana María López');
    const blocks = nameBlocks(key);
    const [signature] = await t.sql('SELECT * FROM signatures');
    expect(signature).toEqual({
      id: expect.any(Number),
      letter_id: letter.id,
      language: 'en',
      letter_version: 1,
      name: 'Ana María López',
      name_key: key,
      name_head: blocks.head,
      name_tail: blocks.tail,
      name_len: blocks.length,
      email: 'Ana.Lopez@Example.org',
      email_key: 'ana.lopez@example.org',
      title: 'Illustrator',
      organisation: 'Studio Norte',
      country: 'ES',
      is_public: 0,
      hidden: 0,
      comment: 'For every illustrator.',
      status: 'pending',
      hold_reason: null,
      previously_refused: 0,
      matched_signature_id: null,
      matched_notable_id: null,
      possible_duplicate_of: null,
      ip: '127.0.0.1',
      // Its id in the public log, its salt, and the commitment confirming will copy into the log.
      log_sig: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      log_salt: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/),
      log_commitment: commitment(Buffer.from(String(signature?.log_salt), 'base64'), {
        name: 'Ana María López',
        title: 'Illustrator',
        organisation: 'Studio Norte',
        country: 'ES',
      }),
      last_mail_at: now,
      created_at: now,
      verified_at: null,
      updated_at: now,
      updates_consent_at: now,
      updates_consent_wording: 'updates-v1',
      updates_unsubscribed_at: null,
    });
    const id = signature?.id;

    expect(
      await t.sql('SELECT signature_id, letter_id, type, from_status, to_status, count_delta, organizer_id, at FROM signature_events'),
    ).toEqual([
      {
        signature_id: id,
        letter_id: letter.id,
        type: 'signed',
        from_status: null,
        to_status: 'pending',
        count_delta: 0,
        organizer_id: null,
        at: now,
      },
    ]);

    const mail = await queuedMail(t, 'Ana.Lopez@Example.org');
    const [outbox] = await t.sql<{ data: string }>(
      'SELECT kind, "to", status, attempts, next_attempt_at, created_at, priority, update_id, signature_id, data FROM outbox',
    );
    const data = JSON.parse(String(outbox?.data));
    expect({ ...outbox, data: Object.keys(data).sort() }).toEqual({
      kind: 'verify',
      to: 'Ana.Lopez@Example.org',
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      priority: 0,
      update_id: null,
      signature_id: null,
      data: ['letterSlug', 'letterTitle', 'locale', 'name', 'verifyToken', 'withdrawToken'],
    });
    // The mail is written in the language of the page signed on (English here).
    expect(data).toMatchObject({ name: 'Ana María López', letterTitle: 'Fair pay for artists', letterSlug: 'fair-pay', locale: 'en' });
    expect(mail?.text).toContain(data.verifyToken);

    // Only the links' hashes are stored, each with its lifetime.
    expect(
      await t.sql('SELECT signature_id, purpose, token_hash, expires_at, used_at, created_at FROM signature_tokens ORDER BY purpose'),
    ).toEqual([
      {
        signature_id: id,
        purpose: 'verify',
        token_hash: sha256(data.verifyToken),
        expires_at: now + 7 * DAY,
        used_at: null,
        created_at: now,
      },
      {
        signature_id: id,
        purpose: 'withdraw',
        token_hash: sha256(data.withdrawToken),
        expires_at: now + 365 * DAY,
        used_at: null,
        created_at: now,
      },
    ]);
  });

  it('writes nothing new when the address is already on the letter, and mails again only after a while', async () => {
    await seedLetter(t.app);
    expect((await signViaApi(t, 'fair-pay', { name: 'Ana López', email: 'ana@example.org' })).statusCode).toBe(202);
    expect((await signViaApi(t, 'fair-pay', { name: 'Ana Lopez', email: 'ANA@example.org' })).statusCode).toBe(202);
    expect(await t.one('SELECT count(*) AS n FROM signatures')).toBe(1);
    expect(await t.one('SELECT count(*) AS n FROM outbox')).toBe(1);
    t.clock.advance(61_000);
    expect((await signViaApi(t, 'fair-pay', { name: 'Ana López', email: 'ana@example.org' })).statusCode).toBe(202);
    expect(await t.one('SELECT count(*) AS n FROM signatures')).toBe(1);
    expect(await t.sql('SELECT type FROM signature_events')).toEqual([{ type: 'signed' }]);
    expect(await t.one('SELECT count(*) AS n FROM outbox')).toBe(2);
  });
});
