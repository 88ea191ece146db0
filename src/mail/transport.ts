// Where mail goes: SMTP when SMTP_URL is set, otherwise a development outbox of .eml files
// under data/outbox/ (no mail server needed to click through the whole flow).

import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { composeMime } from './mime.js';
import { SmtpThread } from './smtp-thread.js';
import type { OutgoingMail } from './templates.js';

export interface MailTransport {
  /** Sends one message; rejects when the server refuses or cannot be reached. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
  readonly kind: 'smtp' | 'dev-outbox';
}

export interface TransportOptions {
  smtpUrl?: string;
  from: string;
  outboxDir: string;
  log: FastifyBaseLogger;
}

export function createTransport(options: TransportOptions): MailTransport {
  return options.smtpUrl ? smtpTransport(options.smtpUrl, options.from) : devOutboxTransport(options);
}

function smtpTransport(url: string, from: string): MailTransport {
  const thread = new SmtpThread(url, from);
  return {
    kind: 'smtp',
    send: (mail) => thread.send(mail),
    close: () => thread.close(),
  };
}

export interface DevOutboxEntry {
  file: string;
  to: string;
  subject: string;
  links: string[];
  at: string;
}

const LINK = /https?:\/\/[^\s<>"]+/g;

/** Writes NAME.eml (the real message) and NAME.json (what /dev/outbox lists). */
function devOutboxTransport({ outboxDir, from, log }: TransportOptions): MailTransport {
  mkdirSync(outboxDir, { recursive: true });
  return {
    kind: 'dev-outbox',
    async send(mail) {
      const id = randomUUID();
      const messageId = `<${mail.messageKey ?? id}@undersigned.localhost>`;
      const message = composeMime({ ...mail, from, messageId, boundary: id, date: new Date() });
      const at = new Date().toISOString();
      const name = `${at.replace(/[:.]/g, '-')}-${mail.id}`;
      const links = mail.text.match(LINK) ?? [];
      await writeFile(join(outboxDir, `${name}.eml`), message);
      const entry: DevOutboxEntry = { file: `${name}.eml`, to: mail.to, subject: mail.subject, links, at };
      // Written then renamed, so a reader (or a crash) never sees half a file.
      await writeFile(join(outboxDir, `${name}.json.tmp`), JSON.stringify(entry));
      await rename(join(outboxDir, `${name}.json.tmp`), join(outboxDir, `${name}.json`));
      log.info({ outboxId: mail.id, kind: mail.kind, links }, `development outbox: ${mail.subject}`);
    },
    close() {},
  };
}

/** The newest messages in the development outbox. */
export async function listDevOutbox(outboxDir: string, limit: number): Promise<DevOutboxEntry[]> {
  let files: string[];
  try {
    files = (await readdir(outboxDir)).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  files.sort().reverse();
  const entries = await Promise.all(
    files.slice(0, limit).map(async (f) => {
      try {
        return JSON.parse(await readFile(join(outboxDir, f), 'utf8')) as DevOutboxEntry;
      } catch {
        return null;
      }
    }),
  );
  return entries.filter((e): e is DevOutboxEntry => e !== null);
}
