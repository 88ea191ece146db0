// What a CLI command is, and the one way commands open the database (same config as the site).
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config.js';
import { type Db, openDatabase } from '../db/client.js';
import { GroupCommit } from '../db/group-commit.js';
import { generateToken } from '../domain/tokens.js';
import { LetterRepo } from '../letters/letter-repo.js';
import { OutboxRepo } from '../mail/outbox-repo.js';
import { AuditRepo } from '../organizers/audit-repo.js';
import { SignatureAdminRepo } from '../organizers/signature-admin-repo.js';
import { SignatureRepo } from '../signatures/signature-repo.js';

export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

export class UsageError extends Error {}

export function openForCli(): { config: Config; db: Db } {
  const config = loadConfig();
  return { config, db: openDatabase(config.databasePath, { synchronous: config.DB_SYNCHRONOUS }) };
}

/** The repositories, opened the same way the site opens them (for commands that change data). */
export function openStores() {
  const { config, db } = openForCli();
  const commits = new GroupCommit(db);
  const outbox = new OutboxRepo(db);
  return {
    config,
    db,
    letters: new LetterRepo(db),
    signatures: new SignatureRepo(db, commits, outbox, generateToken),
    admin: new SignatureAdminRepo(db, new AuditRepo(db)),
    outbox,
    async close() {
      await commits.drain();
      db.$client.close();
    },
  };
}

/** parseArgs with errors turned into one readable line. */
export function cliArgs<T extends Parameters<typeof parseArgs>[0]>(args: string[], options: T) {
  try {
    return parseArgs({ ...options, args, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
