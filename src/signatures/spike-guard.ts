// Holds signatures for review when one source (an IP, its /24, or an email domain) suddenly makes
// up too large a share of a letter's recent signing: the pattern of scripted floods of fake names.
// In memory and per process: a restart forgets the window, which only makes the guard lenient.

/** Big mail providers: a large share of any crowd, so their share says nothing. */
const SHARED_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'hotmail.co.uk',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.ru',
  'yandex.ru',
  'qq.com',
  '163.com',
  'orange.fr',
  'free.fr',
  'btinternet.com',
  'fastmail.com',
  'hey.com',
  'zoho.com',
]);

export interface SpikeGuardOptions {
  /** Share of the window (0..1) above which a source's new signatures are held. */
  share: number;
  /** The guard stays quiet until the window holds at least this many signatures. */
  minSignatures: number;
  windowMs: number;
  /** Bound on remembered signings per letter. */
  maxPerLetter?: number;
}

interface Entry {
  at: number;
  keys: string[];
}

class LetterWindow {
  readonly entries: Entry[] = [];
  head = 0;
  readonly counts = new Map<string, number>();

  prune(cutoff: number, max: number): void {
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head];
      if (!entry || (entry.at >= cutoff && this.entries.length - this.head <= max)) break;
      for (const key of entry.keys) {
        const n = (this.counts.get(key) ?? 1) - 1;
        if (n <= 0) this.counts.delete(key);
        else this.counts.set(key, n);
      }
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.entries.length - this.head;
  }
}

export function sourceKeys(ip: string | null, emailDomain: string): string[] {
  const keys: string[] = [];
  if (ip) {
    keys.push(`ip:${ip}`);
    const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
    if (v4) keys.push(`net:${v4[1]}`);
    else if (ip.includes(':')) keys.push(`net:${ip.split(':').slice(0, 4).join(':')}`);
  }
  if (!SHARED_MAIL_DOMAINS.has(emailDomain)) keys.push(`domain:${emailDomain}`);
  return keys;
}

export class SpikeGuard {
  private readonly letters = new Map<number, LetterWindow>();

  constructor(private readonly options: SpikeGuardOptions) {}

  /** Records a signing attempt and says whether it should be held for review. */
  check(letterId: number, keys: string[], now: number): boolean {
    const { share, minSignatures, windowMs, maxPerLetter = 50_000 } = this.options;
    let window = this.letters.get(letterId);
    if (!window) {
      window = new LetterWindow();
      this.letters.set(letterId, window);
    }
    window.prune(now - windowMs, maxPerLetter - 1);
    window.entries.push({ at: now, keys });
    for (const key of keys) window.counts.set(key, (window.counts.get(key) ?? 0) + 1);
    if (window.size < minSignatures) return false;
    return keys.some((key) => (window.counts.get(key) ?? 0) / window.size > share);
  }
}
