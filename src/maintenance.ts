// Operator tasks on the whole database: a consistent online backup (SQLite), and what to use
// instead on PostgreSQL.
import { existsSync } from 'node:fs';
import type { Config } from './config.js';
import { redact } from './db/open-store.js';
import type { SqliteStore } from './db/sqlite-store.js';
import type { Store } from './db/store.js';

export type BackupOutcome = { ok: true; ms: number } | { ok: false; message: string };

export class Maintenance {
  constructor(
    private readonly store: Store,
    private readonly config: Config,
  ) {}

  get dialect(): Store['dialect'] {
    return this.store.dialect;
  }

  /**
   * SQLite: a consistent copy through the online backup API, safe while the site serves
   * (writers are not blocked for the whole copy). PostgreSQL has its own tool for that.
   */
  async backup(path: string): Promise<BackupOutcome> {
    if (this.store.dialect !== 'sqlite') {
      const url = this.config.store.kind === 'postgres' ? redact(this.config.store.url) : 'DATABASE_URL';
      return {
        ok: false,
        message: `The database is PostgreSQL: back it up with pg_dump, e.g.\n  pg_dump --format=custom --file=${path} "${url}"\n(restore with pg_restore --dbname=… ${path}).`,
      };
    }
    if (existsSync(path)) return { ok: false, message: `${path} already exists; choose a new file name.` };
    const started = Date.now();
    await (this.store as SqliteStore).client.backup(path);
    return { ok: true, ms: Date.now() - started };
  }
}
