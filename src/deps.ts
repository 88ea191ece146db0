// Everything the routes need, built once per app: database, repositories, services, mail.
// Passed explicitly to each feature plugin, so the wiring is visible and tests build the same.
import { isDisposableEmailDomain } from 'disposable-email-domains-js';
import type { Eta } from 'eta';
import type { FastifyBaseLogger } from 'fastify';
import { CursorCodec } from './api/cursor.js';
import { PressRepo } from './api/press-repo.js';
import { PressService } from './api/press-service.js';
import type { BuildOptions } from './app.js';
import type { Config } from './config.js';
import { type Db, openDatabase } from './db/client.js';
import { GroupCommit } from './db/group-commit.js';
import { generateToken as randomToken } from './domain/tokens.js';
import { LetterPages } from './letters/letter-pages.js';
import { LetterRepo } from './letters/letter-repo.js';
import { OutboxRepo } from './mail/outbox-repo.js';
import { OutboxWorker } from './mail/outbox-worker.js';
import { createTransport, type MailTransport } from './mail/transport.js';
import { SignService } from './signatures/sign-service.js';
import { SignatureRepo } from './signatures/signature-repo.js';
import { SpikeGuard } from './signatures/spike-guard.js';
import { createEta } from './views.js';

export interface Deps {
  config: Config;
  db: Db;
  commits: GroupCommit;
  eta: Eta;
  now: () => Date;
  generateToken: () => string;
  letters: LetterRepo;
  letterPages: LetterPages;
  signatures: SignatureRepo;
  outbox: OutboxRepo;
  transport: MailTransport;
  worker: OutboxWorker;
  signing: SignService;
  /** Read models for the press API, badges, the feed and the letter page's chart. */
  press: PressService;
  /** Finishes queued writes and mail rounds, then closes the database. */
  close(): Promise<void>;
}

export function createDeps(config: Config, log: FastifyBaseLogger, options: BuildOptions = {}): Deps {
  const now = options.now ?? (() => new Date());
  const generateToken = options.generateToken ?? randomToken;
  const db = openDatabase(config.databasePath, { synchronous: config.DB_SYNCHRONOUS });
  const commits = new GroupCommit(db);
  const eta = createEta();
  const letters = new LetterRepo(db);
  const outbox = new OutboxRepo(db);
  const signatures = new SignatureRepo(db, commits, outbox, generateToken);
  const transport = createTransport({
    smtpUrl: config.MAIL_TRANSPORT === 'smtp' ? config.SMTP_URL : undefined,
    from: config.MAIL_FROM,
    outboxDir: config.outboxDir,
    log,
  });
  const worker = new OutboxWorker({ repo: outbox, transport, eta, publicUrl: config.PUBLIC_URL, log, now, pollMs: config.OUTBOX_POLL_MS });
  const spikeGuard =
    config.SPIKE_GUARD === 'on'
      ? new SpikeGuard({
          share: config.SPIKE_SHARE,
          minSignatures: config.SPIKE_MIN_SIGNATURES,
          windowMs: config.SPIKE_WINDOW_MINUTES * 60_000,
        })
      : null;
  const signing = new SignService({
    letters,
    signatures,
    now,
    spikeGuard,
    isDisposableDomain: config.BLOCK_DISPOSABLE_EMAIL ? isDisposableEmailDomain : null,
    mailQueued: () => worker.wake(),
  });
  const letterPages = new LetterPages(letters);
  const press = new PressService({ repo: new PressRepo(db), letters, cursors: new CursorCodec(config.SESSION_SECRET), config });

  let closed = false;
  return {
    config,
    db,
    commits,
    eta,
    now,
    generateToken,
    letters,
    letterPages,
    signatures,
    outbox,
    transport,
    worker,
    signing,
    press,
    async close() {
      if (closed) return;
      closed = true;
      await commits.drain();
      await worker.stop();
      transport.close();
      db.$client.close();
    },
  };
}
