// The SQLite and PostgreSQL schemas define the same database: tables; columns with the same
// application types, SQL types (through the explicit table of equivalents below), enums,
// nullability, identities and default values; primary keys, foreign keys (with their tables and
// ON DELETE), and indexes with their columns in order, uniqueness and WHERE clauses. The
// repositories are written once against one of them and run on both.
import { getTableName, is, SQL, type Table } from 'drizzle-orm';
import { type PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { type SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as postgres from '../../src/db/schema/postgres.js';
import * as sqlite from '../../src/db/schema/sqlite.js';

type Dialect = 'sqlite' | 'postgres';

/**
 * What each dialect's declared type holds, read across: the SQL type (with drizzle's mode, which
 * decides how SQLite stores a value) → the kind of value. A type missing here fails the test, so a
 * new one is matched by hand, once.
 */
const KINDS: Record<Dialect, Record<string, string>> = {
  sqlite: {
    integer: 'integer',
    text: 'text',
    // Milliseconds since 1970 (not seconds: mode `timestamp` would lose them).
    'integer, mode timestamp_ms': 'time to the millisecond',
    'integer, mode boolean': 'boolean',
    'text, mode json': 'json',
  },
  postgres: {
    integer: 'integer',
    // SQLite's integers are 64 bits; PostgreSQL says the size. BIGINT_COLUMNS names where it is 8 bytes.
    bigint: 'integer',
    text: 'text',
    // Compared byte by byte, as SQLite compares all text (schema/postgres.ts, byteOrderText).
    'text COLLATE "C"': 'text',
    'timestamp (3) with time zone': 'time to the millisecond',
    boolean: 'boolean',
    jsonb: 'json',
  },
};

/** The integers PostgreSQL must keep in 8 bytes: milliseconds since 1970 (4 bytes end in 1970 + 25 days). */
const BIGINT_COLUMNS = ['letter_hour_counts.hour', 'spike_counts.minute'];

/** The one default written differently: the current time, in each dialect's type for times. */
const NOW: Record<Dialect, string> = { sqlite: "(unixepoch('subsec') * 1000)", postgres: 'now()' };

type Columnish = {
  name: string;
  dataType: string;
  notNull: boolean;
  hasDefault: boolean;
  default: unknown;
  primary: boolean;
  isUnique: boolean;
  enumValues?: string[];
  getSQLType(): string;
  // SQLite: how drizzle maps the value (timestamp_ms, boolean); autoincrement. PostgreSQL: identity.
  mode?: string;
  autoIncrement?: boolean;
  generatedIdentity?: { type: string };
};
type Indexish = { config: { name: string; unique: boolean; columns: Array<{ name?: string }>; where?: unknown } };
type Config = {
  name: string;
  columns: Columnish[];
  indexes: Indexish[];
  primaryKeys: Array<{ columns: Array<{ name: string }> }>;
  foreignKeys: Array<{
    onDelete?: string;
    reference(): { columns: Array<{ name: string }>; foreignTable: Table; foreignColumns: Array<{ name: string }> };
  }>;
};

function sqlText(value: unknown): string {
  const chunks = (value as { queryChunks?: Array<{ value?: string[] }> }).queryChunks ?? [];
  return chunks.flatMap((chunk) => chunk.value ?? []).join('');
}

function sqlKind(dialect: Dialect, table: string, c: Columnish): string {
  // drizzle names SQLite's JSON text by its data type, not by a mode.
  const mode = c.mode ?? (c.dataType === 'json' ? 'json' : undefined);
  const declared = dialect === 'sqlite' && mode && mode !== 'number' ? `${c.getSQLType()}, mode ${mode}` : c.getSQLType();
  const kind = KINDS[dialect][declared];
  if (!kind) throw new Error(`${dialect} ${table}.${c.name}: no equivalent known for ${declared} (add it to KINDS)`);
  return kind;
}

function defaultOf(dialect: Dialect, c: Columnish): string | null {
  if (c.generatedIdentity || c.autoIncrement) return 'identity';
  if (!c.hasDefault) return null;
  if (is(c.default, SQL)) {
    const text = sqlText(c.default);
    return text === NOW[dialect] ? 'now' : `sql: ${text}`;
  }
  return JSON.stringify(c.default);
}

function column(dialect: Dialect, table: string, c: Columnish) {
  return {
    name: c.name,
    // A custom column type (byteOrderText) holds what its SQL type holds: text is a string.
    type: c.dataType === 'custom' && sqlKind(dialect, table, c) === 'text' ? 'string' : c.dataType,
    sql: sqlKind(dialect, table, c),
    enum: c.enumValues ?? null,
    notNull: c.notNull,
    default: defaultOf(dialect, c),
    primary: c.primary,
    unique: c.isUnique,
  };
}

function index(i: Indexish) {
  return {
    name: i.config.name,
    unique: i.config.unique,
    columns: i.config.columns.map((c) => c.name),
    where: i.config.where ? sqlText(i.config.where) : null,
  };
}

function describeTable(dialect: Dialect, config: Config) {
  return {
    name: config.name,
    columns: config.columns.map((c) => column(dialect, config.name, c)).sort((a, b) => a.name.localeCompare(b.name)),
    indexes: config.indexes.map(index).sort((a, b) => a.name.localeCompare(b.name)),
    primaryKey: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        const to = `${getTableName(ref.foreignTable)}(${ref.foreignColumns.map((c) => c.name).join(',')})`;
        return `${ref.columns.map((c) => c.name).join(',')} → ${to} on delete ${fk.onDelete ?? 'no action'}`;
      })
      .sort(),
  };
}

