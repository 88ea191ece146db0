// The language of every request: negotiated before routing (negotiate-locale.ts), remembered in
// the `lang` cookie when chosen by ?lang=xx, and entered as the request's locale scope so that
// every page, partial and error renders in it (i18n/context.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { type LocaleScope, withScope } from '../i18n/context.js';
import { isLocale, type Locale } from '../i18n/locales.js';
import { type LocaleSource, langCookie, negotiateLocale } from '../i18n/negotiate-locale.js';
import { translatorFor } from '../i18n/translator.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The language this request is answered in. */
    locale: Locale;
    /**
     * A letter's page: its main language, used when neither ?lang, the cookie nor Accept-Language
     * chose one.
     */
    useLetterLanguage(language: string | null | undefined): void;
  }
}

const ONE_YEAR_S = 365 * 24 * 60 * 60;
const kScope = Symbol('localeScope');
const kSource = Symbol('localeSource');

type LocaleRequest = FastifyRequest & { [kScope]: LocaleScope | null; [kSource]: LocaleSource };

/** Machine-read addresses: no cookie, whatever ?lang says. */
function isForPrograms(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/static/') || /^\/letters\/[^/?#]+\/log(?:[/?#]|$)/.test(url);
}

/** Registered on the root before any route, as the error handlers are: every route is in a language. */
export function registerI18n(app: FastifyInstance, config: Pick<Config, 'https'>): void {
  app.decorateRequest('locale', 'en');
  app.decorateRequest(kScope, null);
  app.decorateRequest(kSource, 'default');
  app.decorateRequest('useLetterLanguage', function (this: FastifyRequest, language: string | null | undefined) {
    const request = this as LocaleRequest;
    if (request[kSource] !== 'default' || !isLocale(language)) return;
    setLocale(request, language, 'letter');
  });

  app.addHook('onRequest', (request, reply, done) => {
    const query = (request.query as Record<string, unknown> | undefined)?.lang;
    const chosen = negotiateLocale({
      query,
      cookie: langCookie(request.headers.cookie),
      acceptLanguage: request.headers['accept-language'],
    });
    // A form's answer links to the page at its address, where GET shows the form again.
    const path = request.method === 'GET' || request.method === 'HEAD' ? request.url : request.url.split('?')[0];
    const scope: LocaleScope = { translator: translatorFor(chosen.locale), path };
    (request as LocaleRequest)[kScope] = scope;
    setLocale(request as LocaleRequest, chosen.locale, chosen.source);
    if (chosen.source === 'query' && !isForPrograms(request.url)) rememberLocale(reply, chosen.locale, config.https);
    withScope(scope, done);
  });
  // A request body is read from the socket's own async context: enter the scope again once it is
  // parsed, and again just before the handler, so the handler and its views run inside it.
  const reenter = (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    const scope = (request as LocaleRequest)[kScope];
    if (scope) withScope(scope, done);
    else done();
  };
  app.addHook('preValidation', reenter);
  app.addHook('preHandler', reenter);

  // Pages differ by language; the press API's JSON does not depend on these headers.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) reply.header('vary', 'Accept-Language, Cookie');
    return payload;
  });
}

function setLocale(request: LocaleRequest, locale: Locale, source: LocaleSource) {
  request.locale = locale;
  request[kSource] = source;
  const scope = request[kScope];
  if (scope) scope.translator = translatorFor(locale);
}

function rememberLocale(reply: FastifyReply, locale: Locale, https: boolean) {
  reply.header('set-cookie', `lang=${locale}; Max-Age=${ONE_YEAR_S}; Path=/; SameSite=Lax${https ? '; Secure' : ''}`);
}

/** Runs fn in the request's language: for what renders outside the hooks' reach (error pages). */
export function inRequestLocale<T>(request: FastifyRequest, fn: () => T): T {
  const scope = (request as Partial<LocaleRequest>)[kScope];
  return scope ? withScope(scope, fn) : fn();
}
