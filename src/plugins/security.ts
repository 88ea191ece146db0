// Security headers and rate limits. Reads (pages, the press API) are never limited per IP:
// newsrooms share addresses. Writes that cost us mail or trust are.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../config.js';
import { RateLimited } from '../errors.js';
import { registerSecurityHeaders } from './security-headers.js';

export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  registerSecurityHeaders(app, config);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new RateLimited(`Too many attempts. Please wait ${context.after} and try again.`),
  });
}

export interface Limit {
  max: number;
  timeWindow: string;
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

/** Per-IP and per-letter limits for signing and re-sending mail; none when RATE_LIMIT=off. */
export function signRateLimits(app: FastifyInstance, config: Config): preHandlerAsyncHookHandler[] {
  if (config.RATE_LIMIT === 'off') return [];
  return [
    combinedRateLimit(app, [
      { max: config.SIGN_LIMIT_PER_IP, timeWindow: config.SIGN_LIMIT_WINDOW, keyGenerator: (request) => `sign-ip:${request.ip}` },
      {
        max: config.SIGN_LIMIT_PER_LETTER,
        timeWindow: config.SIGN_LIMIT_WINDOW,
        keyGenerator: (request) => `sign-letter:${(request.params as { slug?: string }).slug ?? ''}`,
      },
    ]),
  ];
}
