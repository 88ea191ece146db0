// When one source (an IP, its network, or an email domain) suddenly makes up too large a share
// of a letter's recent signing: the pattern of scripted floods of fake names. The counts come
// from the database (signatures/spike-windows.ts), so every process sees the same window.

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

/** The key under which every signing of a letter is counted (the window's total). */
export const ALL_SOURCES = '*';

export interface SpikeRule {
  /** Share of the window (0..1) above which a source's new signatures are held. */
  share: number;
  /** The guard stays quiet until the window holds at least this many signings. */
  minSignatures: number;
  windowMs: number;
}

/** The sources a signing is counted under: its IP, the IP's /24 (or IPv6 /64), and its mail domain. */
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

/** Whether a signing should be held, given the window's counts (this signing included). */
export function isSpike(counts: ReadonlyMap<string, number>, keys: string[], rule: SpikeRule): boolean {
  const total = counts.get(ALL_SOURCES) ?? 0;
  if (total < rule.minSignatures) return false;
  return keys.some((key) => (counts.get(key) ?? 0) / total > rule.share);
}

/** Windows are counted per minute: the minute a time falls in. */
export function minuteOf(time: number): number {
  return time - (time % 60_000);
}
