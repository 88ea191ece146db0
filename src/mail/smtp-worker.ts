// The mail thread's own code (see smtp-thread.ts): it owns nodemailer's connection pool, and
// composes and sends each message it is handed, answering with the outcome.
import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';
import { addressOf, composeMime, type MimeMessage } from './mime.js';

/** A message as the thread is handed it: all but the sender and the date, which the thread sets. */
export type ThreadMail = Omit<MimeMessage, 'from' | 'date'>;

export type ToThread = { type: 'send'; id: number; mail: ThreadMail } | { type: 'close' };
/** The outcome; a failure carries the SMTP reply code and command when the server gave one. */
export type FromThread = { id: number; ok: true } | { id: number; ok: false; error: string; responseCode?: number; command?: string };

export interface ThreadData {
  url: string;
  from: string;
}

const port = parentPort;
if (port) {
  const { url, from } = workerData as ThreadData;
  // A pool of long-lived connections: one TCP and TLS handshake per connection, not per message.
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 8,
    maxMessages: Number.POSITIVE_INFINITY,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);

  async function send(mail: ThreadMail): Promise<void> {
    const raw = composeMime({ ...mail, from, date: new Date() });
    await transporter.sendMail({ envelope: { from: addressOf(from), to: [mail.to] }, raw, messageId: mail.messageId });
  }

  port.on('message', (message: ToThread) => {
    if (message.type === 'close') {
      transporter.close();
      port.close();
      return;
    }
    send(message.mail).then(
      () => port.postMessage({ id: message.id, ok: true } satisfies FromThread),
      (error: unknown) => {
        const { responseCode, command } = (error ?? {}) as { responseCode?: unknown; command?: unknown };
        port.postMessage({
          id: message.id,
          ok: false,
          error: error instanceof Error ? error.message : String(error),
          ...(typeof responseCode === 'number' ? { responseCode } : {}),
          ...(typeof command === 'string' ? { command } : {}),
        } satisfies FromThread);
      },
    );
  });
}
