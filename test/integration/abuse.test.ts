// Abuse resistance: rate limits, the spike guard, disposable addresses, bots posting too fast.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, signFormBody, signViaApi, type TestApp } from '../helpers/app.js';

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

function count(t: TestApp, sql: string): number {
  return (t.app.deps.db.$client.prepare(sql).get() as { n: number }).n;
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
      payload: signFormBody(t.config, { name: 'Q', email: 'q@example.org' }),
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
    expect(count(t, 'SELECT count(*) AS n FROM signatures')).toBe(4);
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

  it('RATE_LIMIT=off switches the limits off', async () => {
    const t = await app({ SIGN_LIMIT_PER_IP: '2', RATE_LIMIT: 'off' });
    for (let i = 0; i < 5; i++)
      expect((await signViaApi(t, 'fair-pay', { name: `P ${i}`, email: `p${i}@example.org` })).statusCode).toBe(202);
  });

  it('believes X-Forwarded-For only with TRUST_PROXY', async () => {
    const spoof = (t: TestApp, i: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/letters/fair-pay/signatures',
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
        payload: { name: `P ${i}`, email: `p${i}@example.org` },
      });
    const untrusting = await app({ SIGN_LIMIT_PER_IP: '2' });
    expect([
      (await spoof(untrusting, 1)).statusCode,
      (await spoof(untrusting, 2)).statusCode,
      (await spoof(untrusting, 3)).statusCode,
    ]).toEqual([202, 202, 429]);
    const trusting = await app({ SIGN_LIMIT_PER_IP: '2', TRUST_PROXY: 'true' });
    expect([(await spoof(trusting, 1)).statusCode, (await spoof(trusting, 2)).statusCode, (await spoof(trusting, 3)).statusCode]).toEqual([
      202, 202, 202,
    ]);
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
    expect(count(t, "SELECT count(*) AS n FROM signatures WHERE hold_reason = 'spike' AND name LIKE 'Real%'")).toBe(0);
    expect(count(t, "SELECT count(*) AS n FROM signatures WHERE hold_reason = 'spike' AND name LIKE 'Bot%'")).toBeGreaterThan(5);

    // A held-for-spike signature is not counted when confirmed.
    const token = 'T'.repeat(43);
    const sig = t.app.deps.db.$client.prepare("SELECT id FROM signatures WHERE hold_reason = 'spike' LIMIT 1").get() as { id: number };
    const { hashToken } = await import('../../src/domain/tokens.js');
    t.app.deps.db.$client
      .prepare("INSERT INTO signature_tokens (signature_id, purpose, token_hash, expires_at, created_at) VALUES (?, 'verify', ?, ?, 0)")
      .run(sig.id, hashToken(token), Date.parse('2030-01-01'));
    const res = await t.app.inject({ method: 'POST', url: `/verify/${token}` });
    expect(res.body).toContain('organizers will check');
    expect(count(t, 'SELECT signature_count AS n FROM letters')).toBe(0);
  });

  it('SPIKE_GUARD=off holds nothing', async () => {
    const t = await app({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off', SPIKE_MIN_SIGNATURES: '2' });
    for (let i = 0; i < 10; i++) await signViaApi(t, 'fair-pay', { name: `Bot ${i}`, email: `bot${i}@example.org` });
    expect(count(t, 'SELECT count(*) AS n FROM signatures WHERE hold_reason IS NOT NULL')).toBe(0);
  });
});

describe('form protections', () => {
  it('silently drops forms posted faster than a person can type, and accepts normal ones', async () => {
    const t = await app({ SIGN_MIN_FILL_MS: '2000' });
    const post = (stampAt: number, email: string) =>
      t.app.inject({
        method: 'POST',
        url: '/letters/fair-pay/sign',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: signFormBody(t.config, { name: 'Quick', email }, stampAt),
      });
    const now = t.clock.now().getTime();
    const fast = await post(now - 500, 'fast@example.org');
    expect(fast.statusCode).toBe(303);
    expect(count(t, 'SELECT count(*) AS n FROM signatures')).toBe(0);
    const forged = await t.app.inject({
      method: 'POST',
      url: '/letters/fair-pay/sign',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        name: 'Forger',
        email: 'forger@example.org',
        started: `${now - 60_000}.${'x'.repeat(43)}`,
      }).toString(),
    });
    expect(forged.statusCode).toBe(303);
    expect(count(t, 'SELECT count(*) AS n FROM signatures')).toBe(0);
    const human = await post(now - 5000, 'human@example.org');
    expect(human.statusCode).toBe(303);
    expect(count(t, 'SELECT count(*) AS n FROM signatures')).toBe(1);
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
