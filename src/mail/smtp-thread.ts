// SMTP delivery on a thread of its own. Composing MIME and speaking SMTP through nodemailer costs
// about a millisecond of CPU per message, more than a signing: on the event loop it competed with
// signers and readers, and the queue drained slower than people signed. The thread owns
// nodemailer's connection pool; the outbox worker hands it one message at a time and awaits the
// answer, so retries, backoff and the outbox's bookkeeping stay where they were.
//
// A thread that dies fails the sends in flight (the outbox retries them) and is started again on
// the next send.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { OutgoingMail } from './templates.js';

// Plain CommonJS, evaluated as is: the thread needs no TypeScript loader in any runtime (tsx, vitest).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const nodemailer = require(workerData.nodemailer);
const MailComposer = require(workerData.composer);
// A pool of long-lived connections: one TCP and TLS handshake per connection, not per message.
const transporter = nodemailer.createTransport({
  url: workerData.url,
  pool: true,
  maxConnections: 8,
  maxMessages: Infinity,
  connectionTimeout: 10000,
  greetingTimeout: 10000,
  socketTimeout: 20000,
});
async function send(mail) {
  // Built in memory by nodemailer's composer and handed to the pool whole: streamed straight to
  // the socket, nodemailer writes each encoded line with its own system call.
  const message = new MailComposer({
    from: workerData.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    baseBoundary: mail.boundary,
  }).compile();
  const raw = await message.build();
  await transporter.sendMail({ envelope: message.getEnvelope(), raw, messageId: mail.messageId });
}
parentPort.on('message', (message) => {
  if (message.type === 'close') {
    transporter.close();
    parentPort.close();
    return;
  }
  send(message.mail).then(
    () => parentPort.postMessage({ id: message.id, ok: true }),
    (error) => parentPort.postMessage({ id: message.id, ok: false, error: String((error && error.message) || error) }),
  );
});
`;

interface Pending {
  worker: Worker;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class SmtpThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly workerData: Record<string, string>;
  private readonly domain: string;

  constructor(url: string, from: string) {
    const require = createRequire(import.meta.url);
    this.workerData = {
      url,
      from,
      nodemailer: require.resolve('nodemailer'),
      composer: require.resolve('nodemailer/lib/mail-composer'),
    };
    this.domain = /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  }

  /** Sends one message; rejects with the server's (or the connection's) error. */
  send(mail: Pick<OutgoingMail, 'to' | 'subject' | 'text' | 'html'>): Promise<void> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      if (this.inFlight(worker) === 0) worker.ref();
      this.pending.set(id, { worker, resolve, reject });
      // Message-ID and boundary from randomUUID's buffered pool: left to nodemailer, each message
      // drew on the kernel's random source a dozen times.
      const { to, subject, text, html } = mail;
      const envelope = {
        to,
        subject,
        text,
        html,
        messageId: `<${randomUUID()}@${this.domain}>`,
        boundary: randomUUID().replaceAll('-', ''),
      };
      worker.postMessage({ id, mail: envelope });
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
    this.worker?.postMessage({ type: 'close' });
    this.worker = null;
  }

  private inFlight(worker: Worker): number {
    let n = 0;
    for (const waiter of this.pending.values()) if (waiter.worker === worker) n++;
    return n;
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.workerData });
    // Kept alive only while a send is in flight: an idle thread never holds the process open.
    worker.unref();
    worker.on('message', (answer: { id: number; ok: boolean; error?: string }) => {
      const waiter = this.pending.get(answer.id);
      if (!waiter) return;
      this.pending.delete(answer.id);
      if (this.inFlight(worker) === 0) worker.unref();
      if (answer.ok) waiter.resolve();
      else waiter.reject(new Error(answer.error));
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
