// The embedded store: one SQLite file in WAL mode, one connection, units of work group-committed.
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { makeFolder } from '../make-folder.js';
import { GroupCommit } from './group-commit.js';
import { MIGRATIONS } from './migrations-folder.js';
import * as schema from './schema/sqlite.js';
import type { Db, Preparable, Prepared, Store, Tables } from './store.js';
import { WalSync } from './wal-sync.js';

export interface SqliteOptions {
  /** FULL: a signature acknowledged to the signer survives a power cut, not only a crash. */
  synchronous?: 'FULL' | 'NORMAL';
  migrate?: boolean;
}

export interface SqliteStore extends Store {
  readonly dialect: 'sqlite';
  /** The better-sqlite3 connection, for what only SQLite has (the online backup API). */
  readonly client: Database.Database;
}

export function openSqliteStore(path: string, options: SqliteOptions = {}): SqliteStore {
  makeFolder(dirname(path));
  const client = new Database(path);
  // FULL is kept by fsyncing the WAL off the event loop before acknowledging (wal-sync.ts); the
  // connection itself never waits for the disk inside a commit.
  const durable = (options.synchronous ?? 'FULL') === 'FULL';
  const sqlite = drizzle(client, { schema });
  try {
    // busy_timeout first: it bounds every wait below for a file another process holds.
    client.pragma('busy_timeout = 5000');
    // WAL lets readers (pages, the press API) run while a signature is being written.
    client.pragma('journal_mode = WAL');
    client.pragma('synchronous = NORMAL');
    client.pragma('foreign_keys = ON');
    if (options.migrate !== false) migrate(sqlite, { migrationsFolder: MIGRATIONS.sqlite });
  } catch (error) {
    // A file that is not a database (or a migration that failed): nothing stays open.
    client.close();
    throw error;
  }

  // The SQLite tables stand in for the PostgreSQL ones: both schemas define the same columns
  // with the same JavaScript types (test/unit/schemas.test.ts), and repositories only use
  // what both dialects of drizzle implement alike.
  const db = sqlite as unknown as Db;
  const dialect = new SQLiteSyncDialect();
  // Every change made on the connection moves the mark: units of work, and the writes of bulk
  // tools and tests that go around them.
  const totalChanges = client.prepare('SELECT total_changes()').pluck();
  const walSync = durable ? new WalSync(`${path}-wal`) : null;
  const commits = new GroupCommit(client, walSync && (() => walSync.sync()));
  let closed = false;

  return {
    dialect: 'sqlite',
    tables: schema as unknown as Tables,
    counterSlots: 1,
    slotOf: () => 0,
    db,
    client,
    unitOfWork: (work) => commits.run(() => work(db)),
    preparedSql<P extends Record<string, unknown>, R>(_name: string, query: SQL) {
      const compiled = dialect.sqlToQuery(query);
      const statement = client.prepare(compiled.sql);
      const run = async (params: P) => {
        const values = fillPlaceholders(compiled.params, params) as unknown[];
        if (statement.reader) return statement.all(...values) as R[];
        statement.run(...values);
        return [];
      };
      // Alone, it is a unit of work of its own (group-committed like any other).
      return (tx: Db | null, params: P) => (tx ? run(params) : commits.run(() => run(params)));
    },
    async rows<T>(query: SQL) {
      // Statements that return nothing (INSERT … SELECT) are run; better-sqlite3 tells them apart.
      const { sql: text, params } = dialect.sqlToQuery(query);
      const statement = client.prepare(text);
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    },
    prepared<P extends Record<string, unknown>, R>(_name: string, build: (db: Db) => Preparable): Prepared<P, R> {
      // One connection: the statement prepared on it serves every unit of work.
      const statement = build(db).prepare(_name);
      return async (_tx, params) => statement.execute(params) as R;
    },
    changeMark: () => totalChanges.get() as number,
    exclusively: (_name, job) => job(),
    async snapshot() {
      // WAL keeps this reader's snapshot while the writer goes on.
      const reader = new Database(path, { readonly: true, fileMustExist: true });
      reader.pragma('busy_timeout = 5000');
      reader.exec('BEGIN');
      return {
        db: drizzle(reader, { schema }) as unknown as Db,
        async close() {
          if (reader.inTransaction) reader.exec('COMMIT');
          reader.close();
        },
      };
    },
    async ping() {
      return client.open;
    },
    async close() {
      if (closed) return;
      closed = true;
      await commits.drain();
      walSync?.close();
      client.close();
    },
  };
}
