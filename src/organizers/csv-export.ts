// A letter's signatures as CSV, streamed: batches read by keyset on a snapshot connection of its
// own (Store.snapshot) feed the CSV text out in 64 KB chunks, so memory stays flat at any size,
// the file is one consistent moment however long the download takes, and a slow client never
// holds up the connection that writes signatures. Rows are written as text directly (RFC 4180,
// as csv-stringify wrote it): a stream step per row took 60 % of an export's time.
import { PassThrough, pipeline, Readable, type Transform } from 'node:stream';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db, Store, Tables } from '../db/store.js';
import { SIGNATURE_STATUSES, type SignatureStatus } from '../db/vocabulary.js';
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
  // The language of the text the signer read (a translation's, or the letter's own).
  ['language', 'language'],
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

type Cell = string | number | boolean | Date | null;
type Row = Record<string, Cell>;

/** One database row as CSV cells: times in ISO 8601 UTC, booleans as true/false, text made formula-safe. */
export function toCells(row: Row): string[] {
  return cellsOf(COLUMNS.map(([, column]) => row[column] ?? null));
}

const KIND = COLUMNS.map(([, column]) => (BOOLEAN.has(column) ? 'boolean' : TIME.has(column) ? 'time' : 'value'));

/** The same, for a row read as an array in COLUMNS order. */
function cellsOf(values: ReadonlyArray<Cell>): string[] {
  const cells = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) cells[i] = '';
    else if (KIND[i] === 'boolean') cells[i] = value ? 'true' : 'false';
    else if (KIND[i] === 'time') cells[i] = (value instanceof Date ? value : new Date(Number(value))).toISOString();
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
 * Rows of several streams, each already in id order, merged into one id order. The unfiltered
 * export reads one (letter_id, status, id) index range per status this way: every read is
 * indexed and nothing is sorted, where `ORDER BY id` over a letter would sort all of its rows
 * before the first byte goes out.
 */
export async function* mergeById<T>(streams: Array<AsyncIterator<T>>, idOf: (row: T) => number): AsyncGenerator<T> {
  // One after another: the streams share one connection, which runs one query at a time.
  const heads: Array<IteratorResult<T>> = [];
  for (const stream of streams) heads.push(await stream.next());
  while (true) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i] as IteratorResult<T>;
      if (!head.done && (best < 0 || idOf(head.value) < idOf((heads[best] as IteratorYieldResult<T>).value))) best = i;
    }
    if (best < 0) return;
    yield (heads[best] as IteratorYieldResult<T>).value;
    heads[best] = await (streams[best] as AsyncIterator<T>).next();
  }
}

/** Rows fetched per query: big enough to amortise a round trip, small enough to stay flat. */
const BATCH = 2000;

/** One status's signatures of a letter, in id order, a batch at a time. */
async function* byStatus(db: Db, t: Tables, letterId: number, status: SignatureStatus): AsyncGenerator<Cell[]> {
  const s = t.signatures;
  const columns = Object.fromEntries(COLUMNS.map(([, column], i) => [`c${i}`, columnOf(t, column)]));
  let after = 0;
  for (;;) {
    const rows = (await db
      .select(columns)
      .from(t.signatures)
      .where(and(eq(s.letterId, letterId), eq(s.status, status), gt(s.id, after)))
      .orderBy(asc(s.id))
      .limit(BATCH)) as Array<Record<string, Cell>>;
    for (const row of rows) yield COLUMNS.map((_, i) => row[`c${i}`] ?? null);
    const last = rows[rows.length - 1];
    if (!last || rows.length < BATCH) return;
    after = Number(last.c0);
  }
}

const PROPERTY: Record<string, keyof Tables['signatures']['$inferSelect']> = {
  id: 'id',
  status: 'status',
  name: 'name',
  email: 'email',
  title: 'title',
  organisation: 'organisation',
  country: 'country',
  is_public: 'isPublic',
  hidden: 'hidden',
  comment: 'comment',
  letter_version: 'letterVersion',
  language: 'language',
  hold_reason: 'holdReason',
  matched_signature_id: 'matchedSignatureId',
  matched_notable_id: 'matchedNotableId',
  possible_duplicate_of: 'possibleDuplicateOf',
  ip: 'ip',
  created_at: 'createdAt',
  verified_at: 'verifiedAt',
  updated_at: 'updatedAt',
};

function columnOf(t: Tables, column: string) {
  const property = PROPERTY[column];
  if (!property) throw new Error(`no signatures column ${column}`);
  return t.signatures[property];
}

/**
 * The CSV stream. The snapshot connection is opened when the first row is read and closed when
 * the stream ends or is destroyed (a client that hangs up), so nothing leaks.
 */
export function signaturesCsv(store: Store, letterId: number, status: SignatureStatus | null): Transform {
  const statuses = status ? [status] : SIGNATURE_STATUSES;

  async function* chunks(): AsyncGenerator<string> {
    const snapshot = await store.snapshot();
    try {
      const streams = statuses.map((s) => byStatus(snapshot.db, store.tables, letterId, s));
      let chunk = '';
      for await (const values of mergeById(streams, (row) => Number(row[0]))) {
        chunk += csvLine(cellsOf(values));
        if (chunk.length >= 65_536) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    } finally {
      // Runs on completion and when the stream is destroyed early.
      await snapshot.close();
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
