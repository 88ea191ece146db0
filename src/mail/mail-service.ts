// Mail as the rest of the app sees it: the outbox worker to wake, start and stop, the outbox's
// health for operators, and the development outbox's messages.
import type { OutboxRepo } from './outbox-repo.js';
import type { OutboxWorker } from './outbox-worker.js';
import { type DevOutboxEntry, listDevOutbox, type MailTransport } from './transport.js';

export class MailService {
  constructor(
    private readonly outbox: OutboxRepo,
    readonly worker: OutboxWorker,
    private readonly transport: MailTransport,
    private readonly outboxDir: string,
    private readonly now: () => Date,
  ) {}

  get transportKind(): MailTransport['kind'] {
    return this.transport.kind;
  }

  /** How far behind the outbox is: pending and dead messages, the oldest wait, the last error. */
  stats() {
    return this.outbox.stats(this.now());
  }

  /** The newest messages written to the development outbox (none when mail goes out by SMTP). */
  async devMessages(limit: number): Promise<DevOutboxEntry[]> {
    return this.transport.kind === 'dev-outbox' ? listDevOutbox(this.outboxDir, limit) : [];
  }

  async close(): Promise<void> {
    await this.worker.stop();
    this.transport.close();
  }
}
