// Organizer accounts and sessions: sign-in links from the CLI, passwords, login with throttling
// of failures, password reset by mail, invitations accepted. Tokens are random, single-use and
// stored hashed; the session cookie carries a random token whose hash is the session row's id.
import type { Config } from '../config.js';
import type { Role } from '../db/vocabulary.js';
import { decoyHash, hashPassword, verifyPassword } from '../domain/passwords.js';
import { hashToken, isWellFormedToken } from '../domain/tokens.js';
import type { Locale } from '../i18n/locales.js';
import type { LoginThrottle } from '../limits/login-throttle.js';
import type { AccountRepo, OrganizerToken, OrganizerTokenPurpose } from './account-repo.js';
import type { MemberRepo } from './member-repo.js';
import type { NewSession, SessionRepo, SignedInOrganizer } from './session-repo.js';

/** Who is signed in, as routes and the session plugin see it. */
export type { Membership, SignedInOrganizer } from './session-repo.js';

const HOUR_MS = 3_600_000;
export const SIGNIN_LINK_TTL_MS = 24 * HOUR_MS;
export const RESET_LINK_TTL_MS = 2 * HOUR_MS;
export const INVITE_LINK_TTL_MS = 7 * 24 * HOUR_MS;
export const SESSION_TTL_MS = 7 * 24 * HOUR_MS;
/** One reset mail per account per minute, whatever is asked: the inbox is not ours to flood. */
export const RESET_MIN_INTERVAL_MS = 60_000;

export interface AuthServiceDeps {
  config: Config;
  accounts: AccountRepo;
  sessions: SessionRepo;
  /** For accepting invitations (a new account is signed in at once). */
  members: MemberRepo;
  now: () => Date;
  generateToken: () => string;
  mailQueued: () => void;
  /** Failed-login counting; null when RATE_LIMIT=off. */
  throttle: LoginThrottle | null;
}

export interface StartedSession {
  /** The cookie value (the token itself; only its hash is stored). */
  token: string;
  expiresAt: Date;
}

export type LoginResult =
  | { ok: true; session: StartedSession; email: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number };

export type LinkState =
  | { state: 'unknown' }
  | { state: 'expired' }
  | { state: 'valid'; token: OrganizerToken; organizer: { id: number; email: string; name: string } | null; collectiveName: string | null };

