// The one place errors become responses: HTML pages for people, JSON for the API. A 5xx is a
// bug: logged in full with the request id, answered with a plain message and never a stack.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { viewHelpers } from '../views.js';
import { applyPageHeaders } from './security-headers.js';

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
  503: 'We are restarting',
};

export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

interface Problem {
  statusCode: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
}

function toProblem(error: FastifyError | AppError | Error): Problem {
  if (error instanceof AppError) {
    return { statusCode: error.statusCode, code: error.code, message: error.message, fields: error.fields };
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode ?? 500;
  if (fastifyError.validation) {
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
  const html = request.server.deps.eta.render('error', {
    ...viewHelpers,
    statusCode: problem.statusCode,
    heading: HEADINGS[problem.statusCode] ?? 'That did not work',
    message: problem.message,
    pageTitle: HEADINGS[problem.statusCode] ?? 'Error',
    noindex: true,
  });
  return reply.type('text/html; charset=utf-8').send(html);
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    if (problem.statusCode >= 500) request.log.error({ err: error, reqId: request.id }, 'unhandled error');
    else request.log.info({ status: problem.statusCode, code: problem.code }, 'request refused');
    if (problem.statusCode === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
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
