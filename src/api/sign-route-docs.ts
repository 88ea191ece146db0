// How POST /api/v1/letters/:slug/signatures appears in the OpenAPI document. The body is the
// same zod schema the route validates with (signatureInputSchema); the route runs it itself,
// through parseSignatureInput, to answer 422 with a message per field instead of Fastify's 400.
import type { FastifySerializerCompiler, RouteShorthandOptions } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { signatureInputSchema } from '../signatures/signature-input.js';
import { documentOnly, jsonResponse, TAGS } from './openapi.js';
import { apiError, signatureAccepted, slugParams } from './schemas.js';

export const signRouteDocs: Pick<RouteShorthandOptions, 'schema' | 'validatorCompiler' | 'serializerCompiler'> = {
  schema: {
    tags: [TAGS.signatures],
    summary: 'Sign a letter',
    description:
      'Records a signature that counts once the signer follows the link we email them. The answer is the same whether ' +
      'the address is new, waiting for confirmation or already counted, so it never reveals who has signed.',
    params: slugParams,
    body: signatureInputSchema,
    response: {
      202: jsonResponse(signatureAccepted, 'Accepted: a confirmation email is on its way (or was sent already).'),
      400: jsonResponse(apiError, 'The body is not valid JSON (`invalid_json`).'),
      404: jsonResponse(apiError, 'No such letter, or it is not published (`not_found`).'),
      409: jsonResponse(apiError, 'The letter no longer takes signatures (`letter_closed`).'),
      422: jsonResponse(apiError, 'A field is missing or invalid (`validation_failed`); `fields` says which and why.'),
      429: jsonResponse(apiError, 'Too many attempts from this address or for this letter (`rate_limited`).'),
    },
  },
  validatorCompiler: documentOnly,
  serializerCompiler: serializerCompiler as FastifySerializerCompiler<unknown>,
};
