// Abuse resistance: rate limits, the spike guard, disposable addresses, bots posting too fast.
import { afterEach, describe, expect, it } from 'vitest';
import { createFormStamp } from '../../src/domain/form-stamp.js';
import { hashToken } from '../../src/domain/tokens.js';
import { letterCount, makeTestApp, seedLetter, signFormBody, signViaApi, type TestApp } from '../helpers/app.js';
import { STORE } from '../helpers/database.js';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const t of apps.splice(0)) await t.close();
});

async function app(env: Record<string, string>) {
  const t = await makeTestApp(env);
  apps.push(t);
  await seedLetter(t.app);
  return t;
}

function count(t: TestApp, sql: string): Promise<number> {
  return t.one(sql);
}

describe('rate limits', () => {
  it('limits signing per IP, in the API as JSON and on the form as a page', async () => {
    const t = await app({ SIGN_LIMIT_PER_IP: '3' });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await signViaApi(t, 'fair-pay', { name: `P ${i}`, email: `p${i}@example.org` })).statusCode);
    expect(codes).toEqual([202, 202, 202, 429, 429]);
    const limited = await signViaApi(t, 'fair-pay', { name: 'P', email: 'p@example.org' });
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
    const form = await t.app.inject({
      method: 'POST',
      url: '/letters/fair-pay/sign',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: signFormBody(t.config, 'fair-pay', { name: 'Q', email: 'q@example.org' }, t.clock.now().getTime() - 60_000),
    });
    expect(form.statusCode).toBe(429);
    expect(form.headers['content-type']).toContain('text/html');
    // Another address is not affected; reads never are.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/letters/fair-pay/signatures',
          remoteAddress: '10.0.0.9',
          payload: { name: 'R', email: 'r@example.org' },
        })
      ).statusCode,
    ).toBe(202);
    for (let i = 0; i < 30; i++) expect((await t.app.inject('/letters/fair-pay')).statusCode).toBe(200);
    expect(await count(t, 'SELECT count(*) AS n FROM signatures')).toBe(4);
  });

  it('limits signing per letter across addresses', async () => {
    const t = await app({ SIGN_LIMIT_PER_LETTER: '4' });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/letters/fair-pay/signatures',
        remoteAddress: `10.1.${i}.1`,
        payload: { name: `P ${i}`, email: `p${i}@example.org` },
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([202, 202, 202, 202, 429, 429]);
  });

  // PostgreSQL keeps request limits in the database (shared by every process), on the app's clock.
  it.skipIf(STORE !== 'postgres')('starts a new window in the database once the window has passed', async () => {
    const t = await app({ SIGN_LIMIT_PER_IP: '2', SIGN_LIMIT_WINDOW: '1 minute' });
    const sign = async (i: number) => (await signViaApi(t, 'fair-pay', { name: `W ${i}`, email: `w${i}@example.org` })).statusCode;
    expect([await sign(0), await sign(1), await sign(2)]).toEqual([202, 202, 429]);
    t.clock.advance(30_000);
    expect(await sign(3)).toBe(429);
    t.clock.advance(31_000);
    expect([await sign(4), await sign(5), await sign(6)]).toEqual([202, 202, 429]);
  });

  it('RATE_LIMIT=off switches the limits off', async () => {
    const t = await app({ SIGN_LIMIT_PER_IP: '2', RATE_LIMIT: 'off' });
    for (let i = 0; i < 5; i++)
      expect((await signViaApi(t, 'fair-pay', { name: `P ${i}`, email: `p${i}@example.org` })).statusCode).toBe(202);
  });

  it('believes X-Forwarded-For only from the proxies TRUST_PROXY names, and only its rightmost hop', async () => {
    // A client that writes its own X-Forwarded-For, directly or through the proxy (which appends
    // the address it saw): the leftmost value is the client's invention.
    const spoof = (t: TestApp, i: number, remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/letters/fair-pay/signatures',
        remoteAddress,
        headers: { 'x-forwarded-for': remoteAddress === '127.0.0.1' ? `203.0.113.${i}, 198.51.100.7` : `203.0.113.${i}` },
        payload: { name: `P ${i}`, email: `p${i}@example.org` },
      });
    const codes = async (t: TestApp, remoteAddress: string) => {
      const out: number[] = [];
      for (let i = 1; i <= 3; i++) out.push((await spoof(t, i, remoteAddress)).statusCode);
      return out;
    };
    const untrusting = await app({ SIGN_LIMIT_PER_IP: '2' });
    expect(await codes(untrusting, '127.0.0.1')).toEqual([202, 202, 429]);

    // Behind one reverse proxy on 127.0.0.1: the client is the address the proxy appended, so
    // varying the leftmost value does not give a client a fresh per-IP limit.
    const behindProxy = await app({ SIGN_LIMIT_PER_IP: '2', TRUST_PROXY: '127.0.0.1' });
    expect(await codes(behindProxy, '127.0.0.1')).toEqual([202, 202, 429]);
    const ips = (await behindProxy.sql<{ ip: string }>('SELECT DISTINCT ip FROM signatures')).map((r) => r.ip);
    expect(ips).toEqual(['198.51.100.7']);
    // Another client behind the same proxy has a limit of its own.
    const other = await behindProxy.app.inject({
      method: 'POST',
      url: '/api/v1/letters/fair-pay/signatures',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '198.51.100.8' },
      payload: { name: 'Someone Else', email: 'else@example.org' },
    });
    expect(other.statusCode).toBe(202);
    // A client talking to the app directly (not through the proxy) is not believed at all.
    const direct = await app({ SIGN_LIMIT_PER_IP: '2', TRUST_PROXY: '127.0.0.1' });
    expect(await codes(direct, '192.0.2.99')).toEqual([202, 202, 429]);
  });

  it('limits resends per link and per address, never in one bucket for everybody', async () => {
    const t = await app({ SIGN_LIMIT_PER_IP: '3', SIGN_LIMIT_PER_LETTER: '5' });
    const resend = (token: string, remoteAddress: string) =>
      t.app.inject({ method: 'POST', url: `/verify/${token.padStart(43, 'x')}/resend`, remoteAddress });
    // Someone hammers resend with made-up links from many addresses...
    for (let i = 0; i < 10; i++) expect((await resend(String(i), `203.0.113.${i}`)).statusCode).toBe(404);
    // ...and with one link from many addresses, which is limited per link.
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await resend('same', `192.0.2.${i}`)).statusCode);
    expect(codes).toEqual([404, 404, 404, 404, 404, 429, 429]);
    // ...and from one address with many links, limited per address.
    for (let i = 0; i < 3; i++) await resend(`own${i}`, '198.51.100.66');
    expect((await resend('own9', '198.51.100.66')).statusCode).toBe(429);
    // Another signer, elsewhere, can still ask for a new link.
    expect((await resend('mine', '198.51.100.20')).statusCode).toBe(404);
  });
});

