// What a CLI command is, and the one way commands open the database (same config as the site).
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config.js';
import { type Db, openDatabase } from '../db/client.js';

export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

export class UsageError extends Error {}

export function openForCli(): { config: Config; db: Db } {
  const config = loadConfig();
  return { config, db: openDatabase(config.databasePath, { synchronous: config.DB_SYNCHRONOUS }) };
}

/** parseArgs with errors turned into one readable line. */
export function cliArgs<T extends Parameters<typeof parseArgs>[0]>(args: string[], options: T) {
  try {
    return parseArgs({ ...options, args, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
