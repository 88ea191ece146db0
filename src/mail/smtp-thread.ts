// SMTP delivery on a thread of its own: composing the message (mime.ts) and speaking SMTP through
// nodemailer's connection pool stay off the event loop that serves signers and readers. The
// outbox worker hands the thread one message at a time and awaits the answer, so retries,
// backoff and the outbox's bookkeeping stay with the worker.
//
// A thread that dies fails the sends in flight (the outbox retries them) and is started again on
// the next send.
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { DeliveryError } from './delivery-error.js';
import type { FromThread, ThreadData, ToThread } from './smtp-worker.js';
import type { OutgoingMail } from './templates.js';

// The thread runs smtp-worker: compiled JavaScript beside this file in production, and the
// TypeScript source through tsx's loader when the app itself runs from source (dev, tests).
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_FILE = new URL(FROM_SOURCE ? './smtp-worker.ts' : './smtp-worker.js', import.meta.url);

interface Pending {
  worker: Worker;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class SmtpThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly workerData: ThreadData;
  private readonly domain: string;

  constructor(url: string, from: string) {
    this.workerData = { url, from };
    this.domain = /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  }

  /** Sends one message; rejects with the server's (or the connection's) error, as a DeliveryError. */
  send(mail: Pick<OutgoingMail, 'to' | 'subject' | 'text' | 'html' | 'messageKey' | 'headers'>): Promise<void> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      if (this.inFlight(worker) === 0) worker.ref();
      this.pending.set(id, { worker, resolve, reject });
      // Message-ID and boundary from randomUUID's buffered pool, not a kernel draw per message.
      const { to, subject, text, html, headers } = mail;
      const envelope = {
        to,
        subject,
        text,
        html,
        messageId: `<${mail.messageKey ?? randomUUID()}@${this.domain}>`,
        boundary: randomUUID().replaceAll('-', ''),
        ...(headers ? { headers } : {}),
      };
      worker.postMessage({ type: 'send', id, mail: envelope } satisfies ToThread);
    });
  }

  /** Stops the thread as a crash would (tests of the recovery). */
  async kill(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await worker.terminate();
    if (this.worker === worker) this.worker = null;
  }

  close(): void {
    this.worker?.postMessage({ type: 'close' } satisfies ToThread);
    this.worker = null;
  }

  private inFlight(worker: Worker): number {
    let n = 0;
    for (const waiter of this.pending.values()) if (waiter.worker === worker) n++;
    return n;
  }

  private start(): Worker {
    const worker = FROM_SOURCE
      ? // tsx's loader registered in the thread first, then the TypeScript module.
        new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_FILE.href)}); });`, {
          eval: true,
          workerData: this.workerData,
        })
      : new Worker(WORKER_FILE, { workerData: this.workerData });
    // Kept alive only while a send is in flight: an idle thread never holds the process open.
    worker.unref();
    worker.on('message', (answer: FromThread) => {
      const waiter = this.pending.get(answer.id);
      if (!waiter) return;
      this.pending.delete(answer.id);
      if (this.inFlight(worker) === 0) worker.unref();
      if (answer.ok) waiter.resolve();
      else waiter.reject(new DeliveryError(answer.error, answer.responseCode, answer.command));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, waiter] of this.pending) {
        if (waiter.worker !== worker) continue;
        this.pending.delete(id);
        waiter.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('the mail thread stopped')));
    this.worker = worker;
    return worker;
  }
}
