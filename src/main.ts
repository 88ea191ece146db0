// Starts the site: load config, build the app, listen; close cleanly on SIGTERM and SIGINT.
// With WORKERS > 1 (PostgreSQL), this process forks that many workers sharing the port
// (node:cluster), replaces any that dies, and drains them all on SIGTERM. That primary never
// loads the app (a worker's 100 MB would be one more copy to run): a short-lived first child
// migrates and seeds before the workers start.
import cluster from 'node:cluster';
import { once } from 'node:events';
import { type Config, ConfigError, loadConfig } from './config.js';

/** Marks the primary's first child, which prepares the database and exits. */
const SETUP_ROLE = 'UNDERSIGNED_SETUP';

/** A worker that dies is replaced after this pause (a crash loop does not spin the CPU). */
const RESTART_DELAY_MS = 1000;
/** How long a shutdown may take before the process gives up waiting. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (config.WORKERS > 1 && cluster.isPrimary) await supervise(config);
  else if (cluster.isWorker && process.env[SETUP_ROLE]) await prepare(config);
  else await serve(config);
}

/** Migrations and the demo letters, once, before any worker serves. */
async function prepare(config: Config): Promise<void> {
  const { createServices, migrateStore } = await import('./services.js');
  await migrateStore(config);
  if (config.SEED_DEMO && !config.production) {
    const { default: pino } = await import('pino');
    const services = await createServices(config, { log: pino({ level: 'warn' }) });
    try {
      await services.imports.seedDemo(services.now());
    } finally {
      await services.close();
    }
  }
  process.exit(0);
}

/** One process serving the port (alone, or as one of the workers). */
async function serve(config: Config): Promise<void> {
  const { buildApp } = await import('./app.js');
  const app = await buildApp(config);
  // Workers do not seed: the primary did it once, before forking them.
  if (cluster.isPrimary && config.SEED_DEMO && !config.production && (await app.services.imports.seedDemo(app.services.now()))) {
    app.log.info('first start: demo letters imported');
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests, flushing mail, closing the database');
    // Fastify stops accepting connections, waits for in-flight requests, then runs onClose hooks.
    const force = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    // Connections that finish their last request after close() began stay open as idle
    // keep-alive sockets unless reaped; keep reaping until the server has closed.
    const reaper = setInterval(() => app.server.closeIdleConnections(), 100);
    reaper.unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        app.log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.PORT, host: config.HOST });
  if (cluster.isPrimary) {
    app.log.info(`Undersigned is serving ${config.PUBLIC_URL}`);
    if (config.MAIL_TRANSPORT === 'file') {
      const where = config.devOutbox ? `${config.outboxDir} and ${config.PUBLIC_URL}/dev/outbox` : config.outboxDir;
      if (config.production) app.log.warn(`MAIL_TRANSPORT=file: mail is written to ${where}, not sent`);
      else app.log.info(`No SMTP_URL: mail goes to ${where}`);
    }
  }
}

/** The primary of several workers: has the database prepared once, forks, replaces, drains. */
async function supervise(config: Config): Promise<void> {
  const setup = cluster.fork({ [SETUP_ROLE]: '1' });
  const [code] = (await once(setup, 'exit')) as [number | null];
  // The child has said why on stderr, in the same one line a single process would.
  if (code !== 0) process.exit(1);

  let stopping = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
      setTimeout(fork, RESTART_DELAY_MS).unref();
    });
  };
  for (let i = 0; i < config.WORKERS; i++) fork();
  process.stdout.write(`Undersigned is serving ${config.PUBLIC_URL} with ${config.WORKERS} workers\n`);

  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    for (const worker of workers) worker.process.kill('SIGTERM');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS + 1000);
    force.unref();
    let left = workers.length;
    if (left === 0) process.exit(0);
    for (const worker of workers) {
      worker.on('exit', () => {
        left--;
        if (left === 0) process.exit(0);
      });
    }
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // Keep going while workers run: the cluster keeps the event loop busy.
  await new Promise<void>(() => {});
}

main().catch((error) => {
  process.stderr.write(`Undersigned could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
