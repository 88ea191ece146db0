// Opens the store DATABASE_URL chose: SQLite for one machine, PostgreSQL for several processes.
// A database that cannot be reached stops the start with one line naming the variable.
import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

export async function openStore(config: Config, options: OpenStoreOptions = {}): Promise<Store> {
  const choice = config.store;
  if (choice.kind === 'sqlite') {
    try {
      return openSqliteStore(choice.path, { synchronous: config.DB_SYNCHRONOUS, migrate: options.migrate });
    } catch (error) {
      throw new ConfigError(`DATABASE_URL: could not open the SQLite database at ${choice.path} (${reasonOf(error)})`);
    }
  }
  try {
    // Loaded only when used: one machine on SQLite never pays for the PostgreSQL driver.
    const { openPostgresStore } = await import('./postgres-store.js');
    return await openPostgresStore(choice.url, {
      poolSize: config.DB_POOL_SIZE,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT,
      counterSlots: config.COUNTER_SLOTS,
      migrate: options.migrate,
    });
  } catch (error) {
    throw new ConfigError(`DATABASE_URL: could not open the PostgreSQL database at ${redact(choice.url)} (${reasonOf(error)})`);
  }
}

/** One line, whatever failed. */
function reasonOf(error: unknown): string {
  let e = error;
  // drizzle wraps a failed query as "Failed query: <the whole statement>"; its cause says why.
  while (e instanceof Error && e.message.startsWith('Failed query') && e.cause) e = e.cause;
  const text = e instanceof Error ? e.message || String((e as { code?: unknown }).code ?? e.name) : String(e);
  return text.replace(/\s+/g, ' ').trim();
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  if (url.startsWith('file:')) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
