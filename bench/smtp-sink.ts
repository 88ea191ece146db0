// The mail server the app delivers to, in its own process so it does not share a core with
// autocannon. It accepts everything and records, per message, what a signer would see: who it
// is for (the envelope's recipient), when it was accepted (the end of DATA, Date.now(), the same
// clock the benchmark notes its 2xx answers on), and the confirmation token of the /verify/ link.
// The benchmark takes the new receipts over IPC ('take'); each receipt is handed out once.
import { SMTPServer } from 'smtp-server';

/** [recipient, accepted at (ms since the epoch), confirmation token or null]. */
export type Receipt = [string, number, string | null];

export interface Take {
  receipts: Receipt[];
  /** Every message accepted so far, and their bytes. */
  received: number;
  bytes: number;
}

// Quoted-printable soft line breaks (nodemailer wraps lines at 76 characters), then the link's
// token: base64url, 43 characters (32 random bytes).
const SOFT_BREAK = /=\r?\n/g;
const VERIFY_TOKEN = /\/verify\/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/;

let received = 0;
let bytes = 0;
let fresh: Receipt[] = [];

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 1024 * 1024,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
    });
    stream.on('end', () => {
      const at = Date.now();
      received++;
      const body = Buffer.concat(chunks).toString('latin1').replace(SOFT_BREAK, '');
      const recipient = session.envelope.rcptTo[0]?.address ?? '';
      fresh.push([recipient.toLowerCase(), at, VERIFY_TOKEN.exec(body)?.[1] ?? null]);
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const { port } = (server as unknown as { server: { address(): { port: number } } }).server.address();
  process.send?.({ type: 'ready', port });
});
process.on('message', (message: { id: number; cmd: string }) => {
  if (message.cmd !== 'take') {
    process.send?.({ id: message.id, ok: false, error: `unknown command ${message.cmd}` });
    return;
  }
  const result: Take = { receipts: fresh, received, bytes };
  fresh = [];
  process.send?.({ id: message.id, ok: true, result });
});
process.on('disconnect', () => {
  server.close(() => process.exit(0));
});