const names = Object.keys(sqlite).sort();
const configs = (name: string) => ({
  sqlite: sqliteTableConfig((sqlite as unknown as Record<string, SQLiteTable>)[name] as SQLiteTable) as unknown as Config,
  postgres: pgTableConfig((postgres as unknown as Record<string, PgTable>)[name] as PgTable) as unknown as Config,
});
const allColumns = (dialect: Dialect) =>
  names.flatMap((name) => configs(name)[dialect].columns.map((c) => ({ table: configs(name)[dialect].name, c })));

describe('the two schemas', () => {
  it('have the same tables', () => {
    expect(Object.keys(postgres).sort()).toEqual(names);
    expect(names.length).toBeGreaterThan(15);
  });

  it.each(names)('define %s alike', (name) => {
    const { sqlite: lite, postgres: pg } = configs(name);
    expect(lite.columns.length).toBeGreaterThan(1);
    expect(describeTable('postgres', pg)).toEqual(describeTable('sqlite', lite));
  });

  it('keep milliseconds since 1970 in 8-byte integers on PostgreSQL, and nothing else', () => {
    const bigints = allColumns('postgres')
      .filter(({ c }) => c.getSQLType() === 'bigint')
      .map(({ table, c }) => `${table}.${c.name}`);
    expect(bigints.sort()).toEqual(BIGINT_COLUMNS);
  });

  it('differ in one default only, the current time, written in each dialect', () => {
    const sqlDefaults = (dialect: Dialect) =>
      allColumns(dialect)
        .filter(({ c }) => is(c.default, SQL))
        .map(({ c }) => sqlText(c.default));
    expect(new Set(sqlDefaults('sqlite'))).toEqual(new Set([NOW.sqlite]));
    expect(new Set(sqlDefaults('postgres'))).toEqual(new Set([NOW.postgres]));
    // Each such default is a time, and the same columns have it on both sides.
    const nowColumns = (dialect: Dialect) =>
      allColumns(dialect)
        .filter(({ c }) => is(c.default, SQL))
        .map(({ table, c }) => `${table}.${c.name}: ${sqlKind(dialect, table, c)}`)
        .sort();
    expect(nowColumns('postgres')).toEqual(nowColumns('sqlite'));
    expect(nowColumns('sqlite').every((c) => c.endsWith('time to the millisecond'))).toBe(true);
  });

  it('give rows the same TypeScript types', () => {
    expectTypeOf<typeof postgres.signatures.$inferSelect>().toEqualTypeOf<typeof sqlite.signatures.$inferSelect>();
    expectTypeOf<typeof postgres.letters.$inferSelect>().toEqualTypeOf<typeof sqlite.letters.$inferSelect>();
    expectTypeOf<typeof postgres.outbox.$inferSelect>().toEqualTypeOf<typeof sqlite.outbox.$inferSelect>();
    expectTypeOf<typeof postgres.organizerTokens.$inferSelect>().toEqualTypeOf<typeof sqlite.organizerTokens.$inferSelect>();
    expectTypeOf<typeof postgres.letterHourCounts.$inferSelect>().toEqualTypeOf<typeof sqlite.letterHourCounts.$inferSelect>();
    expectTypeOf<typeof postgres.auditLog.$inferInsert>().toEqualTypeOf<typeof sqlite.auditLog.$inferInsert>();
  });
});
