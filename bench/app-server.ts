// The app under test, in a child process of the benchmark: buildApp on the database the
// benchmark prepared, listening on a random 127.0.0.1 port. The outbox worker starts only when
// asked over IPC, so the verify phase can read verification links from queued mail first.
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { BenchRequest } from './child.js';

const config = loadConfig({
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  RATE_LIMIT: 'off',
  SPIKE_GUARD: 'off',
  SEED_DEMO: 'false',
  HOST: '127.0.0.1',
});
const app = await buildApp(config, { startWorker: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as { port: number };

async function handle(request: BenchRequest): Promise<unknown> {
  switch (request.cmd) {
    case 'rss':
      return process.memoryUsage();
    case 'gc':
      // Diagnostics only (the app runs with --expose-gc when the benchmark asks for it).
      global.gc?.();
      return process.memoryUsage();
    case 'startWorker':
      app.deps.worker.start();
      return true;
    case 'stopWorker':
      await app.deps.worker.stop();
      return true;
    case 'outbox':
      return app.deps.outbox.stats(app.deps.now());
    case 'close':
      await app.close();
      setImmediate(() => process.exit(0));
      return true;
    default:
      throw new Error(`unknown command ${request.cmd}`);
  }
}

process.on('message', (message: BenchRequest) => {
  handle(message).then(
    (result) => process.send?.({ id: message.id, ok: true, result }),
    (error: unknown) => process.send?.({ id: message.id, ok: false, error: String(error) }),
  );
});
// The benchmark going away (or a crash there) must not leave a server behind.
process.on('disconnect', () => {
  app.close().finally(() => process.exit(0));
});
process.send?.({ type: 'ready', port });
