// The store for several processes: PostgreSQL through a node-postgres pool. Units of work are
// transactions (READ COMMITTED, with compare-and-set updates) retried when they lose a race;
// migrations run under an advisory lock so processes starting together migrate once; a lost
// connection surfaces as StoreUnavailable (503) and the pool reconnects by itself.
import { createHash, randomInt } from 'node:crypto';
import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { MIGRATIONS } from './migrations-folder.js';
import * as schema from './schema/postgres.js';
import {
  ConcurrentChange,
  type Db,
  isConnectionLost,
  isStoreUnavailable,
  type Preparable,
  type Prepared,
  type Store,
  StoreUnavailable,
  type Tables,
} from './store.js';

export interface PostgresOptions {
  poolSize: number;
  /** Milliseconds a statement may run before PostgreSQL cancels it. */
  statementTimeoutMs: number;
  counterSlots: number;
  migrate?: boolean;
}

/** How often a unit of work is retried after losing a race before the error goes up. */
const MAX_ATTEMPTS = 5;
/** SQLSTATEs of races a retry resolves: serialization failure, deadlock, unique key taken. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
/** How long to wait for a connection (from the pool, or a new one) before giving up. */
const CONNECT_TIMEOUT_MS = 5000;

export interface PostgresStore extends Store {
  readonly dialect: 'postgres';
  readonly pool: pg.Pool;
}

