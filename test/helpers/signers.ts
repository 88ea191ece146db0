// Signing and confirming through HTTP without an SMTP server: the links are read from the
// outbox row the signing transaction wrote, exactly as the mail would carry them.
import type { TestApp } from './app.js';
import { signViaApi } from './app.js';
import { linkIn } from './smtp-sink.js';

/** The verify and withdraw links of the newest mail queued for an address. */
export function latestLinks(t: TestApp, email: string): { verify: string | null; withdraw: string | null } {
  const row = t.app.deps.db.$client.prepare('SELECT text FROM outbox WHERE "to" = ? ORDER BY id DESC LIMIT 1').get(email) as
    | { text: string }
    | undefined;
  if (!row) return { verify: null, withdraw: null };
  const mail = { to: email, subject: '', html: '', text: row.text };
  const find = (kind: 'verify' | 'withdraw') => {
    try {
      return linkIn(mail, kind);
    } catch {
      return null;
    }
  };
  return { verify: find('verify'), withdraw: find('withdraw') };
}

/** Signs through the API and confirms through the emailed link; returns the withdraw link. */
export async function signAndConfirm(t: TestApp, slug: string, body: Record<string, unknown>): Promise<string> {
  const signed = await signViaApi(t, slug, body);
  if (signed.statusCode !== 202) throw new Error(`signing answered ${signed.statusCode}: ${signed.body}`);
  const { verify } = latestLinks(t, String(body.email));
  if (!verify) throw new Error(`no verify link for ${String(body.email)}`);
  const confirmed = await t.app.inject({ method: 'POST', url: verify });
  if (confirmed.statusCode !== 200) throw new Error(`confirming answered ${confirmed.statusCode}`);
  const { withdraw } = latestLinks(t, String(body.email));
  if (!withdraw) throw new Error('no withdraw link');
  return withdraw;
}

/** A small seeded PRNG (mulberry32): random sequences that replay exactly (the benchmark's). */
export { prng as seededRandom } from '../../bench/names.js';
