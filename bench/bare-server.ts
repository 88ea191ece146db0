// The machine's ceiling: a bare Fastify server with one small JSON route, in its own process,
// answered the way the count route answers (a few fields, application/json), and, as a reference
// for the letter page, a route that sends N bytes of HTML.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = { slug: 'bench-letter', signature_count: 123_456, updated_at: '2026-06-01T12:00:00.000Z' };
app.get('/count', async () => body);
// A reference for big answers (the letter page): the same number of bytes, with no work behind them.
const sized = new Map<number, Buffer>();
app.get<{ Params: { bytes: string } }>('/sized/:bytes', async (request, reply) => {
  const bytes = Math.min(Number(request.params.bytes) || 0, 1_000_000);
  let payload = sized.get(bytes);
  if (!payload) {
    payload = Buffer.alloc(bytes, 'x');
    sized.set(bytes, payload);
  }
  return reply.type('text/html; charset=utf-8').send(payload);
});
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as { port: number };
process.on('message', (message: { id: number; cmd: string }) => {
  if (message.cmd === 'rss') process.send?.({ id: message.id, ok: true, result: process.memoryUsage() });
});
process.on('disconnect', () => {
  app.close().finally(() => process.exit(0));
});
process.send?.({ type: 'ready', port });
