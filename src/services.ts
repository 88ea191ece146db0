// The composition root: the one place the object graph is built, for the web app, the CLI and
// the benchmark alike. The store is chosen here (from DATABASE_URL); repositories and the store
// stay inside, and what comes out are services, each with the rules of one feature.
import { isDisposableEmailDomain } from 'disposable-email-domains-js';
import type { Eta } from 'eta';
import type { FastifyBaseLogger } from 'fastify';
import { CursorCodec } from './api/cursor.js';
import { PressRepo } from './api/press-repo.js';
import { PressService } from './api/press-service.js';
import type { Config } from './config.js';
import { openStore } from './db/open-store.js';
import type { Store } from './db/store.js';
import { parseSigningKey } from './domain/signed-note.js';
import { generateToken as randomToken } from './domain/tokens.js';
import { UnsubscribeTokens } from './domain/unsubscribe-token.js';
import { type Job, Jobs } from './jobs.js';
import { LetterImports } from './letters/letter-imports.js';
import { LetterPage } from './letters/letter-page.js';
import { LetterRepo } from './letters/letter-repo.js';
import { PublicLetters } from './letters/public-letters.js';
import { SignatoryPage } from './letters/signatory-page.js';
import { LoginThrottle } from './limits/login-throttle.js';
import { databaseRateLimitStore, type RateLimitStore } from './limits/rate-limit-store.js';
import { WindowCounters } from './limits/window-counters.js';
import { LogRepo } from './log/log-repo.js';
import { LogService } from './log/log-service.js';
import { MailService } from './mail/mail-service.js';
import { OutboxRepo } from './mail/outbox-repo.js';
import { OutboxWorker } from './mail/outbox-worker.js';
import { createTransport } from './mail/transport.js';
import { Maintenance } from './maintenance.js';
import { Access } from './organizers/access.js';
import { AccountRepo } from './organizers/account-repo.js';
import { AuditRepo } from './organizers/audit-repo.js';
import { AuthService } from './organizers/auth-service.js';
import { DigestRepo } from './organizers/digest-repo.js';
import { ExportService } from './organizers/export-service.js';
import { LetterAdminRepo } from './organizers/letter-admin-repo.js';
import { LetterService } from './organizers/letter-service.js';
import { MemberRepo } from './organizers/member-repo.js';
import { MemberService } from './organizers/member-service.js';
import { DIGEST_JOB_EVERY_MS, ModerationDigest } from './organizers/moderation-digest.js';
import { ModerationService } from './organizers/moderation-service.js';
import { NotableRepo } from './organizers/notable-repo.js';
import { NotableService } from './organizers/notable-service.js';
import type { OrganizerServices } from './organizers/organizer-services.js';
import { SessionRepo } from './organizers/session-repo.js';
import { SignatureAdminRepo } from './organizers/signature-admin-repo.js';
import { TranslationAdminRepo } from './organizers/translation-admin-repo.js';
import { TranslationService } from './organizers/translation-service.js';
import { CounterCheck } from './signatures/counter-check.js';
import { SignService } from './signatures/sign-service.js';
import { SignatureRepo } from './signatures/signature-repo.js';
import { SpikeWindows } from './signatures/spike-windows.js';
import { type CopyOutcome, copyAndCheck } from './store-copy.js';
import { SendBudget } from './updates/send-budget.js';
import { UpdateDelivery } from './updates/update-delivery.js';
import { UpdateRepo } from './updates/update-repo.js';
import { UpdateService } from './updates/update-service.js';
import { createEta } from './views.js';

export interface ServiceOptions {
  log: FastifyBaseLogger;
  /** Injected clock, so expiry and deadlines are testable without sleeping. */
  now?: () => Date;
  generateToken?: () => string;
  /** An open store to use instead of opening the one DATABASE_URL names (tests keep a handle on it). */
  store?: Store;
}

export interface Services {
  config: Config;
  now: () => Date;
  /** Templates for pages and errors. */
  eta: Eta;
  letters: PublicLetters;
  letterPage: LetterPage;
  /** /letters/:slug/signatures: every listed signature, searchable. */
  signatoryPage: SignatoryPage;
  signing: SignService;
  press: PressService;
  imports: LetterImports;
  organizers: OrganizerServices;
  /** Updates to signers: writing, sending, progress, the public list, unsubscribing. */
  updates: UpdateService;
  mail: MailService;
  counters: CounterCheck;
  /** Each letter's public signature log. */
  log: LogService;
  maintenance: Maintenance;
  /** The background jobs (their timers start with startBackground; `run` gives one its turn now). */
  jobs: Jobs;
  /**
   * Where request rate limits are counted: undefined keeps them in memory (one process on
   * SQLite), otherwise the database or Redis shares them between processes.
   */
  rateLimitStore: RateLimitStore;
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  /** Starts the outbox worker and the background jobs. */
  startBackground(): void;
  /** Finishes queued work and closes everything. */
  close(): Promise<void>;
}

