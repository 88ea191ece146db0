// The seam between the data layer and the database it runs on. Repositories are written once,
// against `Db` and `Tables` (typed as drizzle's PostgreSQL dialect); the store hands them the
// table objects and connection of the database chosen in the composition root, SQLite or
// PostgreSQL. Both take the same SQL: only what drizzle and both databases agree on is used
// (`returning()` rather than affected-row counts, `onConflictDoUpdate`, `count()`, no `.get()`).
import { type Column, type SQL, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as schema from './schema/postgres.js';

export type Tables = typeof schema;
/** A connection or a transaction: the query builder repositories use. */
export type Db = NodePgDatabase<Tables>;
export type Dialect = 'sqlite' | 'postgres';

/** A statement prepared once and run with new parameters, inside a unit of work or not. */
export type Prepared<P extends Record<string, unknown>, R> = (tx: Db, params: P) => Promise<R>;

/**
 * Anything drizzle can prepare: a query built with placeholders. The caller names the result type
 * (`prepared<P, R>`); drizzle's own inferred row type is not carried through.
 */
export interface Preparable {
  // biome-ignore lint/suspicious/noExplicitAny: each dialect's prepared query types its own execute().
  prepare(name: string): { execute(params?: any): unknown };
}

/**
 * A named parameter of a prepared statement, typed as the value it stands for. drizzle encodes
 * placeholders in VALUES and SET through their column at run time (a Date becomes milliseconds on
 * SQLite, a timestamp on PostgreSQL), but its PostgreSQL types only admit them in VALUES.
 * In WHERE they are not encoded: pass only numbers and strings there.
 */
export function param<T>(name: string): T {
  return sql.placeholder(name) as unknown as T;
}

/** A named placeholder for `preparedSql`, encoded as its column encodes values (times, booleans). */
export function columnParam(column: Column, name: string): SQL {
  return sql`${sql.param(sql.placeholder(name), column)}`;
}

/**
 * The same, cast to the column's type, which PostgreSQL cannot infer for a parameter in a SELECT
 * list (PostgreSQL only: SQLite has no `::`).
 */
export function typedParam(column: Column, name: string): SQL {
  return sql`${columnParam(column, name)}::${sql.raw(column.getSQLType())}`;
}

export interface Store {
  readonly dialect: Dialect;
  readonly tables: Tables;
  /** How many slots each counter is split into (1 on SQLite, whose writes are serial anyway). */
  readonly counterSlots: number;
  /**
   * The slot a unit of work running on `tx` adds to. Each connection keeps its own, so two units
   * of work of one process never wait for each other on a counter row (when the pool is no
   * larger than the slots); processes start at random slots.
   */
  slotOf(tx: Db): number;
  /** For reads outside a unit of work. */
  readonly db: Db;
  /**
   * Runs `work` atomically and resolves once it has committed (durably). Work must be SQL only:
   * on SQLite it runs inside a shared group commit, on PostgreSQL in a transaction that is
   * retried when it loses a race (a serialization failure, a deadlock, a unique key taken, or
   * a ConcurrentChange thrown by the work itself).
   */
  unitOfWork<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  /** Runs raw (portable) SQL and returns its rows. */
  rows<T>(query: SQL, tx?: Db): Promise<T[]>;
  /** Prepares once per process (SQLite) or once per connection and name (PostgreSQL). */
  prepared<P extends Record<string, unknown>, R>(name: string, build: (db: Db) => Preparable): Prepared<P, R>;
  /**
   * A statement written in SQL with named placeholders, compiled once (building a long statement
   * per call costs more than running it) and run by name. Given no unit of work, it runs and
   * commits alone, as one; `seenByCaches: false` says such a write changes nothing a cache
   * holds (a pending signature is in no count, list or page), so it leaves the change mark
   * where it is and a spike of signers does not empty the readers' caches. Rows come back as the
   * database returns them.
   */
  preparedSql<P extends Record<string, unknown>, R>(
    name: string,
    query: SQL,
    options?: { seenByCaches: boolean },
  ): (tx: Db | null, params: P) => Promise<R[]>;
  /**
   * Moves whenever this process commits a unit of work. Caches compare it to serve their own
   * writes at once; other processes' writes reach them within the caches' maximum age.
   */
  changeMark(): number;
  /**
   * Runs `job` unless another process is running the job of that name (an advisory lock on
   * PostgreSQL; SQLite has one process). Resolves with null when skipped.
   */
  exclusively<T>(name: string, job: () => Promise<T>): Promise<T | null>;
  /**
   * A connection of its own reading one consistent snapshot until closed: long reads (a CSV of a
   * million signatures) see no change made meanwhile and never hold up the writers.
   */
  snapshot(): Promise<Snapshot>;
  /** Whether the database answers (for readiness, and to tell a lost connection from a bug). */
  ping(): Promise<boolean>;
  /** Finishes queued units of work, then closes. */
  close(): Promise<void>;
}

export interface Snapshot {
  readonly db: Db;
  close(): Promise<void>;
}

/** A compare-and-set lost to a concurrent change: the unit of work is run again from the start. */
export class ConcurrentChange extends Error {
  constructor(what: string) {
    super(`changed concurrently: ${what}`);
    this.name = 'ConcurrentChange';
  }
}

/** The database could not answer: out of reach, or too busy (answered as 503 with Retry-After, never as a bug). */
export class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreUnavailable';
    this.cause = cause;
  }
}

/** System errors that mean the database server cannot be reached (or went away mid-query). */
const GONE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** PostgreSQL's own: connection exceptions (08…), shutting down (57P01-3), too many connections. */
const GONE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
const GONE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;
/** A statement PostgreSQL cancelled: DB_STATEMENT_TIMEOUT ran out (a database too busy to answer in time). */
const CANCELLED_SQLSTATE = '57014';
/** PostgreSQL refusing a value's characters (a NUL byte, say): the request's fault, not the database's. */
const REFUSED_TEXT = new Set(['22021', '22P05']);

type Failure = { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };

/** Whether the error, or anything it wraps (causes, the errors of an AggregateError), passes the test. */
function anyCause(error: unknown, test: (failure: Failure) => boolean, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 8) return false;
  const failure = error as Failure;
  if (test(failure)) return true;
  if (Array.isArray(failure.errors) && failure.errors.some((e) => anyCause(e, test, depth + 1))) return true;
  return anyCause(failure.cause, test, depth + 1);
}

const codeOf = (failure: Failure) => (typeof failure.code === 'string' ? failure.code : '');

/** Whether the connection itself is lost: it must not be used again (a pool makes another). */
export function isConnectionLost(error: unknown): boolean {
  return anyCause(error, (f) => {
    const code = codeOf(f);
    return GONE.has(code) || GONE_SQLSTATE.test(code) || (typeof f.message === 'string' && GONE_MESSAGE.test(f.message));
  });
}

/**
 * Whether an error says the database cannot answer: out of reach, or too busy to run the statement
 * within DB_STATEMENT_TIMEOUT. Such failures are answered 503 with Retry-After (the app reconnects
 * by itself, and a cancelled statement changed nothing), never as a bug.
 */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof StoreUnavailable || isConnectionLost(error) || anyCause(error, (f) => codeOf(f) === CANCELLED_SQLSTATE);
}

export function isRefusedText(error: unknown): boolean {
  return anyCause(error, (f) => REFUSED_TEXT.has(codeOf(f)));
}