describe('spike guard', () => {
  it('holds signatures from a source that floods a letter, and only those', async () => {
    const t = await app({ RATE_LIMIT: 'off', SPIKE_MIN_SIGNATURES: '10', SPIKE_SHARE: '0.5' });
    for (let i = 0; i < 10; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/letters/fair-pay/signatures',
        remoteAddress: `198.51.${i}.7`,
        payload: { name: `Real Person ${i}`, email: `real@studio${i}.example` },
      });
    }
    for (let i = 0; i < 20; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/letters/fair-pay/signatures',
        remoteAddress: '192.0.2.50',
        payload: { name: `Bot ${i}`, email: `bot${i}@example.org` },
      });
    }
    expect(await count(t, "SELECT count(*) AS n FROM signatures WHERE hold_reason = 'spike' AND name LIKE 'Real%'")).toBe(0);
    expect(await count(t, "SELECT count(*) AS n FROM signatures WHERE hold_reason = 'spike' AND name LIKE 'Bot%'")).toBeGreaterThan(5);

    // A held-for-spike signature is not counted when confirmed.
    const token = 'T'.repeat(43);
    const sigId = await t.one("SELECT id FROM signatures WHERE hold_reason = 'spike' ORDER BY id LIMIT 1");
    await t.sql(
      "INSERT INTO signature_tokens (signature_id, purpose, token_hash, expires_at, created_at) VALUES (?, 'verify', ?, ?, ?)",
      sigId,
      hashToken(token),
      new Date('2030-01-01'),
      new Date(0),
    );
    const res = await t.app.inject({ method: 'POST', url: `/verify/${token}` });
    expect(res.body).toContain('organizers check some signatures');
    expect(await letterCount(t, 'fair-pay')).toBe(0);
  });

  it('SPIKE_GUARD=off holds nothing', async () => {
    const t = await app({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off', SPIKE_MIN_SIGNATURES: '2' });
    for (let i = 0; i < 10; i++) await signViaApi(t, 'fair-pay', { name: `Bot ${i}`, email: `bot${i}@example.org` });
    expect(await count(t, 'SELECT count(*) AS n FROM signatures WHERE hold_reason IS NOT NULL')).toBe(0);
  });
});