/** Account addresses compare case-insensitively; nobody expects Ana@ and ana@ to be two people. */
export function normalizeOrganizerEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class AuthService {
  constructor(private readonly deps: AuthServiceDeps) {}

  private newSession(now: Date): { session: NewSession; started: StartedSession } {
    const token = this.deps.generateToken();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    return { session: { idHash: hashToken(token), expiresAt }, started: { token, expiresAt } };
  }

  /** The organizer behind a session cookie's token, if the session is alive. */
  async sessionFor(token: string): Promise<SignedInOrganizer | null> {
    if (!isWellFormedToken(token)) return null;
    return (await this.deps.sessions.sessionFor(hashToken(token), this.deps.now())) ?? null;
  }

  /** `knownDevice`: this browser signed in to this account before (see LoginThrottle). */
  async login(email: string, password: string, ip: string, knownDevice: boolean): Promise<LoginResult> {
    const now = this.deps.now();
    const address = normalizeOrganizerEmail(email);
    const throttle = this.deps.throttle;
    const wait = (await throttle?.retryAfter(address, ip, knownDevice, now.getTime())) ?? 0;
    if (wait > 0) return { ok: false, reason: 'throttled', retryAfterMs: wait };
    const organizer = await this.deps.accounts.findByEmail(address);
    // Unknown addresses cost a full hash too, so timing does not tell which accounts exist.
    const matches = await verifyPassword(password, organizer?.passwordHash ?? (await decoyHash()));
    if (!organizer?.passwordHash || !matches) {
      await throttle?.failed(address, ip, now.getTime());
      return { ok: false, reason: 'invalid' };
    }
    await throttle?.succeeded(address, ip);
    const { session, started } = this.newSession(now);
    await this.deps.sessions.startSession(organizer.id, session, now);
    return { ok: true, session: started, email: organizer.email };
  }

  /** The language of the organizer's pages and mail, from the account page. */
  async setLanguage(organizer: SignedInOrganizer, language: Locale): Promise<boolean> {
    return this.deps.accounts.setLanguage(organizer.id, language, this.deps.now());
  }

  async logout(organizer: SignedInOrganizer): Promise<void> {
    await this.deps.sessions.endSession(organizer.sessionId, organizer.id, this.deps.now());
  }

  /** What a sign-in, reset or invitation link points at, without using it. */
  async link(token: string, purpose: OrganizerTokenPurpose): Promise<LinkState> {
    if (!isWellFormedToken(token)) return { state: 'unknown' };
    const row = await this.deps.accounts.findToken(hashToken(token), purpose);
    if (!row) return { state: 'unknown' };
    if (row.token.usedAt || row.token.expiresAt <= this.deps.now()) return { state: 'expired' };
    const organizer =
      row.organizer ?? (purpose === 'invite' && row.token.email ? ((await this.deps.accounts.findByEmail(row.token.email)) ?? null) : null);
    return {
      state: 'valid',
      token: row.token,
      organizer: organizer && { id: organizer.id, email: organizer.email, name: organizer.name },
      collectiveName: row.collective?.name ?? null,
    };
  }

  /** Sets a password from a sign-in or reset link and starts a session (null: link not usable). */
  async setPassword(token: string, purpose: 'signin' | 'reset', password: string): Promise<StartedSession | null> {
    const link = await this.link(token, purpose);
    if (link.state !== 'valid' || !link.organizer) return null;
    const passwordHash = await hashPassword(password);
    const now = this.deps.now();
    const { session, started } = this.newSession(now);
    const done = await this.deps.accounts.setPasswordWithToken(link.token.id, link.organizer.id, passwordHash, session, now);
    if (!done) return null;
    await this.deps.throttle?.reset(link.organizer.email);
    return started;
  }

  /** Mails a reset link if the account exists. The caller answers the same way in every case. */
  async requestReset(email: string): Promise<void> {
    const organizer = await this.deps.accounts.findByEmail(normalizeOrganizerEmail(email));
    if (!organizer) return;
    const now = this.deps.now();
    const token = this.deps.generateToken();
    const mail = {
      kind: 'organizer_reset' as const,
      to: organizer.email,
      data: { locale: organizer.language, name: organizer.name, token, hours: RESET_LINK_TTL_MS / HOUR_MS },
    };
    const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MS);
    if (await this.deps.accounts.issueReset(organizer.id, hashToken(token), expiresAt, mail, now, RESET_MIN_INTERVAL_MS)) {
      this.deps.mailQueued();
    }
  }

  /**
   * Accepts an invitation. A new address needs a name and password and is signed in at once; an
   * existing account just gains the membership (and signs in with its own password).
   */
  async acceptInvite(
    token: string,
    account: { name: string; password: string } | null,
  ): Promise<{ kind: 'unusable' } | { kind: 'joined_existing' } | { kind: 'created'; session: StartedSession }> {
    const link = await this.link(token, 'invite');
    if (link.state !== 'valid') return { kind: 'unusable' };
    const now = this.deps.now();
    if (link.organizer) {
      const done = await this.deps.members.acceptInvite(link.token, null, now);
      return done ? { kind: 'joined_existing' } : { kind: 'unusable' };
    }
    if (!account) return { kind: 'unusable' };
    const passwordHash = await hashPassword(account.password);
    const { session, started } = this.newSession(now);
    const done = await this.deps.members.acceptInvite(link.token, { name: account.name, passwordHash, session }, now);
    if (!done) return { kind: 'unusable' };
    return done.created ? { kind: 'created', session: started } : { kind: 'joined_existing' };
  }

  /** For the CLI: creates (or updates) an account and returns a one-time sign-in link. */
  async createOrganizer(input: {
    email: string;
    name: string;
    collective: { slug: string; name?: string } | null;
    role: Role;
  }): Promise<{ url: string; created: boolean; expiresAt: Date }> {
    const now = this.deps.now();
    const token = this.deps.generateToken();
    const expiresAt = new Date(now.getTime() + SIGNIN_LINK_TTL_MS);
    const { created } = await this.deps.accounts.createWithSigninLink({
      ...input,
      email: normalizeOrganizerEmail(input.email),
      tokenHash: hashToken(token),
      expiresAt,
      now,
    });
    return { url: `${this.deps.config.PUBLIC_URL}/signin/${token}`, created, expiresAt };
  }
}
