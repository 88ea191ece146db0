// A letter's signatures as CSV, streamed row by row: a better-sqlite3 cursor (.iterate()) on a
// read-only connection of its own feeds the CSV text out in 64 KB chunks, so memory stays flat at
// any size and a slow download never holds up the connection that writes signatures (WAL keeps
// the snapshot). Rows are read as arrays and written as text directly (RFC 4180, as csv-stringify
// wrote it): per-row objects and a stream step per row took 60 % of an export's time.
import { PassThrough, pipeline, Readable, type Transform } from 'node:stream';
import Database from 'better-sqlite3';
import { SIGNATURE_STATUSES, type SignatureStatus } from '../db/schema.js';
import { neutraliseFormula } from '../domain/spreadsheet-cell.js';

/** Column names in the file, and the SQL column each comes from. */
const COLUMNS = [
  ['id', 'id'],
  ['status', 'status'],
  ['name', 'name'],
  ['email', 'email'],
  ['title', 'title'],
  ['organisation', 'organisation'],
  ['country', 'country'],
  ['public', 'is_public'],
  ['hidden', 'hidden'],
  ['comment', 'comment'],
  ['letter_version', 'letter_version'],
  ['hold_reason', 'hold_reason'],
  ['matched_signature_id', 'matched_signature_id'],
  ['matched_notable_id', 'matched_notable_id'],
  ['possible_duplicate_of', 'possible_duplicate_of'],
  ['ip', 'ip'],
  ['created_at', 'created_at'],
  ['verified_at', 'verified_at'],
  ['updated_at', 'updated_at'],
] as const;

export const EXPORT_HEADER = COLUMNS.map(([header]) => header);
const BOOLEAN = new Set(['is_public', 'hidden']);
const TIME = new Set(['created_at', 'verified_at', 'updated_at']);

type Row = Record<string, string | number | null>;

/** One database row as CSV cells: times in ISO 8601 UTC, booleans as true/false, text made formula-safe. */
export function toCells(row: Row): string[] {
  return cellsOf(COLUMNS.map(([, column]) => row[column] ?? null));
}

const KIND = COLUMNS.map(([, column]) => (BOOLEAN.has(column) ? 'boolean' : TIME.has(column) ? 'time' : 'value'));

/** The same, for a row read as an array in COLUMNS order. */
function cellsOf(values: ReadonlyArray<string | number | null>): string[] {
  const cells = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) cells[i] = '';
    else if (KIND[i] === 'boolean') cells[i] = value ? 'true' : 'false';
    else if (KIND[i] === 'time') cells[i] = new Date(Number(value)).toISOString();
    else cells[i] = typeof value === 'string' ? neutraliseFormula(value) : String(value);
  }
  return cells;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV record: fields with a quote, comma or line break quoted, quotes doubled, \n at the end. */
export function csvLine(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] as string;
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  }
  return `${line}\n`;
}

export function exportFilename(slug: string, status: SignatureStatus | null, now: Date): string {
  return `${slug}-${status ?? 'all'}-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * Rows of several cursors, each already in id order, merged into one id order. The unfiltered
 * export reads one (letter_id, status, id) index range per status this way: every read is
 * indexed and nothing is sorted, where `ORDER BY id` over a letter would make SQLite sort all of
 * its rows in a temporary b-tree before the first byte goes out.
 */
export function* mergeById<T>(cursors: Array<Iterator<T>>, idOf: (row: T) => number = (row) => (row as { id: number }).id): Generator<T> {
  const heads = cursors.map((c) => c.next());
  while (true) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (!head.done && (best < 0 || idOf(head.value) < idOf(heads[best]!.value as T))) best = i;
    }
    if (best < 0) return;
    yield heads[best]!.value as T;
    heads[best] = cursors[best]!.next();
  }
}

/**
 * The CSV stream. The database is opened only when the first row is read and closed when the
 * stream ends or is destroyed (a client that hangs up), so nothing leaks.
 */
export function signaturesCsv(databasePath: string, letterId: number, status: SignatureStatus | null): Transform {
  const sql = `SELECT ${COLUMNS.map(([, c]) => c).join(', ')} FROM signatures WHERE letter_id = ? AND status = ? ORDER BY id`;
  const statuses = status ? [status] : SIGNATURE_STATUSES;

  type Values = Array<string | number | null>;
  function* chunks(): Generator<string> {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    const cursors: Array<IterableIterator<Values>> = [];
    try {
      db.pragma('busy_timeout = 5000');
      // One read transaction: all cursors see the same snapshot, however long the download takes.
      db.exec('BEGIN');
      for (const s of statuses) cursors.push(db.prepare(sql).raw().iterate(letterId, s) as IterableIterator<Values>);
      let chunk = '';
      for (const values of mergeById(cursors, (row) => row[0] as number)) {
        chunk += csvLine(cellsOf(values));
        if (chunk.length >= 65_536) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    } finally {
      // Runs on completion and when the stream is destroyed early: cursors and file close.
      for (const cursor of cursors) cursor.return?.();
      db.close();
    }
  }

  // The BOM makes Excel read UTF-8 (names in every script) instead of guessing a legacy code page.
  const csv = new PassThrough();
  csv.write(`\uFEFF${csvLine(EXPORT_HEADER)}`);
  pipeline(Readable.from(chunks()), csv, () => {
    // Errors reach the consumer through `csv` itself; an early hang-up is not an error here.
  });
  return csv;
}
