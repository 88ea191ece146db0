// The signature lifecycle through the real app: what signers can and cannot do to a count, how
// links behave once used or expired, closed letters, and who may be made public.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { letterCount, makeTestApp, recount, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { type Browser, signedInOrganizer } from '../helpers/organizer.js';
import { latestLinks, queuedMail } from '../helpers/signers.js';

let t: TestApp;
let letterId: number;
let moderator: Browser;
const moderation = () => `/organize/letters/${letterId}/moderation`;

beforeEach(async () => {
  t = await makeTestApp();
  letterId = (await seedLetter(t.app)).id;
  moderator = (await signedInOrganizer(t, { email: 'owner@example.org', collective: 'artists-united', role: 'owner' })).browser;
});

afterEach(async () => {
  await t.close();
});

const one = <T = number>(query: string, ...params: unknown[]) => t.one<T>(query, ...params);
const signature = async (email: string) =>
  (
    await t.sql<{ id: number; status: string; hold_reason: string | null }>(
      'SELECT id, status, hold_reason FROM signatures WHERE email = ?',
      email,
    )
  )[0]!;

async function expectCount(n: number) {
  expect(await letterCount(t, 'fair-pay')).toBe(n);
  expect(await recount(t, 'fair-pay')).toBe(n);
}

async function sign(email: string, name = 'Sam Signer') {
  expect((await signViaApi(t, 'fair-pay', { name, email })).statusCode).toBe(202);
  return latestLinks(t, email);
}

async function decide(action: 'approve' | 'reject' | 'fraudulent', id: number) {
  await moderator.get(moderation());
  const res = await moderator.post(moderation(), { one: `${action}:${id}`, return_to: moderation() });
  expect(res.statusCode).toBe(303);
}

describe('a signer cannot undo a moderator', () => {
  it.each(['reject', 'fraudulent'] as const)(
    'after %s: withdrawing and signing again is held for review, never counted',
    async (action) => {
      const first = await sign('sam@example.org');
      expect((await t.app.inject({ method: 'POST', url: first.verify! })).statusCode).toBe(200);
      await expectCount(1);
      await decide(action, (await signature('sam@example.org')).id);
      await expectCount(0);

      // The signer withdraws (nothing to undo: it stays refused), then signs again and confirms.
      expect((await t.app.inject({ method: 'POST', url: first.withdraw! })).statusCode).toBe(200);
      expect((await signature('sam@example.org')).status).toBe(action === 'reject' ? 'rejected' : 'fraudulent');
      t.clock.advance(120_000);
      const again = await sign('sam@example.org', 'Sam Signer Again');
      expect(again.verify).not.toBe(first.verify);
      const confirmed = await t.app.inject({ method: 'POST', url: again.verify! });
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.body).toContain('organizers check some signatures');
      expect(await signature('sam@example.org')).toMatchObject({ status: 'held', hold_reason: 'previously_rejected' });
      await expectCount(0);

      // Withdrawing and signing once more does not shake the mark off either.
      const heldWithdraw = (await latestLinks(t, 'sam@example.org')).withdraw!;
      expect((await t.app.inject({ method: 'POST', url: heldWithdraw })).statusCode).toBe(200);
      t.clock.advance(120_000);
      const third = await sign('sam@example.org');
      await t.app.inject({ method: 'POST', url: third.verify! });
      expect(await signature('sam@example.org')).toMatchObject({ status: 'held', hold_reason: 'previously_rejected' });
      await expectCount(0);

      // The queue says why, and only an organizer's approval makes it count.
      const queue = await moderator.get(`${moderation()}?reason=previously_rejected`);
      expect(queue.body).toContain('Signed again after being rejected');
      await decide('approve', (await signature('sam@example.org')).id);
      expect((await signature('sam@example.org')).status).toBe('verified');
      await expectCount(1);
    },
  );

  it('a withdrawn signature (not refused) may sign again and count', async () => {
    const first = await sign('kim@example.org');
    await t.app.inject({ method: 'POST', url: first.verify! });
    await t.app.inject({ method: 'POST', url: first.withdraw! });
    await expectCount(0);
    const again = await sign('kim@example.org');
    await t.app.inject({ method: 'POST', url: again.verify! });
    expect((await signature('kim@example.org')).status).toBe('verified');
    await expectCount(1);
    // The old, unused confirmation links of a withdrawn signature were retired when it withdrew.
    expect(await one("SELECT count(*) FROM signature_tokens WHERE purpose = 'verify' AND used_at IS NULL")).toBe(0);
  });
});

