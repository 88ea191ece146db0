// Signing and confirming through HTTP without an SMTP server: the links are read from the
// outbox row the signing transaction wrote, rendered exactly as the mail would carry them.
import { emailKey } from '../../src/domain/email-key.js';
import { nameKey } from '../../src/domain/name-key.js';
import { type RenderedMail, renderMail } from '../../src/mail/templates.js';
import type { NewSignature } from '../../src/signatures/signature-repo.js';
import type { TestApp } from './app.js';
import { signViaApi } from './app.js';
import { linkIn } from './smtp-sink.js';

/** The newest mail queued for an address (of a kind, if given), rendered as the worker renders it. */
export function queuedMail(t: TestApp, email: string | null, kind?: string): (RenderedMail & { to: string; kind: string }) | null {
  const row = t.app.deps.db.$client
    .prepare(`SELECT kind, "to", data FROM outbox WHERE (? IS NULL OR "to" = ?) AND (? IS NULL OR kind = ?) ORDER BY id DESC LIMIT 1`)
    .get(email, email, kind ?? null, kind ?? null) as { kind: string; to: string; data: string } | undefined;
  if (!row) return null;
  const mail = renderMail(t.app.deps.eta, t.config.PUBLIC_URL, { kind: row.kind, data: JSON.parse(row.data) });
  return { ...mail, to: row.to, kind: row.kind };
}

/** The verify and withdraw links of the newest mail queued for an address. */
export function latestLinks(t: TestApp, email: string): { verify: string | null; withdraw: string | null } {
  const mail = queuedMail(t, email);
  if (!mail) return { verify: null, withdraw: null };
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

/**
 * A signature as the repository takes it, for seeding confirmed ones directly
 * (`addVerifiedSignature`): keys computed by the domain rules, the email derived from the name
 * unless given.
 */
export function newSignature(letterId: number, name: string, overrides: Partial<NewSignature> = {}): NewSignature {
  const email = overrides.email ?? `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`;
  const key = emailKey(email);
  if (!key) throw new Error(`not a usable test email: ${email}`);
  return {
    letterId,
    name,
    nameKey: nameKey(name),
    email,
    emailKey: key,
    title: null,
    organisation: null,
    country: 'GB',
    isPublic: true,
    comment: null,
    ip: null,
    holdForSpike: false,
    ...overrides,
  };
}
