// Organizer sessions and CSRF protection, registered (in app.ts) around the organizer area only,
// so public pages and the press API stay cookie-free and cacheable.
// - Session: a random token in a signed, HttpOnly, SameSite=Lax cookie (Secure over https); the
//   database keeps only its SHA-256 hash, with an expiry.
// - CSRF: @fastify/csrf-protection with its secret in a signed cookie, and every token bound to
//   the session (userInfo), checked on every non-GET request of the area before its handler.
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { SignedInOrganizer } from '../organizers/auth-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in organizer, or null (organizer area only). */
    organizer: SignedInOrganizer | null;
  }
  interface FastifyReply {
    /** Merged into every view's data by @fastify/view (its types do not declare it). */
    locals: Record<string, unknown>;
  }
}

export const SESSION_COOKIE = 'undersigned_session';
export const CSRF_COOKIE = 'undersigned_csrf';
/** Marks of the accounts that signed in from this browser (see LoginThrottle). */
export const DEVICE_COOKIE = 'undersigned_device';
const DEVICE_MARKS_KEPT = 8;
const DEVICE_COOKIE_TTL_MS = 365 * 24 * 3600 * 1000;

export interface SessionOptions {
  config: Config;
  sessionFor(token: string): Promise<SignedInOrganizer | null>;
}

const csrfUser = (organizer: SignedInOrganizer | null) => organizer?.sessionId ?? 'anonymous';

export async function registerSessions(app: FastifyInstance, { config, sessionFor }: SessionOptions): Promise<void> {
  await app.register(cookie, { secret: config.SESSION_SECRET });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: config.https, signed: true },
    getUserInfo: (request) => csrfUser(request.organizer),
    csrfOpts: { hmacKey: config.SESSION_SECRET },
  });
  app.decorateRequest('organizer', null);

  // Pages here carry personal data and per-session tokens: never cached anywhere.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.addHook('onRequest', async (request) => {
    const raw = request.cookies[SESSION_COOKIE];
    if (!raw) return;
    const unsigned = request.unsignCookie(raw);
    if (unsigned.valid && unsigned.value) request.organizer = await sessionFor(unsigned.value);
  });

  // Before any handler of the area runs: a POST without the right token changes nothing.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });

  // Every page of the area gets the organizer bar and a token for its forms.
  app.addHook('preHandler', async (request, reply) => {
    reply.locals = {
      ...reply.locals,
      organizer: request.organizer,
      csrfToken: reply.generateCsrf({ userInfo: csrfUser(request.organizer) }),
    };
  });
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.https,
    signed: true,
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.https });
}

/** The device marks this browser carries, if its cookie is genuine. */
export function deviceMarks(request: FastifyRequest): string[] {
  const raw = request.cookies[DEVICE_COOKIE];
  if (!raw) return [];
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value.split('.').filter((m) => /^[A-Za-z0-9_-]{16}$/.test(m)) : [];
}

/** Remembers that this browser signed in to the account with `mark` (newest first, a few kept). */
export function rememberDevice(request: FastifyRequest, reply: FastifyReply, config: Config, mark: string, now: Date): void {
  const marks = [mark, ...deviceMarks(request).filter((m) => m !== mark)].slice(0, DEVICE_MARKS_KEPT);
  reply.setCookie(DEVICE_COOKIE, marks.join('.'), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.https,
    signed: true,
    expires: new Date(now.getTime() + DEVICE_COOKIE_TTL_MS),
  });
}

/** For the pages behind a session: anyone else is sent to sign in, and brought back after. */
export async function requireOrganizer(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.organizer) return;
  const next = request.method === 'GET' ? request.url : '/organize';
  await reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
}