describe('links', () => {
  it('a used confirmation link confirms nothing and creates nothing, and repeats the withdrawal link from the mail', async () => {
    const links = await sign('ada@example.org');
    const first = await t.app.inject({ method: 'POST', url: links.verify! });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain(`href="${links.withdraw}"`);
    const tokens = await one('SELECT count(*) FROM signature_tokens');
    const events = await one('SELECT count(*) FROM signature_events');
    for (let i = 0; i < 5; i++) {
      const again = await t.app.inject({ method: 'POST', url: links.verify! });
      expect(again.statusCode).toBe(200);
      expect(again.body).toContain('Already confirmed');
      expect(again.body).toContain(`href="${links.withdraw}"`);
    }
    const page = await t.app.inject(links.verify!);
    expect(page.body).toContain(`href="${links.withdraw}"`);
    expect(await one('SELECT count(*) FROM signature_tokens')).toBe(tokens);
    expect(await one('SELECT count(*) FROM signature_events')).toBe(events);
    await expectCount(1);
  });

  it('every link expires: an expired confirmation link answers 410, an expired withdrawal link too', async () => {
    const links = await sign('bo@example.org');
    expect(await one('SELECT count(*) FROM signature_tokens WHERE expires_at IS NULL')).toBe(0);
    t.clock.advance(8 * 86_400_000);
    expect((await t.app.inject({ method: 'POST', url: links.verify! })).statusCode).toBe(410);
    expect((await t.app.inject(links.verify!)).statusCode).toBe(410);
    await expectCount(0);
    t.clock.advance(366 * 86_400_000);
    const expired = await t.app.inject({ method: 'POST', url: links.withdraw! });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('sign it again');
    expect((await signature('bo@example.org')).status).toBe('pending');
  });

  it('limits confirmation and withdrawal POSTs per address', async () => {
    await t.close();
    t = await makeTestApp({ LINK_LIMIT_PER_IP: '3' });
    await seedLetter(t.app);
    const links = await sign('cy@example.org');
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await t.app.inject({ method: 'POST', url: links.verify! })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    expect((await t.app.inject({ method: 'POST', url: links.withdraw! })).statusCode).toBe(429);
    const elsewhere = await t.app.inject({ method: 'POST', url: links.withdraw!, remoteAddress: '198.51.100.4' });
    expect(elsewhere.statusCode).toBe(200);
  });
});

describe('a closed letter', () => {
  it('keeps its count at the close: a late confirmation is recorded, not counted, and the signer is told kindly', async () => {
    const early = await sign('early@example.org', 'Early Bird');
    const late = await sign('late@example.org', 'Late Comer');
    await t.app.inject({ method: 'POST', url: early.verify! });
    await expectCount(1);
    await moderator.get(`/organize/letters/${letterId}`);
    expect((await moderator.post(`/organize/letters/${letterId}/status`, { to: 'closed', confirm: 'yes' })).statusCode).toBe(303);

    const res = await t.app.inject({ method: 'POST', url: late.verify! });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Signing had already closed');
    expect(res.body).toContain('1 June 2026');
    expect(res.body).not.toContain('Ask others to sign');
    expect((await signature('late@example.org')).status).toBe('late');
    expect(await one('SELECT type FROM signature_events ORDER BY id DESC LIMIT 1')).toBe('late');
    await expectCount(1);
    // Repeating it changes nothing either.
    expect((await t.app.inject({ method: 'POST', url: late.verify! })).body).toContain('Signing had already closed');
    await expectCount(1);
  });

  it('counts after the close only what was confirmed before it: a held signature can be approved, a late one never, a withdrawal leaves', async () => {
    const first = await sign('first@example.org', 'Same Name');
    await t.app.inject({ method: 'POST', url: first.verify! });
    const twin = await sign('twin@example.org', 'Same Name');
    await t.app.inject({ method: 'POST', url: twin.verify! });
    expect((await signature('twin@example.org')).status).toBe('held');
    const late = await sign('late@example.org', 'Late Comer');
    await moderator.get(`/organize/letters/${letterId}`);
    expect((await moderator.post(`/organize/letters/${letterId}/status`, { to: 'closed', confirm: 'yes' })).statusCode).toBe(303);
    await t.app.inject({ method: 'POST', url: late.verify! });
    await expectCount(1);

    // Held for review before the close: the signer was in time, the review was ours.
    await decide('approve', (await signature('twin@example.org')).id);
    await expectCount(2);
    // Confirmed after the close: no organizer can count it.
    await decide('approve', (await signature('late@example.org')).id);
    expect((await signature('late@example.org')).status).toBe('late');
    await expectCount(2);
    // Someone who asks to be taken off is taken off, closed or not.
    expect((await t.app.inject({ method: 'POST', url: first.withdraw! })).statusCode).toBe(200);
    await expectCount(1);
  });

  it('does not ask people to share a letter whose deadline has passed', async () => {
    await seedLetter(t.app, { slug: 'deadline', closes_at: new Date('2026-06-02T00:00:00Z') });
    expect((await signViaApi(t, 'deadline', { name: 'Dee', email: 'dee@example.org' })).statusCode).toBe(202);
    const links = await latestLinks(t, 'dee@example.org');
    t.clock.set('2026-06-03T00:00:00Z');
    const res = await t.app.inject({ method: 'POST', url: links.verify! });
    expect(res.body).toContain('Signing had already closed');
    expect(res.body).toContain('2 June 2026');
    expect(await letterCount(t, 'deadline')).toBe(0);
  });
});

