// Security headers and rate limits. Reads (pages, the press API) are never limited per IP:
// newsrooms share addresses. Writes that cost us mail or trust are.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../config.js';
import { hashToken } from '../domain/tokens.js';
import { RateLimited } from '../errors.js';
import type { RateLimitStore } from '../limits/rate-limit-store.js';
import { registerSecurityHeaders } from './security-headers.js';

export async function registerSecurity(app: FastifyInstance, config: Config, store: RateLimitStore): Promise<void> {
  registerSecurityHeaders(app, config);
  await app.register(rateLimit, {
    global: false,
    ...(store ? { store } : {}),
    // A limit store that cannot answer (Redis away, the database away) lets the request through
    // rather than failing it: the request itself then meets the database, or does not need it.
    skipOnError: true,
    errorResponseBuilder: (_request, context) => new RateLimited(`Too many attempts. Please wait ${context.after} and try again.`),
  });
}

export interface Limit {
  max: number;
  /** Milliseconds. */
  timeWindow: number;
  keyGenerator: (request: FastifyRequest) => string;
}

/**
 * One preHandler enforcing several limits at once (the plugin's own handler runs only once per
 * request, so two of them on one route would silently skip the second).
 */
export function combinedRateLimit(app: FastifyInstance, limits: Limit[]): preHandlerAsyncHookHandler {
  const limiters = limits.map((limit) => app.createRateLimit(limit));
  return async (request, reply) => {
    for (const limiter of limiters) {
      const result = await limiter(request);
      if (!result.isAllowed && result.isExceeded) {
        reply.header('retry-after', String(result.ttlInSeconds));
        throw new RateLimited(
          `Too many attempts. Please wait ${Math.max(1, Math.ceil(result.ttlInSeconds / 60))} minute(s) and try again.`,
        );
      }
    }
  };
}

/** The preHandlers each kind of write gets; empty when RATE_LIMIT=off. */
export interface RateLimits {
  /** Signing, from the form or the API: per IP and per letter. */
  sign: preHandlerAsyncHookHandler[];
  /** Confirmation and withdrawal links: per IP (a used link costs nothing, but every POST is a lookup). */
  links: preHandlerAsyncHookHandler[];
  /** Asking for a new confirmation link: per IP and per link, so one link cannot be used to flood, and nobody can block others. */
  resend: preHandlerAsyncHookHandler[];
}

const tokenKey = (request: FastifyRequest) => hashToken(String((request.params as { token?: unknown }).token ?? ''));

export function rateLimits(app: FastifyInstance, config: Config): RateLimits {
  if (config.RATE_LIMIT === 'off') return { sign: [], links: [], resend: [] };
  const window = config.SIGN_LIMIT_WINDOW;
  const perIp = (prefix: string, max: number): Limit => ({ max, timeWindow: window, keyGenerator: (request) => `${prefix}:${request.ip}` });
  return {
    sign: [
      combinedRateLimit(app, [
        perIp('sign-ip', config.SIGN_LIMIT_PER_IP),
        {
          max: config.SIGN_LIMIT_PER_LETTER,
          timeWindow: window,
          keyGenerator: (request) => `sign-letter:${(request.params as { slug?: string }).slug ?? ''}`,
        },
      ]),
    ],
    links: [combinedRateLimit(app, [perIp('link-ip', config.LINK_LIMIT_PER_IP)])],
    resend: [
      combinedRateLimit(app, [
        perIp('resend-ip', config.SIGN_LIMIT_PER_IP),
        { max: RESENDS_PER_LINK, timeWindow: window, keyGenerator: (request) => `resend-link:${tokenKey(request)}` },
      ]),
    ],
  };
}

/** A person asks for a new link once or twice; the mail itself goes out at most once a minute. */
const RESENDS_PER_LINK = 5;
