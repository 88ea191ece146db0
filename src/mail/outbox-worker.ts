// Delivers queued mail. Runs inside each app process: wakes when mail is queued and on a timer,
// claims due messages for a lease (so processes sharing the outbox never send one twice), renders
// and sends them a few at a time, and records failures for retry with backoff.
//
// Bulk mail (updates to signers) waits for everything else: a round takes it only when the
// first lane came back less than full, and only as much as the pool sends at once, each send
// paid for from a budget every process shares; each is marked sent as soon as the server took
// it, so a crash can repeat only what was in flight.
import type { Eta } from 'eta';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/store.js';
import { isRecipientRefusal } from './delivery-error.js';
import type { AlsoTx, OutboxRepo, OutboxRow } from './outbox-repo.js';
import { type RenderedExtras, type RenderedMail, renderMail } from './templates.js';
import type { MailTransport } from './transport.js';

/** Renders a kind of mail that reads what it needs itself; null: the message is no longer wanted. */
export type MailRenderer = (row: OutboxRow) => Promise<(RenderedMail & RenderedExtras) | null>;

/** The bulk lane's budget and bookkeeping (see updates/update-delivery.ts). */
export interface BulkMail {
  /** The most bulk messages one round claims. */
  perRound: number;
  /** Takes one send from the budget every process shares: null when granted, else when (ms) it refills. */
  take(): Promise<number | null>;
  /** In the unit of work that marks a bulk message sent. */
  sentTx(tx: Db, row: OutboxRow): Promise<void>;
  /** In the unit of work that gives a bulk message up (refused, out of attempts, or unwanted). */
  givenUpTx(tx: Db, row: OutboxRow): Promise<void>;
}

export interface OutboxWorkerOptions {
  repo: OutboxRepo;
  transport: MailTransport;
  eta: Eta;
  /** Links in mail point here. */
  publicUrl: string;
  log: FastifyBaseLogger;
  now: () => Date;
  pollMs: number;
  /** How long a claim holds: mail claimed by a process that died goes out after this. */
  leaseMs: number;
  /** How many messages are in flight at once (matches the SMTP pool). */
  concurrency?: number;
  batchSize?: number;
  /** Renderers for kinds that templates.ts does not render. */
  renderers?: Record<string, MailRenderer>;
  /** In the unit of work that gives up a message its recipient's server refused for good (SMTP 5xx). */
  recipientRefusedTx?: (tx: Db, row: OutboxRow, reason: string, now: Date) => Promise<void>;
  bulk?: BulkMail;
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wakeRequested = false;
  private stopped = true;
  private turn: Promise<unknown> = Promise.resolve();
  /** The bulk lane waits until then (ms) after the shared budget ran out. */
  private bulkResumesAt = 0;

