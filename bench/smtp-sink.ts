// A local SMTP server for the mail-drain phase, in its own process so it does not share a core
// with autocannon. It accepts everything and only counts: parsing is the receiver's cost, not ours.
import { SMTPServer } from 'smtp-server';

let received = 0;
let bytes = 0;
let withVerifyLink = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 1024 * 1024,
  onData(stream, _session, callback) {
    let sawLink = false;
    let tail = '';
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      // A link may straddle two chunks: look at the end of the previous one too.
      const text = tail + chunk.toString('latin1');
      if (!sawLink && text.includes('/verify/')) sawLink = true;
      tail = text.slice(-16);
    });
    stream.on('end', () => {
      received++;
      if (sawLink) withVerifyLink++;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  const { port } = (server as unknown as { server: { address(): { port: number } } }).server.address();
  process.send?.({ type: 'ready', port });
});
process.on('message', (message: { id: number; cmd: string }) => {
  if (message.cmd === 'stats') process.send?.({ id: message.id, ok: true, result: { received, bytes, withVerifyLink } });
});
process.on('disconnect', () => {
  server.close(() => process.exit(0));
});
