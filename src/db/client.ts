// Opens the SQLite database with the settings every connection needs and applies migrations.

import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface OpenOptions {
  synchronous?: 'FULL' | 'NORMAL';
  migrate?: boolean;
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const sqlite = new Database(path);
  // WAL lets readers (pages, the press API) run while a signature is being written.
  sqlite.pragma('journal_mode = WAL');
  // FULL: a signature acknowledged to the signer survives a power cut, not only a crash.
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  if (options.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return db;
}

/** Runs fn in one IMMEDIATE transaction (takes the write lock up front, so no upgrade deadlocks). */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}
