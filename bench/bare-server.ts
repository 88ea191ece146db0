// The machine's ceiling: a bare Fastify server with one small JSON route, in its own process,
// answered the way the count route answers (a few fields, application/json).
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = { slug: 'bench-letter', signature_count: 123_456, updated_at: '2026-06-01T12:00:00.000Z' };
app.get('/count', async () => body);
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as { port: number };
process.on('message', (message: { id: number; cmd: string }) => {
  if (message.cmd === 'rss') process.send?.({ id: message.id, ok: true, result: process.memoryUsage() });
});
process.on('disconnect', () => {
  app.close().finally(() => process.exit(0));
});
process.send?.({ type: 'ready', port });
