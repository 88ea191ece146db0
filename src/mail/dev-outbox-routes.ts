// Outside production: /dev/outbox lists recent development mail with its links, so a newcomer
// can sign, confirm and withdraw in a browser with no mail server at all.
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../deps.js';
import { listDevOutbox } from './transport.js';

export const devOutboxRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/outbox', async (_request, reply) => {
    const stats = await deps.outbox.stats(deps.now());
    const messages = deps.transport.kind === 'dev-outbox' ? await listDevOutbox(deps.config.outboxDir, 50) : [];
    const base = deps.config.PUBLIC_URL;
    return reply.view('dev/outbox', {
      pageTitle: 'Development outbox',
      noindex: true,
      transport: deps.transport.kind,
      stats,
      // Links are shown relative to this site so they work whatever PUBLIC_URL says.
      messages: messages.map((m) => ({ ...m, links: m.links.map((l) => (l.startsWith(base) ? l.slice(base.length) || '/' : l)) })),
    });
  });
};
