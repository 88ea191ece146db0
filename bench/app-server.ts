// The app under test, in a child process of the benchmark: buildApp on the database the benchmark
// prepared, listening on a random 127.0.0.1 port. With BENCH_WORKERS > 1 this process forks that
// many workers sharing the port (node:cluster, as `npm start` does) and relays the benchmark's
// questions to them. The outbox worker starts only when asked, so the verify phase can read
// verification tokens from queued mail first.
import cluster, { type Worker } from 'node:cluster';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { BenchRequest } from './child.js';

const workers = Number(process.env.BENCH_WORKERS ?? '1');

type Answer = { id: number; ok: boolean; result?: unknown; error?: string };

if (workers > 1 && cluster.isPrimary) {
  await supervise();
} else {
  await serve();
}

/** One process serving the port: alone (answering the benchmark) or as a cluster worker (answering the primary). */
async function serve(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    RATE_LIMIT: 'off',
    SPIKE_GUARD: 'off',
    SEED_DEMO: 'false',
    HOST: '127.0.0.1',
    WORKERS: '1',
  });
  const app = await buildApp(config, { startBackground: false });
  // The public log's integrator runs as in production, every second (the benchmark drives only
  // the mail worker by hand): what confirmations queue is sequenced while they are measured.
  const integrator = setInterval(() => void app.services.log.integrate().catch(() => {}), 1000);
  integrator.unref();
  app.addHook('onClose', async () => clearInterval(integrator));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const { mail } = app.services;

  const handle = async (request: BenchRequest): Promise<unknown> => {
    switch (request.cmd) {
      case 'rss':
        return process.memoryUsage();
      case 'cpu':
        return process.cpuUsage();
      case 'gc':
        // Diagnostics only (the app runs with --expose-gc when the benchmark asks for it).
        global.gc?.();
        return process.memoryUsage();
      case 'startWorker':
        mail.worker.start();
        return true;
      case 'stopWorker':
        await mail.worker.stop();
        return true;
      case 'outbox':
        return mail.stats();
      case 'close':
        await app.close();
        setImmediate(() => process.exit(0));
        return true;
      default:
        throw new Error(`unknown command ${request.cmd}`);
    }
  };

  process.on('message', (message: BenchRequest) => {
    handle(message).then(
      (result) => process.send?.({ id: message.id, ok: true, result } satisfies Answer),
      (error: unknown) => process.send?.({ id: message.id, ok: false, error: String(error) } satisfies Answer),
    );
  });
  // The benchmark (or the primary) going away must not leave a server behind.
  process.on('disconnect', () => {
    app.close().finally(() => process.exit(0));
  });
  process.send?.({ type: 'ready', port });
}

/** The primary of several workers: forks them, and answers the benchmark by asking them. */
async function supervise(): Promise<void> {
  const ready = await Promise.all(
    Array.from({ length: workers }, () => {
      const worker = cluster.fork();
      return new Promise<{ worker: Worker; port: number }>((resolve) => {
        const onReady = (message: { type?: string; port?: number }) => {
          if (message.type !== 'ready') return;
          worker.off('message', onReady);
          resolve({ worker, port: message.port as number });
        };
        worker.on('message', onReady);
      });
    }),
  );
  let next = 1;
  const ask = (worker: Worker, request: BenchRequest) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++;
      const onAnswer = (answer: Answer) => {
        if (answer.id !== id) return;
        worker.off('message', onAnswer);
        if (answer.ok) resolve(answer.result);
        else reject(new Error(answer.error));
      };
      worker.on('message', onAnswer);
      worker.send({ ...request, id });
    });
  const all = (request: BenchRequest) => Promise.all(ready.map(({ worker }) => ask(worker, request)));

  const handle = async (request: BenchRequest): Promise<unknown> => {
    switch (request.cmd) {
      case 'rss':
      case 'gc': {
        // The whole app's memory: every worker's, and this process's.
        const usages = (await all(request)) as NodeJS.MemoryUsage[];
        const own = process.memoryUsage();
        const sum = (key: keyof NodeJS.MemoryUsage) => usages.reduce((total, u) => total + u[key], own[key]);
        return {
          rss: sum('rss'),
          heapUsed: sum('heapUsed'),
          heapTotal: sum('heapTotal'),
          external: sum('external'),
          arrayBuffers: sum('arrayBuffers'),
        };
      }
      case 'cpu': {
        const usages = (await all(request)) as NodeJS.CpuUsage[];
        const own = process.cpuUsage();
        return usages.reduce((total, u) => ({ user: total.user + u.user, system: total.system + u.system }), own);
      }
      case 'outbox':
        return ask((ready[0] as { worker: Worker }).worker, request);
      case 'close':
        await all(request).catch(() => undefined);
        setImmediate(() => process.exit(0));
        return true;
      default:
        await all(request);
        return true;
    }
  };

  process.on('message', (message: BenchRequest) => {
    handle(message).then(
      (result) => process.send?.({ id: message.id, ok: true, result } satisfies Answer),
      (error: unknown) => process.send?.({ id: message.id, ok: false, error: String(error) } satisfies Answer),
    );
  });
  process.on('disconnect', () => {
    for (const { worker } of ready) worker.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2000).unref();
  });
  process.send?.({ type: 'ready', port: ready[0]?.port });
}
