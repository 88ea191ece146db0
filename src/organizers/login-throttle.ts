// Counts failed sign-ins per key (an IP, an account) in fixed windows. Only failures count, so an
// organizer who signs in and out all day is never locked out, while guessing stops quickly.
// In memory: one process serves the site (SQLite), and a restart forgetting counts is harmless.

const UNITS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

/** "15 minutes", "1 hour", "30s", "900000" → milliseconds. Throws on anything else. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const name = (match?.[2] ?? '').toLowerCase() || 'ms';
  const unit = UNITS[name] ?? UNITS[name.replace(/s$/, '')];
  if (!match || unit === undefined) throw new Error(`not a duration: "${text}" (try "15 minutes")`);
  const ms = Number(match[1]) * unit;
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