describe('form protections', () => {
  it('asks a quick person to press again, keeping what they typed, and only then signs', async () => {
    const t = await app({ SIGN_MIN_FILL_MS: '2000' });
    const post = (fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/letters/fair-pay/sign',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
    const now = t.clock.now().getTime();
    const stamp = createFormStamp(t.config.SESSION_SECRET, 'fair-pay', now - 500);
    // Autofill, then a tap, half a second after the page loaded: a visible page, never a fake success.
    const fast = await post({ name: 'Quick Person', email: 'quick@example.org', title: 'Illustrator', public: 'on', started: stamp });
    expect(fast.statusCode).toBe(422);
    expect(fast.headers['content-type']).toContain('text/html');
    expect(fast.body).toContain('press “Sign this letter” once more');
    expect(fast.body).toContain('value="Quick Person"');
    expect(fast.body).toContain('value="quick@example.org"');
    expect(fast.body).toContain('value="Illustrator"');
    expect(await count(t, 'SELECT count(*) AS n FROM signatures')).toBe(0);
    // The page sends back the stamp it was given, so pressing again a moment later goes through.
    const kept = /name="started" value="([^"]+)"/.exec(fast.body)?.[1];
    expect(kept).toBe(stamp);
    t.clock.advance(2000);
    const again = await post({ name: 'Quick Person', email: 'quick@example.org', public: 'on', started: kept ?? '' });
    expect(again.statusCode).toBe(303);
    expect(await count(t, 'SELECT count(*) AS n FROM signatures')).toBe(1);
  });

  it('sends forged, stale and other letters’ stamps back to be confirmed; only the honeypot is silent', async () => {
    const t = await app({ SIGN_MIN_FILL_MS: '2000' });
    await seedLetter(t.app, { slug: 'other-letter', title: 'Another letter' });
    const now = t.clock.now().getTime();
    const post = (started: string, extra: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/letters/fair-pay/sign',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ name: 'Someone', email: 'someone@example.org', started, ...extra }).toString(),
      });
    for (const started of [
      `${now - 60_000}.${'x'.repeat(43)}`,
      createFormStamp(t.config.SESSION_SECRET, 'other-letter', now - 60_000),
      createFormStamp(t.config.SESSION_SECRET, 'fair-pay', now - 2 * 86_400_000),
      '',
    ]) {
      const res = await post(started);
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('value="Someone"');
      // A fresh stamp for this letter, issued now: the next press (a few seconds on) is accepted.
      const fresh = /name="started" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
      expect(fresh.startsWith(`${now}.`)).toBe(true);
    }
    expect(await count(t, 'SELECT count(*) AS n FROM signatures')).toBe(0);
    const bot = await post(createFormStamp(t.config.SESSION_SECRET, 'fair-pay', now - 60_000), { website: 'http://spam.example' });
    expect(bot.statusCode).toBe(303);
    expect(await count(t, 'SELECT count(*) AS n FROM signatures')).toBe(0);
    const human = await post(createFormStamp(t.config.SESSION_SECRET, 'fair-pay', now - 5000));
    expect(human.statusCode).toBe(303);
    expect(await count(t, 'SELECT count(*) AS n FROM signatures')).toBe(1);
  });

  it('refuses disposable addresses with a clear message when asked to', async () => {
    const t = await app({ BLOCK_DISPOSABLE_EMAIL: 'true' });
    const res = await signViaApi(t, 'fair-pay', { name: 'Temp', email: 'someone@mailinator.com' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.fields.email).toMatch(/disposable/i);
    expect((await signViaApi(t, 'fair-pay', { name: 'Perm', email: 'someone@example.org' })).statusCode).toBe(202);
    const off = await app({});
    expect((await signViaApi(off, 'fair-pay', { name: 'Temp', email: 'someone@mailinator.com' })).statusCode).toBe(202);
  });
});