describe('signers who chose not to be listed', () => {
  it('are never notable candidates, and cannot be promoted', async () => {
    for (const [email, name, listed] of [
      ['pub@example.org', 'Pat Public', true],
      ['priv@example.org', 'Pat Private', false],
    ] as const) {
      expect((await signViaApi(t, 'fair-pay', { name, email, public: listed })).statusCode).toBe(202);
      await t.app.inject({ method: 'POST', url: (await latestLinks(t, email)).verify! });
    }
    await expectCount(2);
    const page = await moderator.get(`/organize/letters/${letterId}/notables?q=Pat`);
    expect(page.body).toContain('Pat Public');
    expect(page.body).not.toContain('Pat Private');

    const refused = await moderator.post(`/organize/letters/${letterId}/notables/promote`, {
      signature_id: String((await signature('priv@example.org')).id),
      description: 'famous, but private',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('chose not to be listed');
    expect(await one('SELECT count(*) FROM notable_signatories')).toBe(0);
    for (const url of ['/letters/fair-pay', '/api/v1/letters/fair-pay', '/api/v1/letters/fair-pay/signatures', '/letters/fair-pay/embed']) {
      expect((await t.app.inject(url)).body).not.toContain('Pat Private');
    }
  });

  it('a promoted signer who withdraws leaves the public notable list', async () => {
    const links = await sign('star@example.org', 'Star Person');
    await t.app.inject({ method: 'POST', url: links.verify! });
    await moderator.get(`/organize/letters/${letterId}/notables`);
    const promoted = await moderator.post(`/organize/letters/${letterId}/notables/promote`, {
      signature_id: String((await signature('star@example.org')).id),
      description: 'actor',
    });
    expect(promoted.statusCode).toBe(303);
    expect((await t.app.inject('/api/v1/letters/fair-pay')).json().notable_signatories).toEqual([
      { name: 'Star Person', description: 'actor', verified: true },
    ]);
    await t.app.inject({ method: 'POST', url: links.withdraw! });
    expect((await t.app.inject('/api/v1/letters/fair-pay')).json().notable_signatories).toEqual([]);
    expect((await t.app.inject('/letters/fair-pay')).body).not.toContain('Star Person');
  });
});

describe('mail is rendered by the outbox worker', () => {
  it('queues a template and its data, with no rendered text in the signing transaction', async () => {
    await sign('mail@example.org');
    const row = (await t.sql<{ kind: string; data: string }>('SELECT kind, data FROM outbox ORDER BY id DESC LIMIT 1'))[0]!;
    expect(row.kind).toBe('verify');
    const data = JSON.parse(row.data);
    expect(Object.keys(data).sort()).toEqual(['letterSlug', 'letterTitle', 'locale', 'name', 'verifyToken', 'withdrawToken']);
    expect(row.data).not.toContain('http');
    const mail = await queuedMail(t, 'mail@example.org');
    expect(mail?.subject).toBe('Confirm your signature: Fair pay for artists');
    expect(mail?.text).toContain(`http://127.0.0.1:3000/verify/${data.verifyToken}`);
  });
});
