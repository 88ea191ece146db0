// Starts the site: load config, build the app, listen; close cleanly on SIGTERM and SIGINT.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { seedDemoContent } from './letters/demo-content.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const app = await buildApp(config);
  if (config.SEED_DEMO && !config.production && (await seedDemoContent(app.deps))) {
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
    }, 15_000);
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
  app.log.info(`Undersigned is serving ${config.PUBLIC_URL}`);
  if (config.MAIL_TRANSPORT === 'file') {
    const where = config.devOutbox ? `${config.outboxDir} and ${config.PUBLIC_URL}/dev/outbox` : config.outboxDir;
    if (config.production) app.log.warn(`MAIL_TRANSPORT=file: mail is written to ${where}, not sent`);
    else app.log.info(`No SMTP_URL: mail goes to ${where}`);
  }
}

main().catch((error) => {
  process.stderr.write(`Undersigned could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
