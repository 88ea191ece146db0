// The database a test runs against: a fresh SQLite file, or (TEST_STORE=postgres) a fresh schema
// of the PostgreSQL named by TEST_DATABASE_URL (default: the local one). Also a small raw-SQL
// door for assertions and tampering, written once with `?` parameters and answering the same
// shapes on both databases (booleans as 1/0, times as milliseconds, counts as numbers).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { SqliteStore } from '../../src/db/sqlite-store.js';
import type { Store } from '../../src/db/store.js';

export type TestStoreKind = 'sqlite' | 'postgres';
export const STORE: TestStoreKind = process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** DATABASE_URL for a test whose files live in `dir`, and how to drop the database afterwards. */
export async function testDatabase(dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (STORE === 'sqlite') return { url: `file:${join(dir, 'test.db')}`, drop: async () => {} };
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await admin(async (client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: () => admin(async (client) => void (await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))),
  };
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const TYPES = pg.types;
/** Results in the shapes SQLite gives: int8 → number, bool → 1/0, timestamptz → milliseconds. */
const PARSERS: Record<number, (value: string) => unknown> = {
  [TYPES.builtins.INT8]: Number,
  [TYPES.builtins.NUMERIC]: Number,
  [TYPES.builtins.BOOL]: (v) => (v === 't' ? 1 : 0),
  [TYPES.builtins.TIMESTAMPTZ]: (v) => new Date(v).getTime(),
  [TYPES.builtins.TIMESTAMP]: (v) => new Date(`${v}Z`).getTime(),
};

export interface RawSql {
  /** Runs SQL with `?` parameters; returns its rows (none for a statement without results). */
  sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]>;
  /** The first column of the first row. */
  one<T = number>(query: string, ...params: unknown[]): Promise<T>;
  close(): Promise<void>;
}

/**
 * SQLite: on the app's own connection, so a tampering write moves the app's change mark at once.
 * PostgreSQL: a pool of its own (the app's caches see such writes within a second).
 */
export function rawSql(store: Store, url: string): RawSql {
  if (store.dialect === 'sqlite') {
    const client = (store as SqliteStore).client;
    const run = async <T>(query: string, params: unknown[]): Promise<T[]> => {
      const statement = client.prepare(query);
      const values = params.map((p) => (typeof p === 'boolean' ? Number(p) : p instanceof Date ? p.getTime() : p));
      if (statement.reader) return statement.all(...values) as T[];
      statement.run(...values);
      return [];
    };
    return {
      sql: (query, ...params) => run(query, params),
      one: async (query, ...params) => Object.values(((await run(query, params))[0] ?? {}) as object)[0],
      close: async () => {},
    };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    types: { getTypeParser: ((oid: number, format?: string) => PARSERS[oid] ?? TYPES.getTypeParser(oid, format as 'text')) as never },
  });
  const run = async <T>(query: string, params: unknown[]): Promise<T[]> => {
    let n = 0;
    const text = query.replace(/\?/g, () => `$${++n}`);
    return (await pool.query(text, params)).rows as T[];
  };
  return {
    sql: (query, ...params) => run(query, params),
    one: async (query, ...params) => Object.values(((await run(query, params))[0] ?? {}) as object)[0],
    close: () => pool.end(),
  };
}
