// Security headers, decided by helmet and computed once at start. @fastify/helmet re-runs
// helmet's middleware on every request (parsing the CSP directives each time), which was the
// largest per-request cost of a cached letter page; the headers never vary per request here.
//
// Every route gets the site's headers unless its config names another set:
//   { config: { securityHeaders: 'letter' } }  pages that show a letter's text, whose images may
//                                              come from any https address (domain/markdown.ts)
//   { config: { securityHeaders: 'embed' } }   the one framable page
//   { config: { securityHeaders: 'none' } }    routes that set their own (the press API, badges)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, onRequestHookHandler } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { Config } from '../config.js';

export type HeaderSet = Readonly<Record<string, string>>;
export type SecurityHeaderSetName = 'page' | 'letter' | 'embed' | 'none';
type HeaderSetName = Exclude<SecurityHeaderSetName, 'none'>;

declare module 'fastify' {
  interface FastifyContextConfig {
    securityHeaders?: SecurityHeaderSetName;
  }
  interface FastifyInstance {
    securityHeaders: Record<HeaderSetName, HeaderSet>;
  }
}

/** The site's CSP: nothing inline, nothing from elsewhere. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

/** The headers helmet sets for these options, captured from one run of its middleware. */
export function helmetHeaders(options: HelmetOptions): HeaderSet {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error) throw error;
  });
  return Object.freeze(headers);
}

export function securityHeaderSets(config: Pick<Config, 'https'>): Record<HeaderSetName, HeaderSet> {
  const site = (frameAncestors: string[], imgSrc = CSP_DIRECTIVES.imgSrc): HelmetOptions => ({
    contentSecurityPolicy: { useDefaults: false, directives: { ...CSP_DIRECTIVES, frameAncestors, imgSrc } },
    strictTransportSecurity: config.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
    // The press API and badge are meant to be used from other sites.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    // Only the embed card may be framed, and CSP says by whom.
    frameguard: frameAncestors.includes("'none'") ? { action: 'sameorigin' } : false,
  });
  return {
    page: helmetHeaders(site(["'none'"])),
    letter: helmetHeaders(site(["'none'"], [...CSP_DIRECTIVES.imgSrc, 'https:'])),
    embed: helmetHeaders(site(['*'])),
  };
}

/** The site's headers on a reply that no route hook reached (not-found and malformed requests). */
export function applyPageHeaders(reply: FastifyReply): void {
  if (!reply.hasHeader('content-security-policy')) reply.headers(reply.server.securityHeaders.page);
}

/** Must run before any route is added: routes get their set as their first onRequest hook. */
export function registerSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'https'>): void {
  const sets = securityHeaderSets(config);
  app.decorate('securityHeaders', sets);
  const hook =
    (set: HeaderSet): onRequestHookHandler =>
    (_request, reply, done) => {
      reply.headers(set);
      done();
    };
  const hooks: Record<HeaderSetName, onRequestHookHandler> = { page: hook(sets.page), letter: hook(sets.letter), embed: hook(sets.embed) };
  app.addHook('onRoute', (route) => {
    const name = route.config?.securityHeaders ?? 'page';
    if (name === 'none') return;
    route.onRequest = [hooks[name], ...[route.onRequest ?? []].flat()];
  });
}