  constructor(private readonly options: OutboxWorkerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  /** Asks for a delivery round soon (after mail was queued). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), 0);
  }

  /** Stops polling and waits for the round in progress, so no send is cut in half. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Delivers everything due now (used by tests and the CLI). Returns how many were sent. */
  flush(): Promise<number> {
    return this.exclusive(async () => {
      let total = 0;
      for (let round = 0; round < 1000; round++) {
        const sent = await this.deliverDue();
        total += sent.sent;
        if (sent.attempted === 0 || sent.sent === 0) break;
      }
      return total;
    });
  }

  /** One delivery round at a time: two at once would pick the same rows and send them twice. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.catch(() => undefined);
    return result;
  }

  private tick(): void {
    this.timer = null;
    this.running = this.exclusive(() => this.deliverUntilIdle())
      .catch((error) => this.options.log.error({ err: error }, 'outbox round failed'))
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        const untilBulk = this.bulkResumesAt - Date.now();
        const delay = this.wakeRequested ? 0 : untilBulk > 0 ? Math.min(this.options.pollMs, untilBulk) : this.options.pollMs;
        this.wakeRequested = false;
        this.timer = setTimeout(() => this.tick(), delay);
      });
  }

  private async deliverUntilIdle(): Promise<void> {
    for (let round = 0; round < 100 && !this.stopped; round++) {
      const { attempted, sent } = await this.deliverDue();
      if (attempted === 0 || sent === 0) return;
    }
  }

  private async deliverDue(): Promise<{ attempted: number; sent: number }> {
    const { repo, now, batchSize = 200, leaseMs, bulk } = this.options;
    const due = await repo.claim(now(), batchSize, leaseMs);
    const sent: OutboxRow[] = [];
    await this.inParallel(due, async (row) => {
      if ((await this.sendOne(row)) === 'sent') sent.push(row);
    });
    await repo.markSent(sent, now());
    // A full batch means more may be waiting: bulk mail goes only once the first lane is empty.
    if (!bulk || due.length === batchSize) return { attempted: due.length, sent: sent.length };
    const more = await this.deliverBulk(bulk);
    return { attempted: due.length + more.attempted, sent: sent.length + more.sent };
  }

  private async deliverBulk(bulk: BulkMail): Promise<{ attempted: number; sent: number }> {
    const { repo, now, leaseMs, concurrency = 8 } = this.options;
    if (Date.now() < this.bulkResumesAt) return { attempted: 0, sent: 0 };
    // One wave of the pool at a time: mail queued meanwhile waits for a few sends at most.
    const due = await repo.claim(now(), Math.min(bulk.perRound, concurrency), leaseMs, 'bulk');
    const untried: OutboxRow[] = [];
    let sent = 0;
    await this.inParallel(due, async (row) => {
      const refill = Date.now() < this.bulkResumesAt ? this.bulkResumesAt : await bulk.take();
      if (refill !== null) {
        this.bulkResumesAt = Math.max(this.bulkResumesAt, refill);
        untried.push(row);
      } else if ((await this.sendOne(row, bulk)) === 'sent') {
        sent++;
      }
    });
    await repo.release(untried);
    return { attempted: due.length - untried.length, sent };
  }

  private async inParallel(rows: OutboxRow[], send: (row: OutboxRow) => Promise<void>): Promise<void> {
    const queue = [...rows];
    const workers = Array.from({ length: Math.min(this.options.concurrency ?? 8, queue.length) }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) await send(row);
    });
    await Promise.all(workers);
  }

  /**
   * Renders and sends one message. Bulk mail is marked sent here, right after the server took it
   * (first-lane mail is marked by the batch); a failure is recorded at once, either way.
   */
  private async sendOne(row: OutboxRow, bulk?: BulkMail): Promise<'sent' | 'failed'> {
    const { transport, repo, log, now } = this.options;
    const givenUpTx: AlsoTx | undefined = bulk ? (tx) => bulk.givenUpTx(tx, row) : undefined;
    try {
      const mail = await this.render(row);
      if (!mail) {
        await repo.markFailed(row, 'no longer wanted by its recipient', now(), { permanent: true, givenUpTx });
        return 'failed';
      }
      await transport.send({ id: row.id, kind: row.kind, to: row.to, ...mail });
      if (bulk) await repo.markSent([row], now(), (tx) => bulk.sentTx(tx, row));
      log.debug({ outboxId: row.id, kind: row.kind }, 'mail sent');
      return 'sent';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const refused = isRecipientRefusal(error);
      log.warn(
        { outboxId: row.id, kind: row.kind, attempts: row.attempts + 1, error: message },
        refused ? 'mail refused for its recipient; not retried' : 'mail delivery failed; will retry',
      );
      const { recipientRefusedTx } = this.options;
      const at = now();
      await repo.markFailed(row, message, at, {
        permanent: refused,
        givenUpTx: async (tx) => {
          if (refused) await recipientRefusedTx?.(tx, row, message, at);
          await givenUpTx?.(tx);
        },
      });
      return 'failed';
    }
  }

  private async render(row: OutboxRow): Promise<(RenderedMail & RenderedExtras) | null> {
    const renderer = this.options.renderers?.[row.kind];
    if (renderer) return renderer(row);
    return renderMail(this.options.eta, this.options.publicUrl, { kind: row.kind, data: JSON.parse(row.data) });
  }
}