const MINUTE_MS = 60_000;

/** For messages that name a database: the URL without its password. */
export { redact } from './db/open-store.js';
export type { CopiedSide, CopyOutcome } from './store-copy.js';

/** Applies pending migrations and closes: the primary of several workers does it once, before forking. */
export async function migrateStore(config: Config): Promise<void> {
  const store = await openStore(config);
  await store.close();
}

/** `copy-store`: every row of the store `from` names into the empty one `to` names, then both checked. */
export async function copyStores(from: Config, to: Config, progress: (table: string, rows: number) => void): Promise<CopyOutcome> {
  const source = await openStore(from);
  try {
    const destination = await openStore(to);
    try {
      return await copyAndCheck(source, destination, progress);
    } finally {
      await destination.close();
    }
  } finally {
    await source.close();
  }
}

export async function createServices(config: Config, options: ServiceOptions): Promise<Services> {
  const now = options.now ?? (() => new Date());
  const generateToken = options.generateToken ?? randomToken;
  const store = options.store ?? (await openStore(config));
  const log = options.log;
  const eta = createEta();
  const changeMark = () => store.changeMark();

  // ---- mail ----------------------------------------------------------------------------------
  const outbox = new OutboxRepo(store);
  const transport = createTransport({
    smtpUrl: config.MAIL_TRANSPORT === 'smtp' ? config.SMTP_URL : undefined,
    from: config.MAIL_FROM,
    outboxDir: config.outboxDir,
    log,
  });
  const audit = new AuditRepo(store);
  const windowCounters = new WindowCounters(store);
  // Update mail: rendered by the updates feature, sent in the bulk lane within UPDATES_PER_SECOND.
  const updateRepo = new UpdateRepo(store, audit);
  const unsubscribeTokens = new UnsubscribeTokens(config.SESSION_SECRET);
  const updateDelivery = new UpdateDelivery({
    repo: updateRepo,
    eta,
    publicUrl: config.PUBLIC_URL,
    tokens: unsubscribeTokens,
    budget: new SendBudget(windowCounters, config.UPDATES_PER_SECOND),
  });
  const worker = new OutboxWorker({
    repo: outbox,
    transport,
    eta,
    publicUrl: config.PUBLIC_URL,
    log,
    now,
    pollMs: config.OUTBOX_POLL_MS,
    leaseMs: config.OUTBOX_LEASE,
    renderers: updateDelivery.renderers,
    bulk: updateDelivery.bulk,
    recipientRefusedTx: (tx, row, reason, at) => updateDelivery.recipientRefusedTx(tx, row, reason, at),
  });
  const mail = new MailService(outbox, worker, transport, config.outboxDir, now);
  const mailQueued = () => worker.wake();

  // ---- letters, signing and the press ---------------------------------------------------------
  const letterRepo = new LetterRepo(store);
  const publicLetters = new PublicLetters(letterRepo, { changeMark, now });
  const spikeRule = {
    share: config.SPIKE_SHARE,
    minSignatures: config.SPIKE_MIN_SIGNATURES,
    windowMs: config.SPIKE_WINDOW_MINUTES * MINUTE_MS,
  };
  const spikeWindows = new SpikeWindows(store, spikeRule);
  const signatureRepo = new SignatureRepo(store, outbox, config.SPIKE_GUARD === 'on' ? spikeWindows : null, generateToken);
  const signing = new SignService({
    letters: letterRepo,
    publicLetters,
    signatures: signatureRepo,
    now,
    spikeGuard: config.SPIKE_GUARD === 'on',
    isDisposableDomain: config.BLOCK_DISPOSABLE_EMAIL ? isDisposableEmailDomain : null,
    mailQueued,
  });
  const signatureLog = new LogService({
    repo: new LogRepo(store),
    letters: publicLetters,
    letterRepo,
    signatures: signatureRepo,
    key: parseSigningKey(config.LOG_SIGNING_KEY),
    publicUrl: config.PUBLIC_URL,
    now,
    changeMark,
    log,
  });
  const press = new PressService({
    repo: new PressRepo(store),
    letters: letterRepo,
    publicLetters,
    cursors: new CursorCodec(config.SESSION_SECRET),
    log: signatureLog,
    config,
    changeMark,
    now,
  });
  const letterPage = new LetterPage({
    letters: letterRepo,
    publicLetters,
    press,
    eta,
    secret: config.SESSION_SECRET,
    publicUrl: config.PUBLIC_URL,
    now,
    changeMark,
    publicUpdates: (letterId) => updates.publicUpdates(letterId),
  });
  const signatoryPage = new SignatoryPage({ publicLetters, letters: letterRepo, press });
  const imports = new LetterImports(letterRepo, signing);

  // ---- organizers ----------------------------------------------------------------------------
  const sessions = new SessionRepo(store, audit);
  const accounts = new AccountRepo(store, audit, outbox, sessions);
  const members = new MemberRepo(store, audit, outbox, sessions);
  const throttle =
    config.RATE_LIMIT === 'off'
      ? null
      : new LoginThrottle(windowCounters, {
          perAccountAndIp: config.LOGIN_LIMIT_PER_ACCOUNT,
          perIp: config.LOGIN_LIMIT_PER_IP,
          perAccount: config.LOGIN_LIMIT_PER_ACCOUNT_GLOBAL,
          windowMs: config.LOGIN_LIMIT_WINDOW,
        });
  const access = new Access(letterRepo);
  const digest = new ModerationDigest({ repo: new DigestRepo(store, outbox, audit), now, mailQueued });
  const organizers: OrganizerServices = {
    auth: new AuthService({ config, accounts, sessions, members, now, generateToken, mailQueued, throttle }),
    access,
    letters: new LetterService({ repo: new LetterAdminRepo(store, letterRepo, audit), access, now }),
    translations: new TranslationService({ repo: new TranslationAdminRepo(store, letterRepo.translations, audit), now }),
    notables: new NotableService(new NotableRepo(store, audit), now),
    moderation: new ModerationService({
      signatures: signatureRepo,
      admin: new SignatureAdminRepo(store, audit),
      letters: letterRepo,
      outbox,
      now,
    }),
    members: new MemberService({ members, audit, now, generateToken, mailQueued }),
    exports: new ExportService(store, letterRepo, audit, now),
    digest,
  };

  // ---- updates to signers ----------------------------------------------------------------------
  const fanOut: Job = { name: 'update-fan-out', everyMs: 1000, runs: 'turn', run: () => updates.fanOut() };
  const updates = new UpdateService({
    repo: updateRepo,
    letters: letterRepo,
    tokens: unsubscribeTokens,
    now,
    perSecond: config.UPDATES_PER_SECOND,
    sendingStarted: () => void jobs.run(fanOut.name),
    mailQueued,
  });

  // ---- upkeep ----------------------------------------------------------------------------------
  const counters = new CounterCheck(store, log, now);
  const jobs = new Jobs({ store, claims: windowCounters, now, log }, [
    fanOut,
    {
      name: 'housekeeping',
      everyMs: MINUTE_MS,
      run: async () => {
        await spikeWindows.sweep(now());
        await windowCounters.sweep(now());
      },
    },
    // Entries queued by the signing units of work reach the public log within a second or two.
    { name: LogService.JOB, everyMs: 1000, runs: 'turn', run: async () => void (await signatureLog.sequence()) },
    // The safety net behind "counts are kept in the same transaction", logged if it ever trips.
    { name: 'counter-check', everyMs: 60 * MINUTE_MS, run: () => counters.checkAndLog() },
    // Moderators hear about held signatures: at most hourly per collective (the digest's rule).
    { name: 'moderation-digest', everyMs: DIGEST_JOB_EVERY_MS, run: async () => void (await digest.run()) },
  ]);
  // Redis's client is loaded only when configured: most sites never need it.
  const redisLimits =
    config.RATE_LIMIT === 'on' && store.dialect === 'postgres' && config.REDIS_URL
      ? await (await import('./limits/redis-rate-limit-store.js')).openRedisRateLimits(config.REDIS_URL, config.REDIS_KEY_PREFIX, log)
      : null;
  const rateLimitStore =
    config.RATE_LIMIT === 'off' || store.dialect === 'sqlite'
      ? undefined
      : (redisLimits?.store ?? databaseRateLimitStore(windowCounters, () => now().getTime()));

  let closed = false;
  return {
    config,
    now,
    eta,
    letters: publicLetters,
    letterPage,
    signatoryPage,
    signing,
    press,
    imports,
    organizers,
    updates,
    mail,
    counters,
    jobs,
    log: signatureLog,
    maintenance: new Maintenance(store, config),
    rateLimitStore,
    ping: () => store.ping(),
    startBackground() {
      worker.start();
      jobs.start();
    },
    async close() {
      if (closed) return;
      closed = true;
      await jobs.stop();
      await redisLimits?.close();
      await mail.close();
      await store.close();
    },
  };
}
