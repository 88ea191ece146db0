// SMTP delivery runs on its own thread (src/mail/smtp-thread.ts): messages arrive whole and
// intact, a refusal comes back as an error the outbox can retry, and a thread that dies is
// replaced on the next send.
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpThread } from '../../src/mail/smtp-thread.js';
import { SmtpSink } from '../helpers/smtp-sink.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const mail = (to: string, subject = 'Confirm your signature on “Fair pay”') => ({
  to,
  subject,
  text: `Hello,\n\nconfirm here: https://example.org/verify/${'a'.repeat(43)}\n`,
  html: '<p>Hello, <a href="https://example.org/verify/x">confirm</a> — merci.</p>',
});

describe('the SMTP thread', () => {
  it('delivers each message whole, with its subject, text and HTML', async () => {
    const sink = await new SmtpSink().start();
    cleanups.push(() => sink.stop());
    const thread = new SmtpThread(sink.url, 'Undersigned <no-reply@example.org>');
    cleanups.push(() => thread.close());
    await Promise.all(['a@example.org', 'b@example.org', 'c@example.org'].map((to) => thread.send(mail(to))));
    for (const to of ['a@example.org', 'b@example.org', 'c@example.org']) {
      const received = await sink.waitFor(to);
      expect(received.subject).toBe('Confirm your signature on “Fair pay”');
      expect(received.text).toContain(`https://example.org/verify/${'a'.repeat(43)}`);
      expect(received.html).toContain('merci');
    }
  });

  it('rejects when the server cannot be reached, and recovers when a dead thread is replaced', async () => {
    const sink = await new SmtpSink().start();
    const port = sink.port;
    await sink.stop();
    const thread = new SmtpThread(`smtp://127.0.0.1:${port}`, 'no-reply@example.org');
    cleanups.push(() => thread.close());
    await expect(thread.send(mail('down@example.org'))).rejects.toThrow(/ECONNREFUSED|connect/i);

    const back = await new SmtpSink().start(port);
    cleanups.push(() => back.stop());
    await thread.kill();
    await thread.send(mail('after@example.org'));
    expect((await back.waitFor('after@example.org')).subject).toMatch(/Confirm/);
  });
});
