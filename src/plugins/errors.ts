// The one place errors become responses: HTML pages for people, JSON for the API. A 5xx is a
// bug: logged in full with the request id, answered with a plain message and never a stack.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRefusedText, isStoreUnavailable } from '../db/store.js';
import { AppError, Forbidden, LetterClosed, NotFound, RateLimited, ValidationFailed } from '../errors.js';
import { currentTranslator } from '../i18n/context.js';
import { NO_LETTER } from '../letters/public-letters.js';
import { NO_RECEIPT } from '../log/receipt-routes.js';
import { NOT_OURS } from '../updates/update-routes.js';
import { viewHelpers } from '../views.js';
import { inRequestLocale } from './i18n.js';
import { applyPageHeaders } from './security-headers.js';

/** Seconds a client is asked to wait while the database is away. */
const UNAVAILABLE_RETRY_AFTER = 5;
const CSRF_CODES = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

/** Error pages' headings by status (catalogue keys: pages are in the reader's language). */
const HEADINGS: Record<number, string> = {
  400: 'site.error.heading.badRequest',
  403: 'site.error.heading.forbidden',
  404: 'site.error.heading.notFound',
  405: 'site.error.heading.notAllowed',
  409: 'site.error.heading.conflict',
  410: 'site.error.heading.gone',
  413: 'site.error.heading.tooLarge',
  415: 'site.error.heading.unsupported',
  422: 'site.error.heading.invalid',
  429: 'site.error.heading.rateLimited',
  500: 'site.error.heading.internal',
  503: 'site.error.heading.unavailable',
};

const CSRF_MESSAGE = 'This form has expired or did not come from this site. Go back, reload the page and try again.';
const REFUSED_TEXT = 'That request contains characters we cannot accept.';
const UNAVAILABLE = 'Our database is not answering just now. Please try again in a few seconds.';
const INTERNAL = 'Something went wrong on our side. Please try again in a moment.';
const NOTHING_HERE = 'There is nothing at this address. It may have moved, or the link may be incomplete.';
export const BAD_ADDRESS = 'That address is not valid.';
const TOO_LARGE = 'The request body is too large.';
const UNSUPPORTED = 'This content type is not accepted here. Send a form or JSON.';

/**
 * The messages people meet on public pages, by their English text, which the JSON API keeps
 * (its clients match on codes, and its docs quote the English). A message not listed here
 * shows as it was written.
 */
const PAGE_MESSAGES: Readonly<Record<string, string>> = {
  [NO_LETTER]: 'site.error.message.noLetter',
  [new NotFound().message]: 'site.error.message.notFound',
  [new LetterClosed().message]: 'site.error.message.letterClosed',
  [new ValidationFailed({}).message]: 'site.error.message.invalid',
  [new RateLimited().message]: 'site.error.message.rateLimited',
  [CSRF_MESSAGE]: 'site.error.message.csrf',
  [REFUSED_TEXT]: 'site.error.message.refusedText',
  [UNAVAILABLE]: 'site.error.message.unavailable',
  [INTERNAL]: 'site.error.message.internal',
  [NOTHING_HERE]: 'site.error.message.nothingHere',
  [BAD_ADDRESS]: 'site.error.message.badAddress',
  [TOO_LARGE]: 'site.error.message.tooLarge',
  [UNSUPPORTED]: 'site.error.message.unsupported',
  [NO_RECEIPT]: 'site.error.message.noReceipt',
  [NOT_OURS]: 'site.error.message.unsubscribeLink',
};

/** A problem's message as a page shows it, in the request's language. */
function pageMessage(problem: Problem): string {
  const translator = currentTranslator();
  // Rate limits name their wait in English ("1 minute"): a page says it in words of its own.
  if (problem.statusCode === 429) return translator.t('site.error.message.rateLimited');
  // Fastify's and the validator's English describe the request: a page says what it means instead.
  const key = PAGE_MESSAGES[problem.message] ?? (problem.technical ? 'site.error.message.badRequest' : undefined);
  return key ? translator.t(key) : problem.message;
}

/** A letter's public log (src/log/): read by programs, like the API. */
const LOG_PATH = /^\/letters\/[^/?#]+\/log(?:[/?#]|$)/;

export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || LOG_PATH.test(request.url);
}

