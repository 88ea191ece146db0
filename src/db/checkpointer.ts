// WAL checkpoints on a thread of their own. By default SQLite checkpoints inside whichever commit
// pushes the WAL past 1,000 pages: that commit then copies pages into the database file and
// fsyncs it while the event loop waits, which stalled signing for hundreds of milliseconds on a
// letter with a million signatures. Here the app's connection never checkpoints; a worker
// thread with its own connection runs PASSIVE checkpoints (they never block readers or the
// writer), and SQLite restarts the WAL from the top once everything in it has been copied.
//
// If the thread fails, the app's connection takes checkpoints back, so the WAL stays bounded.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from './client.js';

/** The SQLite default, restored when the thread is gone. */
const AUTO_CHECKPOINT_PAGES = 1000;

// Plain CommonJS, evaluated as is: the thread needs no TypeScript loader in any runtime (tsx, vitest).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => checkpoint.run(), workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint.run();
  db.close();
  parentPort.close();
});
`;

export interface CheckpointerOptions {
  intervalMs?: number;
  log: FastifyBaseLogger;
}

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopping = false;

  constructor(
    private readonly db: Db,
    options: CheckpointerOptions,
  ) {
    db.$client.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path: db.$client.name,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs: options.intervalMs ?? 100,
      },
    });
    // An idle thread must not keep a CLI or test process alive.
    this.worker.unref();
    this.exited = new Promise((resolve) => {
      this.worker.once('error', (error) => {
        options.log.error({ err: error }, 'checkpoint thread failed; checkpointing on the main connection');
      });
      this.worker.once('exit', () => {
        if (!this.stopping && this.db.$client.open) this.db.$client.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
        resolve();
      });
    });
  }

  /** Stops the thread as a crash would (tests of the fallback). */
  async kill(): Promise<void> {
    await this.worker.terminate();
    await this.exited;
  }

  /** Runs a last checkpoint and closes the thread's connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.worker.postMessage('stop');
    await this.exited;
  }
}
