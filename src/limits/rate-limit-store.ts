// Where @fastify/rate-limit keeps its counts. One process on SQLite: in memory (the plugin's
// own store). Several processes: in Redis when REDIS_URL is set (redis-rate-limit-store.ts),
// else in the database (the store below), so a limit holds whichever process answers.
import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { WindowCounters } from './window-counters.js';

/** Where the plugin counts: undefined for its own memory store (one process on SQLite). */
export type RateLimitStore = RateLimitPluginOptions['store'];

/** How a store answers the plugin's incr(). */
export type StoreCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** The plugin's store contract, over the database's window counters, on the app's clock (milliseconds). */
export function databaseRateLimitStore(counters: WindowCounters, clock: () => number): NonNullable<RateLimitPluginOptions['store']> {
  class DatabaseStore {
    incr(key: string, callback: StoreCallback, timeWindow: number): void {
      const now = clock();
      counters.hit(`rl:${key}`, timeWindow, now).then(
        (window) => callback(null, { current: window.count, ttl: Math.max(0, window.resetAt - now) }),
        (error: Error) => callback(error),
      );
    }

    child(): DatabaseStore {
      return this;
    }
  }
  return DatabaseStore as unknown as NonNullable<RateLimitPluginOptions['store']>;
}
