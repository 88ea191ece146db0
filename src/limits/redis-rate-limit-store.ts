// Request rate limits counted in Redis (REDIS_URL), shared by every process and machine. A Redis
// that is away costs a request nothing: commands fail at once instead of waiting in a queue,
// a command that gets no answer gives up after COMMAND_TIMEOUT_MS, and the rate-limit plugin
// lets the request through (skipOnError). The outage is logged once, at warn, and its end at info.
import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { StoreCallback } from './rate-limit-store.js';

/** Connecting, and each command, are given this long before the request goes on without them. */
const CONNECT_TIMEOUT_MS = 1000;
const COMMAND_TIMEOUT_MS = 500;

/** One round trip: counts the hit, starts the key's window on the first, returns count and time left. */
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }`;

type Hitting = Redis & { undersignedHit(key: string, windowMs: number): Promise<[number, number]> };

export interface RedisRateLimits {
  store: NonNullable<RateLimitPluginOptions['store']>;
  close(): Promise<void>;
}

/**
 * Connects (waiting at most CONNECT_TIMEOUT_MS: a Redis that is away at start is waited for in
 * the background) and returns the plugin's store. Keys are `${prefix}rl:${the limit's key}`.
 */
export async function openRedisRateLimits(url: string, prefix: string, log: FastifyBaseLogger): Promise<RedisRateLimits> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
  }) as Hitting;
  redis.defineCommand('undersignedHit', { numberOfKeys: 1, lua: HIT });
  let away = false;
  redis.on('error', (error: Error) => {
    if (away) return;
    away = true;
    log.warn({ err: error }, 'Redis is not answering: rate limits let requests through until it is back');
  });
  redis.on('ready', () => {
    if (!away) return;
    away = false;
    log.info('Redis is back: rate limits count again');
  });
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, CONNECT_TIMEOUT_MS);
    redis.once('ready', done);
    redis.once('error', done);
  });

  const key = (name: string) => `${prefix}rl:${name}`;
  class RedisStore {
    incr(name: string, callback: StoreCallback, timeWindow: number): void {
      redis.undersignedHit(key(name), timeWindow).then(
        ([current, ttl]) => callback(null, { current, ttl }),
        (error: Error) => callback(error),
      );
    }

    // The plugin derives a child per route from the route's method and URL, which limits made
    // with createRateLimit do not have ("undefinedundefined" in every key): our keys already
    // name their limit, so every child is this store.
    child(): RedisStore {
      return this;
    }
  }

  return {
    store: RedisStore as unknown as NonNullable<RateLimitPluginOptions['store']>,
    async close() {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
