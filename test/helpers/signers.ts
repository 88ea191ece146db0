// Signing and confirming through HTTP without an SMTP server: the links are read from the
// outbox row the signing transaction wrote, rendered exactly as the mail would carry them.
import { emailKey } from '../../src/domain/email-key.js';
import { type RenderedMail, renderMail } from '../../src/mail/templates.js';
import type { ConfirmedSignature } from '../../src/signatures/sign-service.js';
import type { ModerationAction } from '../../src/signatures/signature-repo.js';
import type { TestApp } from './app.js';
import { signViaApi } from './app.js';
import { linkIn } from './smtp-sink.js';

/** The newest mail queued for an address (of a kind, if given), rendered as the worker renders it. */
export async function queuedMail(
  t: TestApp,
  email: string | null,
  kind?: string,
): Promise<(RenderedMail & { to: string; kind: string }) | null> {
  const [row] = await t.sql<{ kind: string; to: string; data: string }>(
    `SELECT kind, "to", data FROM outbox WHERE ${email === null ? '1 = 1' : '"to" = ?'} ${kind ? 'AND kind = ?' : ''} ORDER BY id DESC LIMIT 1`,
    ...[email, kind].filter((v): v is string => typeof v === 'string'),
  );
  if (!row) return null;
  const mail = renderMail(t.app.services.eta, t.config.PUBLIC_URL, { kind: row.kind, data: JSON.parse(row.data) });
  return { ...mail, to: row.to, kind: row.kind };
}

/** The verify and withdraw links of the newest mail queued for an address. */
export async function latestLinks(t: TestApp, email: string): Promise<{ verify: string | null; withdraw: string | null }> {
  const mail = await queuedMail(t, email);
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
  const { verify } = await latestLinks(t, String(body.email));
  if (!verify) throw new Error(`no verify link for ${String(body.email)}`);
  const confirmed = await t.app.inject({ method: 'POST', url: verify });
  if (confirmed.statusCode !== 200) throw new Error(`confirming answered ${confirmed.statusCode}`);
  const { withdraw } = await latestLinks(t, String(body.email));
  if (!withdraw) throw new Error('no withdraw link');
  return withdraw;
}

/** A small seeded PRNG (mulberry32): random sequences that replay exactly (the benchmark's). */
export { prng as seededRandom } from '../../bench/names.js';

/**
 * A confirmed signature as the signing service takes it for seeding (`addConfirmed`): the email
 * derived from the name unless given.
 */
export function confirmedSignature(letterId: number, name: string, overrides: Partial<ConfirmedSignature> = {}): ConfirmedSignature {
  const email = overrides.email ?? `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`;
  const key = emailKey(email);
  if (!key) throw new Error(`not a usable test email: ${email}`);
  return { letterId, name, email, emailKey: key, country: 'GB', isPublic: true, ...overrides };
}

/** Seeds a confirmed signature through the app's signing service; returns its id. */
export async function addConfirmed(t: TestApp, letterId: number, name: string, at: Date, overrides: Partial<ConfirmedSignature> = {}) {
  return t.app.services.signing.addConfirmed(confirmedSignature(letterId, name, overrides), at);
}

/** A moderator's decision on one signature, through the moderation service (audited). */
export async function moderate(t: TestApp, signatureId: number, action: ModerationAction) {
  const result = await t.app.services.organizers.moderation.decideById(signatureId, action);
  if (!result) throw new Error(`no signature #${signatureId}`);
  return result;
}

/** A signature's id by the address it was signed with (for decisions and assertions). */
export function signatureIdOf(t: TestApp, email: string): Promise<number> {
  return t.one<number>('SELECT id FROM signatures WHERE email = ?', email);
}
