// The SQLite and PostgreSQL schemas define the same database: tables, columns (with the same
// JavaScript types, nullability and defaults), primary keys, foreign keys and indexes. The
// repositories are written once against one of them and run on both.
import { type PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { type SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as postgres from '../../src/db/schema/postgres.js';
import * as sqlite from '../../src/db/schema/sqlite.js';

type Columnish = { name: string; dataType: string; notNull: boolean; hasDefault: boolean; primary: boolean; isUnique: boolean };
type Indexish = { config: { name: string; unique: boolean; columns: Array<{ name?: string }>; where?: unknown } };

/** A column as both dialects can describe it: what the application sees, not the storage type. */
function column(c: Columnish) {
  return { name: c.name, type: c.dataType, notNull: c.notNull, hasDefault: c.hasDefault, primary: c.primary, unique: c.isUnique };
}

function whereText(where: unknown): string | null {
  if (!where) return null;
  const chunks = (where as { queryChunks?: Array<{ value?: string[] }> }).queryChunks ?? [];
  return chunks.flatMap((chunk) => chunk.value ?? []).join('');
}

function index(i: Indexish) {
  return {
    name: i.config.name,
    unique: i.config.unique,
    columns: i.config.columns.map((c) => c.name),
    where: whereText(i.config.where),
  };
}

function describeTable(config: {
  name: string;
  columns: Columnish[];
  indexes: Indexish[];
  primaryKeys: Array<{ columns: Array<{ name: string }> }>;
  foreignKeys: Array<{ reference(): { columns: Array<{ name: string }>; foreignTable: unknown; foreignColumns: Array<{ name: string }> } }>;
}) {
  return {
    name: config.name,
    columns: config.columns.map(column).sort((a, b) => a.name.localeCompare(b.name)),
    indexes: config.indexes.map(index).sort((a, b) => a.name.localeCompare(b.name)),
    primaryKey: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return `${ref.columns.map((c) => c.name).join(',')}→${ref.foreignColumns.map((c) => c.name).join(',')}`;
      })
      .sort(),
  };
}

const names = Object.keys(sqlite).sort();

describe('the two schemas', () => {
  it('have the same tables', () => {
    expect(Object.keys(postgres).sort()).toEqual(names);
    expect(names.length).toBeGreaterThan(15);
  });

  it.each(names)('define %s alike', (name) => {
    const lite = describeTable(sqliteTableConfig((sqlite as unknown as Record<string, SQLiteTable>)[name] as SQLiteTable) as never);
    const pg = describeTable(pgTableConfig((postgres as unknown as Record<string, PgTable>)[name] as PgTable) as never);
    expect(lite.columns.length).toBeGreaterThan(1);
    expect(pg).toEqual(lite);
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
