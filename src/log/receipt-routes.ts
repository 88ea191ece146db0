// A signer's receipt, reached through their own confirmation link: a JSON file proving their
// signature's entry is in the letter's public log. It holds the salt of their commitment, so it
// goes only to whoever holds the link (a signer who chose not to be listed has it only here).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { isWellFormedToken } from '../domain/tokens.js';
import { NotFound } from '../errors.js';
import { tokenParams } from '../http/params.js';
import { currentTranslator } from '../i18n/context.js';
import type { LogService } from './log-service.js';

export const NO_RECEIPT = 'There is no receipt at this link: it is not one of ours, or its signature does not count (yet, or any more).';
/** Seconds the "ready in a moment" page waits before asking again. */
const RETRY_SECONDS = 3;

export const receiptRoutes: FastifyPluginAsync<{ log: LogService }> = async (root, { log }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/verify/:token/receipt', { schema: { params: tokenParams } }, async (request, reply) => {
    const { token } = request.params;
    if (!isWellFormedToken(token)) throw new NotFound(NO_RECEIPT);
    const outcome = await log.receipt(token);
    if (outcome.kind === 'none') throw new NotFound(NO_RECEIPT);
    reply.header('cache-control', 'no-store');
    if (outcome.kind === 'pending') {
      reply.code(202).header('refresh', String(RETRY_SECONDS)).header('retry-after', String(RETRY_SECONDS));
      return reply.view('log/receipt-pending', {
        pageTitle: currentTranslator().t('site.receipt.pageTitle'),
        noindex: true,
        retry: RETRY_SECONDS,
      });
    }
    return reply
      .header('content-disposition', `attachment; filename="signature-receipt-${outcome.slug}.json"`)
      .type('application/json; charset=utf-8')
      .send(`${JSON.stringify(outcome.receipt, null, 2)}\n`);
  });
};