interface Problem {
  statusCode: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
  /** The message is Fastify's or the validator's English, about the request rather than for people. */
  technical?: boolean;
}

function toProblem(error: FastifyError | AppError | Error, request?: FastifyRequest): Problem {
  // A missing or wrong CSRF token (organizer forms): a refusal with a useful sentence.
  if (CSRF_CODES.has((error as FastifyError).code)) {
    return toProblem(new Forbidden(CSRF_MESSAGE, 'csrf'));
  }
  // Text the database cannot store (SQLite takes it; PostgreSQL refuses a NUL byte): a bad request.
  if (isRefusedText(error)) return { statusCode: 400, code: 'bad_request', message: REFUSED_TEXT };
  if (isStoreUnavailable(error)) {
    return { statusCode: 503, code: 'unavailable', message: UNAVAILABLE };
  }
  if (error instanceof AppError) {
    return { statusCode: error.statusCode, code: error.code, message: error.message, fields: error.fields };
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode ?? 500;
  if (fastifyError.validation) {
    // A path that does not fit its route's parameters names nothing: a missing page, not a bad request.
    if (fastifyError.validationContext === 'params') {
      const aboutLetter = request?.routeOptions.url?.includes(':slug') && request.url.includes('/letters/');
      return { statusCode: 404, code: 'not_found', message: aboutLetter ? NO_LETTER : 'We could not find that page.' };
    }
    return { statusCode: 400, code: 'bad_request', message: `Invalid request: ${fastifyError.message}`, technical: true };
  }
  if (status >= 400 && status < 500) {
    const message = clientMessage(status, fastifyError);
    return { statusCode: status, code: clientCode(status, fastifyError.code), message, technical: !PAGE_MESSAGES[message] };
  }
  return { statusCode: 500, code: 'internal_error', message: INTERNAL };
}

function clientCode(status: number, code?: string): string {
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'invalid_json';
  return 'bad_request';
}

function clientMessage(status: number, error: FastifyError): string {
  switch (status) {
    case 413:
      return TOO_LARGE;
    case 415:
      return UNSUPPORTED;
    default:
      // Fastify's own 4xx messages describe the request, not our internals.
      return error.message || 'The request could not be understood.';
  }
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  reply.code(problem.statusCode);
  if (wantsJson(request)) {
    const { statusCode: _, technical: __, ...error } = problem;
    // The press API is read from other origins: its errors must be readable there too.
    if (!reply.hasHeader('access-control-allow-origin')) reply.header('access-control-allow-origin', '*');
    return reply.type('application/json; charset=utf-8').send({ error });
  }
  // Rendered with the app's Eta directly: errors raised before routing have no reply.view.
  // In the request's language also when the error came from outside the hooks' scope (a body
  // that could not be read).
  const html = inRequestLocale(request, () => {
    const heading = currentTranslator().t(HEADINGS[problem.statusCode] ?? 'site.error.heading.other');
    return request.server.services.eta.render('error', {
      ...viewHelpers,
      statusCode: problem.statusCode,
      heading,
      message: pageMessage(problem),
      pageTitle: heading,
      noindex: true,
    });
  });
  return reply.type('text/html; charset=utf-8').send(html);
}

/** The one error handler: every error of every route becomes a page or a JSON problem here. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.statusCode === 503) request.log.warn({ err: error, reqId: request.id }, 'database unavailable');
    else if (problem.statusCode >= 500) request.log.error({ err: error, reqId: request.id }, 'unhandled error');
    else request.log.info({ status: problem.statusCode, code: problem.code }, 'request refused');
    if (problem.statusCode === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
    if (problem.statusCode === 503) reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER));
    try {
      return await sendProblem(request, reply, problem);
    } catch (renderError) {
      request.log.error({ err: renderError }, 'error page failed to render');
      return reply.code(problem.statusCode).type('text/plain; charset=utf-8').send(problem.message);
    }
  });

  app.setNotFoundHandler(async (request, reply) => {
    applyPageHeaders(reply);
    return sendProblem(request, reply, {
      statusCode: 404,
      code: 'not_found',
      message: wantsJson(request) ? 'No such endpoint or resource.' : NOTHING_HERE,
    });
  });
}
