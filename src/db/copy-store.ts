// Moving up from SQLite to PostgreSQL (or across any two stores) without losing a signature:
// every table copied row for row, ids kept, into an empty destination, in one transaction on
// the destination side, from one consistent snapshot of the source.
import { asc, count, getTableColumns, gt, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db, Store, Tables } from './store.js';

/** Parents before children, so foreign keys hold at every row. */
const ORDER: Array<keyof Tables> = [
  'collectives',
  'organizers',
  'letters',
  'letterVersions',
  'letterTranslations',
  'letterCountSlots',
  'signatures',
  'signatureNameWords',
  'signatureTokens',
  'signatureEvents',
  'letterCountryCounts',
  'letterHourCounts',
  'notableSignatories',
  'outbox',
  'memberships',
  'organizerTokens',
  'sessions',
  'auditLog',
  'rateLimits',
  'spikeCounts',
  'letterUpdates',
  'emailSuppressions',
  'logQueue',
  'logEntries',
  'logHashes',
  'logCheckpoints',
];

const BATCH = 1000;

export interface CopyReport {
  tables: Array<{ table: string; rows: number }>;
}

export class DestinationNotEmpty extends Error {}

export async function copyStore(from: Store, to: Store, progress: (table: string, rows: number) => void = () => {}): Promise<CopyReport> {
  if (ORDER.length !== Object.keys(from.tables).length) throw new Error('copyStore does not know every table');
  for (const name of ORDER) {
    const [row] = await to.db.select({ n: count() }).from(to.tables[name] as PgTable);
    if ((row?.n ?? 0) > 0)
      throw new DestinationNotEmpty(`the destination already holds data (${String(name)}): copy only into an empty database`);
  }
  const snapshot = await from.snapshot();
  try {
    const report: CopyReport = { tables: [] };
    await to.unitOfWork(async (tx) => {
      for (const name of ORDER) {
        const rows = await copyTable(snapshot.db, from.tables[name] as PgTable, tx, to.tables[name] as PgTable);
        report.tables.push({ table: String(name), rows });
        progress(String(name), rows);
      }
      if (to.dialect === 'postgres') await restartIdentities(to, tx);
    });
    return report;
  } finally {
    await snapshot.close();
  }
}

/** Copies one table in batches: after the last numeric id where there is one, else in a full order. */
async function copyTable(source: Db, from: PgTable, tx: Db, to: PgTable): Promise<number> {
  const columns = getTableColumns(from);
  const id = columns.id?.dataType === 'number' ? columns.id : undefined;
  let copied = 0;
  let after = 0;
  for (;;) {
    const base = source.select().from(from);
    const batch = (
      id
        ? await base.where(gt(id, after)).orderBy(asc(id)).limit(BATCH)
        : await base
            .orderBy(...Object.values(columns).map((c) => asc(c)))
            .limit(BATCH)
            .offset(copied)
    ) as Array<Record<string, unknown>>;
    if (batch.length === 0) return copied;
    await tx.insert(to).values(batch as never);
    copied += batch.length;
    if (id) after = Number(batch[batch.length - 1]?.id);
    if (batch.length < BATCH) return copied;
  }
}

/** Identity columns go on after the highest id copied, so new rows never collide. */
async function restartIdentities(store: Store, tx: Db): Promise<void> {
  const tables = await store.rows<{ table: string }>(
    sql`SELECT table_name AS table FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'`,
    tx,
  );
  for (const { table } of tables) {
    await store.rows(
      sql.raw(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM "${table}"), 0) + 1, false)`),
      tx,
    );
  }
}
