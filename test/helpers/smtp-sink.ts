// A real SMTP server on 127.0.0.1 that keeps what it receives, parsed with mailparser. It can
// refuse chosen recipients (a 550 at RCPT TO, as a mailbox that does not exist), put them off
// (a 450), or refuse every sender (a 550 at MAIL FROM, as a relay refusing our account).
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Raw header values by lower-case name (the last of a repeated header). */
  headers: Record<string, string>;
  /** When it arrived (ms). */
  at: number;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** Addresses refused at RCPT TO with 550 (lower case). */
  readonly refusedRecipients = new Set<string>();
  /** Addresses put off at RCPT TO with 450, a temporary failure (lower case). */
  readonly deferredRecipients = new Set<string>();
  /** Every MAIL FROM refused with 550 while set. */
  refuseSender = false;
  private server: SMTPServer | null = null;
  port = 0;

  async start(port = 0): Promise<this> {
    const server = new SMTPServer({
      // The app keeps pooled connections open; a test's sink closes them at once rather than
      // waiting the default 30 s for them to go idle.
      closeTimeout: 50,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onMailFrom: (_address, _session, callback) =>
        callback(this.refuseSender ? smtpError('5.7.1 Sender not allowed to relay', 550) : undefined),
      onRcptTo: (address, _session, callback) => {
        const to = address.address.toLowerCase();
        if (this.refusedRecipients.has(to)) callback(smtpError('5.1.1 No such mailbox here', 550));
        else if (this.deferredRecipients.has(to)) callback(smtpError('4.2.1 Mailbox busy, try again later', 450));
        else callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail: ParsedMail) => {
            this.messages.push({
              to: Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? ''),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
              headers: Object.fromEntries(
                mail.headerLines.map(({ key, line }) => [
                  key,
                  line
                    .slice(line.indexOf(':') + 1)
                    .replace(/\r?\n\s+/g, ' ')
                    .trim(),
                ]),
              ),
              at: Date.now(),
            });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    // A client that vanishes mid-session (a killed app process) is its own business, not the test's.
    server.on('error', () => {});
    this.server = server;
    const address = (server as unknown as { server: { address(): { port: number } } }).server.address();
    this.port = address.port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits (bounded) until a message for `to` arrives that matches `subject`. */
  async waitFor(to: string, subject: RegExp = /./, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.messages.find((m) => m.to.toLowerCase().includes(to.toLowerCase()) && subject.test(m.subject));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no mail for ${to} matching ${subject} within ${timeoutMs} ms (got ${this.messages.length})`);
  }

  for(to: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.toLowerCase().includes(to.toLowerCase()));
  }
}

export function linkIn(mail: Pick<ReceivedMail, 'text'>, path: 'verify' | 'withdraw'): string {
  const match = new RegExp(`https?://[^\\s]+/${path}/([A-Za-z0-9_-]{43})`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in mail: ${mail.text}`);
  return `/${path}/${match[1]}`;
}
