// Delivers queued mail. Runs inside each app process: wakes when mail is queued and on a timer,
// claims due messages for a lease (so processes sharing the outbox never send one twice), renders
// and sends them a few at a time, and records failures for retry with backoff.
import type { Eta } from 'eta';
import type { FastifyBaseLogger } from 'fastify';
import type { OutboxRepo, OutboxRow } from './outbox-repo.js';
import { renderMail } from './templates.js';
import type { MailTransport } from './transport.js';

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
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wakeRequested = false;
  private stopped = true;
  private turn: Promise<unknown> = Promise.resolve();

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
        const delay = this.wakeRequested ? 0 : this.options.pollMs;
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
    const { repo, now, batchSize = 200, leaseMs } = this.options;
    const due = await repo.claim(now(), batchSize, leaseMs);
    if (due.length === 0) return { attempted: 0, sent: 0 };
    const sent: OutboxRow[] = [];
    const queue = [...due];
    const workers = Array.from({ length: Math.min(this.options.concurrency ?? 8, queue.length) }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        if (await this.sendOne(row)) sent.push(row);
      }
    });
    await Promise.all(workers);
    await repo.markSent(sent, now());
    return { attempted: due.length, sent: sent.length };
  }

  private async sendOne(row: OutboxRow): Promise<boolean> {
    const { transport, repo, log, now, eta, publicUrl } = this.options;
    try {
      const mail = renderMail(eta, publicUrl, { kind: row.kind, data: JSON.parse(row.data) });
      await transport.send({ id: row.id, kind: row.kind, to: row.to, ...mail });
      log.debug({ outboxId: row.id, kind: row.kind }, 'mail sent');
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ outboxId: row.id, kind: row.kind, attempts: row.attempts + 1, error: message }, 'mail delivery failed; will retry');
      await repo.markFailed(row, message, now());
      return false;
    }
  }
}
