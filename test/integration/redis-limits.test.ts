// Request rate limits in Redis (REDIS_URL; PostgreSQL sites only): a limit holds across app
// instances sharing Redis, keys are named after the site's prefix and the limit, and a Redis
// that is away lets requests through at once (logged once) until it is back.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTestApp, seedLetter, signViaApi, type TestApp } from '../helpers/app.js';
import { STORE } from '../helpers/database.js';
import { Relay } from '../helpers/relay.js';
import { freePort } from '../helpers/server.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const redisUp = STORE === 'postgres' && (await redisAnswers());
if (STORE === 'postgres' && !redisUp) {
  if (process.env.CI) throw new Error(`Redis does not answer at ${REDIS_URL}`);
  process.stderr.write(`Redis does not answer at ${REDIS_URL}: the Redis rate-limit tests are skipped.\n`);
}

describe.skipIf(!redisUp)('rate limits in Redis', () => {
  // Each test's keys start with a prefix of their own, and only those are deleted afterwards.
  const prefix = `undersigned-test-${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  const apps: TestApp[] = [];
  const lines: string[] = [];
  const logger = { level: 'info', stream: { write: (line: string) => lines.push(line) } };

  async function ourKeys(): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    for (let round = 0; round < 1000; round++) {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100);
      keys.push(...found);
      cursor = next;
      if (cursor === '0') break;
    }
    return keys.sort();
  }

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    for (const t of apps.splice(0).reverse()) await t.close();
    const keys = await ourKeys();
    if (keys.length > 0) await redis.del(...keys);
    lines.length = 0;
  });
  afterAll(() => redis.disconnect());

  it('holds a limit across two app instances, under keys named after the site and the limit', async () => {
    const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, SIGN_LIMIT_PER_IP: '3', SPIKE_GUARD: 'off' };
    const a = await makeTestApp(env, { startBackground: false });
    apps.push(a);
    const b = await makeTestApp(env, { dir: a.dir, databaseUrl: a.databaseUrl, startBackground: false });
    apps.push(b);
    await seedLetter(a.app);
    const sign = (t: TestApp, i: number) => signViaApi(t, 'fair-pay', { name: `Shared Limit ${i}`, email: `s${i}@redis.example` });

    expect([(await sign(a, 1)).statusCode, (await sign(b, 2)).statusCode, (await sign(a, 3)).statusCode]).toEqual([202, 202, 202]);
    const refused = await sign(b, 4);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await sign(a, 5)).statusCode).toBe(429);

    expect(await ourKeys()).toEqual([`${prefix}rl:sign-ip:127.0.0.1`, `${prefix}rl:sign-letter:fair-pay`]);
    expect(await redis.get(`${prefix}rl:sign-ip:127.0.0.1`)).toBe('5');
    const ttl = await redis.pttl(`${prefix}rl:sign-ip:127.0.0.1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('lets requests through at once while Redis is away, says so once, and counts again when it is back', async () => {
    const port = await freePort();
    const relay = new Relay(REDIS_URL, 6379);
    const unhandled = vi.spyOn(console, 'error');
    try {
      const t = await makeTestApp(
        { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: prefix, SIGN_LIMIT_PER_IP: '2', SPIKE_GUARD: 'off' },
        { startBackground: false, logger },
      );
      apps.push(t);
      await seedLetter(t.app);

      // Nothing listens on the port: every signing is answered promptly, and none is limited.
      for (let i = 0; i < 5; i++) {
        const began = Date.now();
        const res = await signViaApi(t, 'fair-pay', { name: `Redis Away ${i}`, email: `away${i}@redis.example` });
        expect(res.statusCode).toBe(202);
        expect(Date.now() - began).toBeLessThan(1000);
      }
      const warnings = () => lines.filter((l) => l.includes('Redis is not answering'));
      expect(warnings()).toHaveLength(1);
      expect(JSON.parse(warnings()[0] ?? '{}').level).toBe(40);
      expect(unhandled).not.toHaveBeenCalled();

      // Redis answers on that port again: the client reconnects by itself and limits count again.
      await relay.start(port);
      await expect.poll(() => lines.some((l) => l.includes('Redis is back')), { timeout: 10_000 }).toBe(true);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await signViaApi(t, 'fair-pay', { name: `Redis Back ${i}`, email: `back${i}@redis.example` })).statusCode);
      }
      expect(statuses).toEqual([202, 202, 429]);
      expect(warnings()).toHaveLength(1);
    } finally {
      unhandled.mockRestore();
      await relay.cut();
    }
  });
});
