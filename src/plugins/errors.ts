// The one place errors become responses: HTML pages for people, JSON for the API. A 5xx is a
// bug: logged in full with the request id, answered with a plain message and never a stack.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRefusedText, isStoreUnavailable } from '../db/store.js';
import { AppError, Forbidden } from '../errors.js';
import { NO_LETTER } from '../letters/public-letters.js';
import { viewHelpers } from '../views.js';
import { inRequestLocale } from './i18n.js';
import { applyPageHeaders } from './security-headers.js';

/** Seconds a client is asked to wait while the database is away. */
const UNAVAILABLE_RETRY_AFTER = 5;
const CSRF_CODES = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

const HEADINGS: Record<number, string> = {
  400: 'Something in that request was not right',
  403: 'You cannot do that',
  404: 'Page not found',
  405: 'That is not allowed here',
  409: 'That could not be done',
  410: 'This link no longer works',
  413: 'That was too much to send',
  415: 'We cannot read that format',
  422: 'Please check what you entered',
  429: 'Too many attempts',
  500: 'Something went wrong on our side',
  503: 'Back in a moment',
};

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
}

function toProblem(error: FastifyError | AppError | Error, request?: FastifyRequest): Problem {
  // A missing or wrong CSRF token (organizer forms): a refusal with a useful sentence.
  if (CSRF_CODES.has((error as FastifyError).code)) {
    return toProblem(
      new Forbidden('This form has expired or did not come from this site. Go back, reload the page and try again.', 'csrf'),
    );
  }
  // Text the database cannot store (SQLite takes it; PostgreSQL refuses a NUL byte): a bad request.
  if (isRefusedText(error)) return { statusCode: 400, code: 'bad_request', message: 'That request contains characters we cannot accept.' };
  if (isStoreUnavailable(error)) {
    return { statusCode: 503, code: 'unavailable', message: 'Our database is not answering just now. Please try again in a few seconds.' };
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
    return { statusCode: 400, code: 'bad_request', message: `Invalid request: ${fastifyError.message}` };
  }
  if (status >= 400 && status < 500) {
    return { statusCode: status, code: clientCode(status, fastifyError.code), message: clientMessage(status, fastifyError) };
  }
  return { statusCode: 500, code: 'internal_error', message: 'Something went wrong on our side. Please try again in a moment.' };
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
      return 'The request body is too large.';
    case 415:
      return 'This content type is not accepted here. Send a form or JSON.';
    default:
      // Fastify's own 4xx messages describe the request, not our internals.
      return error.message || 'The request could not be understood.';
  }
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  reply.code(problem.statusCode);
  if (wantsJson(request)) {
    const { statusCode: _, ...error } = problem;
    // The press API is read from other origins: its errors must be readable there too.
    if (!reply.hasHeader('access-control-allow-origin')) reply.header('access-control-allow-origin', '*');
    return reply.type('application/json; charset=utf-8').send({ error });
  }
  // Rendered with the app's Eta directly: errors raised before routing have no reply.view.
  // In the request's language also when the error came from outside the hooks' scope (a body
  // that could not be read).
  const html = inRequestLocale(request, () =>
    request.server.services.eta.render('error', {
      ...viewHelpers,
      statusCode: problem.statusCode,
      heading: HEADINGS[problem.statusCode] ?? 'That did not work',
      message: problem.message,
      pageTitle: HEADINGS[problem.statusCode] ?? 'Error',
      noindex: true,
    }),
  );
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
      message: wantsJson(request)
        ? 'No such endpoint or resource.'
        : 'There is nothing at this address. It may have moved, or the link may be incomplete.',
    });
  });
}
