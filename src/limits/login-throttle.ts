// Failed sign-ins, counted so that guessing stops quickly while nobody who does not know the
// password can keep the owner out. Only failures count, in fixed windows, under three keys:
// - account and IP: a guesser's own address locks only itself out of that account;
// - IP: one address guessing across many accounts;
// - account: a slower, site-wide ceiling for distributed guessing, which does not apply to a
//   browser that has signed in to that account before (its device mark, a signed cookie): an
//   attacker can slow new devices down, never the owner's own.

/** Where failure counts live (memory for one process; a shared store when several serve). */
export interface FailureStore {
  /** Failures recorded for the key in its current window, and when that window ends. */
  get(key: string, now: number): Promise<{ failures: number; resetAt: number } | null>;
  /** Counts one failure; a key whose window has ended starts a new one of windowMs. */
  add(key: string, windowMs: number, now: number): Promise<void>;
  clear(key: string): Promise<void>;
}

export interface LoginLimits {
  perAccountAndIp: number;
  perIp: number;
  perAccount: number;
  windowMs: number;
}

export class LoginThrottle {
  constructor(
    private readonly store: FailureStore,
    private readonly limits: LoginLimits,
  ) {}

  private keys(account: string, ip: string) {
    return { accountAndIp: `login:${account}|${ip}`, ip: `login-ip:${ip}`, account: `login-account:${account}` };
  }

  /** Milliseconds until this attempt may be made, or 0 when it may be made now. */
  async retryAfter(account: string, ip: string, knownDevice: boolean, now: number): Promise<number> {
    const keys = this.keys(account, ip);
    const checks: Array<[string, number]> = [
      [keys.accountAndIp, this.limits.perAccountAndIp],
      [keys.ip, this.limits.perIp],
    ];
    if (!knownDevice) checks.push([keys.account, this.limits.perAccount]);
    let wait = 0;
    for (const [key, max] of checks) {
      const window = await this.store.get(key, now);
      if (window && window.failures >= max) wait = Math.max(wait, window.resetAt - now);
    }
    return wait;
  }

  async failed(account: string, ip: string, now: number): Promise<void> {
    const keys = this.keys(account, ip);
    for (const key of Object.values(keys)) await this.store.add(key, this.limits.windowMs, now);
  }

  /** A successful sign-in clears what this address did to the account (not the IP's count). */
  async succeeded(account: string, ip: string): Promise<void> {
    await this.store.clear(this.keys(account, ip).accountAndIp);
  }

  /** A password set from a mailed link proves the owner: their account starts afresh everywhere. */
  async reset(account: string): Promise<void> {
    await this.store.clear(this.keys(account, '').account);
  }
}

/** Failure counts in this process's memory, bounded under a flood of keys. */
export class MemoryFailureStore implements FailureStore {
  private readonly windows = new Map<string, { failures: number; resetAt: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  async get(key: string, now: number) {
    const w = this.windows.get(key);
    return w && w.resetAt > now ? { ...w } : null;
  }

  async add(key: string, windowMs: number, now: number): Promise<void> {
    const w = this.windows.get(key);
    if (w && w.resetAt > now) {
      w.failures += 1;
      return;
    }
    this.windows.delete(key);
    this.windows.set(key, { failures: 1, resetAt: now + windowMs });
    if (this.windows.size > this.maxKeys) this.prune(now);
  }

  async clear(key: string): Promise<void> {
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
