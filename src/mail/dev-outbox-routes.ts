// In development: /dev/outbox lists recent development mail with its links, so a newcomer can
// sign, confirm and withdraw in a browser with no mail server at all.
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.js';
import type { MailService } from './mail-service.js';

export const devOutboxRoutes: FastifyPluginAsync<{ mail: MailService; config: Config }> = async (app, { mail, config }) => {
  app.get('/outbox', async (_request, reply) => {
    const base = config.PUBLIC_URL;
    const messages = await mail.devMessages(50);
    return reply.view('dev/outbox', {
      pageTitle: 'Development outbox',
      noindex: true,
      transport: mail.transportKind,
      stats: await mail.stats(),
      // Links are shown relative to this site so they work whatever PUBLIC_URL says.
      messages: messages.map((m) => ({ ...m, links: m.links.map((l) => (l.startsWith(base) ? l.slice(base.length) || '/' : l)) })),
    });
  });
};
