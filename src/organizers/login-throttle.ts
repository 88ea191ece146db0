// Counts failed sign-ins per key (an IP, an account) in fixed windows. Only failures count, so an
// organizer who signs in and out all day is never locked out, while guessing stops quickly.
// In memory: one process serves the site (SQLite), and a restart forgetting counts is harmless.
import { parse } from '@lukeed/ms';

/**
 * "15 minutes", "1 hour", "30s", "900000" → milliseconds. Throws on anything else. Parsed as
 * @fastify/rate-limit parses its windows, so every LIMIT_WINDOW setting means the same thing.
 */
export function parseDuration(text: string): number {
  const ms = parse(text.trim());
  if (ms === undefined) throw new Error(`not a duration: "${text}" (try "15 minutes")`);
  if (!(ms > 0)) throw new Error(`not a positive duration: "${text}"`);
  return ms;
}

interface Window {
  failures: number;
  resetAt: number;
}

export class FailureThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string, now: number): number {
    const w = this.windows.get(key);
    if (!w || w.resetAt <= now) return 0;
    return w.failures >= this.max ? w.resetAt - now : 0;
  }

  recordFailure(key: string, now: number): void {
    const w = this.windows.get(key);
    if (w && w.resetAt > now) {
      w.failures += 1;
      return;
    }
    this.windows.delete(key);
    this.windows.set(key, { failures: 1, resetAt: now + this.windowMs });
    if (this.windows.size > this.maxKeys) this.prune(now);
  }

  /** A successful sign-in clears the account's count (not the IP's). */
  clear(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    // Still too many live keys (a flood of addresses): drop the oldest, which a Map keeps first.
    for (const key of this.windows.keys()) {
      if (this.windows.size <= this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
