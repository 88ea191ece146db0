// HTTP caching and cross-origin headers for everything other sites fetch: the press API, badges
// and the feed. Validators are strong ETags; a matching If-None-Match costs a 304 with no body.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

export interface CachePolicies {
  /** Counts, the badge and the embed card: live numbers, refreshed every few seconds. */
  counts: string;
  /** Letter lists and details, signature pages and timeseries: they move with every signature too. */
  lists: string;
  /** Things that change rarely: the OpenAPI document and the Atom feed. */
  documents: string;
}

export const LIST_MAX_AGE = 30;
export const LIST_STALE_WHILE_REVALIDATE = 60;
export const DOCUMENT_MAX_AGE = 300;

export function cachePolicies(config: Pick<Config, 'COUNT_MAX_AGE' | 'COUNT_STALE_WHILE_REVALIDATE'>): CachePolicies {
  return {
    counts: `public, max-age=${config.COUNT_MAX_AGE}, stale-while-revalidate=${config.COUNT_STALE_WHILE_REVALIDATE}`,
    lists: `public, max-age=${LIST_MAX_AGE}, stale-while-revalidate=${LIST_STALE_WHILE_REVALIDATE}`,
    documents: `public, max-age=${DOCUMENT_MAX_AGE}`,
  };
}

/** Headers for anything meant to be read from other origins (GET and HEAD). */
export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
} as const;

/** The answer to a CORS preflight: reading is open to every origin, writing is not offered. */
export const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'If-None-Match, Accept',
  'access-control-max-age': '86400',
} as const;

/** A strong validator from the exact bytes of a representation. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const candidate of ifNoneMatch.split(',')) {
    const tag = candidate.trim();
    if ((tag.startsWith('W/') ? tag.slice(2) : tag) === bare) return true;
  }
  return false;
}

/**
 * Sets the validator and, when the client already has this version, answers 304 and returns
 * true: the caller stops there. Cache-Control must already be set (a 304 repeats it).
 */
export function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag);
  if (!matchesEtag(request.headers['if-none-match'], etag)) return false;
  reply.code(304).send();
  return true;
}

/**
 * An onSend hook for routes that return objects: tags each successful body with a strong ETag
 * of its bytes and turns a matching conditional request into a 304. Routes that set their own
 * ETag (the counts) are left alone.
 */
export function etagOnSend(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: null, payload: unknown) => void,
): void {
  if (reply.statusCode !== 200 || reply.hasHeader('etag') || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) {
    done(null, payload);
    return;
  }
  const etag = etagOf(payload);
  reply.header('etag', etag);
  if (!matchesEtag(request.headers['if-none-match'], etag)) {
    done(null, payload);
    return;
  }
  reply.code(304);
  reply.removeHeader('content-type');
  done(null, null);
}

/**
 * Security headers for read-only routes that skip the site's page set (securityHeaders: 'none').
 * Only what matters for a JSON, SVG or feed response is sent: every header is paid for on every
 * poll. `embeddable` is for images other pages show.
 */
export function readOnlyHeaders(
  config: Pick<Config, 'https'>,
  contentSecurityPolicy: string,
  options: { embeddable?: boolean } = {},
): Record<string, string> {
  return {
    ...CORS_HEADERS,
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    ...(options.embeddable ? { 'cross-origin-resource-policy': 'cross-origin' } : {}),
    ...(config.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
