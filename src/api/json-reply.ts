// Sends a read model as JSON with its validator, encoding each answer object once: the service
// hands back the same object while nothing has changed, so repeats cost a lookup, and a client
// that already has it gets a 304 without any encoding at all.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { etagOf, notModified } from './http-cache.js';

export const JSON_TYPE = 'application/json; charset=utf-8';

interface Encoded {
  body: string;
  etag: string;
}

export type JsonSender<T extends object> = (
  request: FastifyRequest,
  reply: FastifyReply,
  value: T,
  cacheControl: string,
  /** A validator the caller can name more cheaply than a hash of the body. */
  etag?: string,
) => FastifyReply;

/** Encodes through the route's zod response schema, exactly as Fastify's serializer would. */
export function jsonSender<T extends object>(schema: z.ZodType<T>, url: string): JsonSender<T> {
  const encode = serializerCompiler({ schema, method: 'GET', url, httpStatus: '200' });
  const encoded = new WeakMap<T, Encoded>();
  return (request, reply, value, cacheControl, etag) => {
    let answer = encoded.get(value);
    if (!answer) {
      const body = encode(value);
      answer = { body, etag: etag ?? etagOf(body) };
      encoded.set(value, answer);
    }
    reply.header('cache-control', cacheControl);
    if (notModified(request, reply, answer.etag)) return reply;
    // A string with a JSON content type is sent as is: Fastify does not serialize it again.
    return reply.type(JSON_TYPE).send(answer.body);
  };
}