export async function openPostgresStore(url: string, options: PostgresOptions): Promise<PostgresStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    statement_timeout: options.statementTimeoutMs,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Idle connections a restarted server dropped are replaced, not handed out.
    idleTimeoutMillis: 30_000,
  });
  // A client losing its connection emits 'error': idle ones through the pool (which discards them
  // and connects anew), checked-out ones on themselves. Their query fails too, and that failure
  // is what the caller sees (as StoreUnavailable); the event itself needs no more than a listener.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle(pool, { schema }) as unknown as Db;

  // Locks (and the migration under its lock) use a connection of their own, outside the pool:
  // with DB_POOL_SIZE=1 the lock holder would otherwise take the only pooled connection, and the
  // migration or the job it guards would wait for it in vain.
  const lockSession = () =>
    new pg.Client({ connectionString: url, statement_timeout: options.statementTimeoutMs, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });

  if (options.migrate !== false) {
    try {
      await onSessionOfItsOwn(lockSession, async (client) => {
        // The bookkeeping of migrations lives beside the tables, in the schema the URL's
        // search_path names (public unless it says otherwise), so one server can hold several
        // independent sites, each migrated under a lock of its own.
        const { rows } = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
        const migrationsSchema = rows[0]?.schema ?? 'public';
        await advisoryLock(client, `undersigned:migrate:${migrationsSchema}`, true);
        await migrate(drizzle(client), { migrationsFolder: MIGRATIONS.postgres, migrationsSchema });
      });
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  let mark = 0;
  let closed = false;
  let active = 0;
  let idle: (() => void) | null = null;

  // One drizzle instance per pooled connection, made on first use.
  const onClient = new WeakMap<pg.PoolClient, Db>();
  const txOf = (client: pg.PoolClient) => {
    let tx = onClient.get(client);
    if (!tx) {
      tx = drizzle(client, { schema }) as unknown as Db;
      onClient.set(client, tx);
      clients.set(tx, client);
    }
    return tx;
  };

  const clients = new WeakMap<Db, pg.PoolClient>();
  const clientOf = (tx: Db) => {
    const client = clients.get(tx);
    if (!client) throw new Error('preparedSql: not a unit of work of this store');
    return client;
  };
  const slots = new WeakMap<Db, number>();
  let nextSlot = randomInt(options.counterSlots);
  const statements = new WeakMap<Db, Map<string, ReturnType<Preparable['prepare']>>>();
  const preparedOn = (tx: Db, name: string, build: (db: Db) => Preparable) => {
    const mine = statements.get(tx) ?? new Map<string, ReturnType<Preparable['prepare']>>();
    statements.set(tx, mine);
    const known = mine.get(name);
    if (known) return known;
    const statement = build(tx).prepare(name);
    mine.set(name, statement);
    return statement;
  };

  /** One attempt: BEGIN … COMMIT on a connection of its own, which is discarded if it broke. */
  async function attempt<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(txOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A statement cancelled by the timeout leaves a working connection: rolled back and reused.
      if (isConnectionLost(error)) broken = error as Error;
      else await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw error;
    } finally {
      // A connection that failed is destroyed, not handed to the next unit of work.
      client.release(broken);
    }
  }

  async function unitOfWork<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    active++;
    try {
      for (let n = 1; ; n++) {
        try {
          const result = await attempt(work);
          mark++;
          return result;
        } catch (error) {
          if (n < MAX_ATTEMPTS && isRetryable(error)) continue;
          throw translate(error);
        }
      }
    } finally {
      active--;
      if (active === 0) idle?.();
    }
  }

  return {
    dialect: 'postgres',
    tables: schema as unknown as Tables,
    counterSlots: options.counterSlots,
    slotOf(tx) {
      const known = slots.get(tx);
      if (known !== undefined) return known;
      const slot = nextSlot++ % options.counterSlots;
      slots.set(tx, slot);
      return slot;
    },
    db,
    pool,
    unitOfWork,
    async rows<T>(query: SQL, tx?: Db) {
      try {
        const result = await ((tx ?? db) as unknown as { execute(q: SQL): Promise<{ rows: T[] }> }).execute(query);
        return result.rows;
      } catch (error) {
        throw translate(error);
      }
    },
    prepared<P extends Record<string, unknown>, R>(name: string, build: (db: Db) => Preparable): Prepared<P, R> {
      // Built once per connection (each has its own drizzle instance) and named, so PostgreSQL
      // parses it once per connection too: building the query per call was a sixth of the
      // process's time in the signing benchmark.
      return async (tx, params) => {
        try {
          return (await preparedOn(tx, name, build).execute(params)) as R;
        } catch (error) {
          throw translate(error);
        }
      };
    },
    preparedSql<P extends Record<string, unknown>, R>(name: string, query: SQL, options = { seenByCaches: true }) {
      const compiled = new PgDialect().sqlToQuery(query);
      return async (tx: Db | null, params: P) => {
        const values = fillPlaceholders(compiled.params, params);
        const run = async (client: pg.Pool | pg.PoolClient) => (await client.query({ name, text: compiled.sql, values })).rows as R[];
        try {
          if (tx) return await run(clientOf(tx));
          // Alone: one statement is its own transaction, committed when it returns.
          active++;
          try {
            const rows = await run(pool);
            if (options.seenByCaches) mark++;
            return rows;
          } finally {
            active--;
            if (active === 0) idle?.();
          }
        } catch (error) {
          throw translate(error);
        }
      };
    },
    changeMark: () => mark,
    exclusively: (name, job) =>
      onSessionOfItsOwn(lockSession, async (client) => ((await advisoryLock(client, name, false)) ? job() : null)),
    async snapshot() {
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      } catch (error) {
        client.release(error as Error);
        throw translate(error);
      }
      let released = false;
      return {
        db: drizzle(client, { schema }) as unknown as Db,
        async close() {
          if (released) return;
          released = true;
          try {
            await client.query('COMMIT');
            client.release();
          } catch (error) {
            client.release(error as Error);
          }
        },
      };
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (active > 0) await new Promise<void>((resolve) => (idle = resolve));
      await pool.end();
    },
  };
}

/**
 * Runs work on a connection opened for it and closed after it. Session-level advisory locks taken
 * on it end with it: closing releases them, even when the work failed halfway.
 */
async function onSessionOfItsOwn<T>(open: () => pg.Client, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = open();
  // A connection lost while working fails the query that was running; that failure is reported.
  client.on('error', () => {});
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Takes the session-level advisory lock named `name`: waiting for it, or saying false when another session holds it. */
async function advisoryLock(client: pg.Client, name: string, wait: boolean): Promise<boolean> {
  const key = createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
  if (wait) {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    return true;
  }
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
  return rows[0]?.locked === true;
}

function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ConcurrentChange) return true;
  const code = sqlState(error);
  return code !== undefined && RETRYABLE.has(code);
}

/** A connection that is gone, or a statement cancelled, becomes StoreUnavailable; anything else goes up as it was. */
function translate(error: unknown): unknown {
  return !(error instanceof StoreUnavailable) && isStoreUnavailable(error) ? new StoreUnavailable(error) : error;
}
