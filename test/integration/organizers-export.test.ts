// CSV export of a letter's signatures: 50,000 rows streamed from a database cursor, matching the
// database row for row, formulas neutralised, filtered by status, for owners and moderators only;
// and the same file from `npm run cli -- export`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { type Browser, signedInOrganizer } from '../helpers/organizer.js';

const ROWS = 50_000;
const HEADER = [
  'id',
  'status',
  'name',
  'email',
  'title',
  'organisation',
  'country',
  'public',
  'hidden',
  'comment',
  'letter_version',
  'language',
  'hold_reason',
  'matched_signature_id',
  'matched_notable_id',
  'possible_duplicate_of',
  'ip',
  'created_at',
  'verified_at',
  'updated_at',
];

let t: TestApp;
let owner: Browser;
let letterId: number;
let outDir: string;

interface DbRow {
  id: number;
  status: string;
  name: string;
  email: string;
  title: string | null;
  organisation: string | null;
  country: string | null;
  is_public: number;
  hidden: number;
  comment: string | null;
  letter_version: number;
  language: string;
  hold_reason: string | null;
  matched_signature_id: number | null;
  matched_notable_id: number | null;
  possible_duplicate_of: number | null;
  ip: string | null;
  created_at: number;
  verified_at: number | null;
  updated_at: number | null;
}

/** Hostile and ordinary values in turn: commas, quotes, line breaks, formulas, other scripts. */
const TRICKY = [
  'Smith, Jane',
  'Jane "JJ" Doe',
  'Line\nbreak',
  '=HYPERLINK("http://evil.example")',
  '+44 20 7946 0000',
  '-2+3',
  '@SUM(A1:A9)',
  'Zoë Łukasiewicz',
  '李小龍',
  '',
];

async function seed(): Promise<void> {
  const statuses = [
    'verified',
    'verified',
    'verified',
    'verified',
    'verified',
    'verified',
    'pending',
    'held',
    'rejected',
    'verified',
  ] as const;
  const start = Date.UTC(2026, 4, 1);
  const rows: Array<typeof t.store.tables.signatures.$inferInsert> = [];
  for (let i = 0; i < ROWS; i++) {
    const tricky = TRICKY[i % TRICKY.length]!;
    const status = i % 5000 === 1 ? 'withdrawn' : statuses[i % statuses.length]!;
    const name = i % 7 === 0 && tricky ? tricky : `Signer ${i}`;
    const key = `signer ${i}`;
    const created = start + i * 1000;
    rows.push({
      letterId,
      letterVersion: 1,
      name,
      nameKey: key,
      nameHead: key.slice(0, 4),
      nameTail: key.slice(-4),
      nameLen: key.length,
      email: `signer${i}@example.org`,
      emailKey: `signer${i}@example.org`,
      title: i % 3 === 0 ? tricky || null : 'Illustrator',
      organisation: i % 11 === 0 ? tricky || null : null,
      country: i % 4 === 0 ? 'FR' : null,
      isPublic: i % 13 !== 0,
      hidden: i % 17 === 0,
      comment: i % 5 === 0 ? `${tricky} comment ${i}` : null,
      status,
      holdReason: status === 'held' ? 'name_duplicate' : null,
      possibleDuplicateOf: i % 19 === 0 && i > 0 ? 1 : null,
      ip: i % 2 === 0 ? `192.0.2.${i % 250}` : null,
      createdAt: new Date(created),
      verifiedAt: status === 'pending' ? null : new Date(created + 60_000),
      updatedAt: new Date(created + 60_000),
    });
  }
  // Direct inserts in one unit of work, a thousand rows a statement: the export is under test
  // here, not signing.
  await t.store.unitOfWork(async (tx) => {
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(t.store.tables.signatures).values(rows.slice(i, i + 1000));
  });
}

/** RFC 4180 records, read by an independent parser (csv-parse), not the exporter's own code. */
function parseCsv(text: string): string[][] {
  return parse(text) as string[][];
}

/** What the file must say for a database row, written out independently of the exporter. */
function expectedCells(r: DbRow): string[] {
  const text = (v: string | null) => (v === null ? '' : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  const num = (v: number | null) => (v === null ? '' : String(v));
  const time = (v: number | null) => (v === null ? '' : new Date(v).toISOString());
  return [
    String(r.id),
    r.status,
    text(r.name),
    text(r.email),
    text(r.title),
    text(r.organisation),
    text(r.country),
    r.is_public ? 'true' : 'false',
    r.hidden ? 'true' : 'false',
    text(r.comment),
    String(r.letter_version),
    text(r.language),
    text(r.hold_reason),
    num(r.matched_signature_id),
    num(r.matched_notable_id),
    num(r.possible_duplicate_of),
    text(r.ip),
    time(r.created_at),
    time(r.verified_at),
    time(r.updated_at),
  ];
}

function dbRows(status?: string): Promise<DbRow[]> {
  return status
    ? t.sql<DbRow>('SELECT * FROM signatures WHERE letter_id = ? AND status = ? ORDER BY id', letterId, status)
    : t.sql<DbRow>('SELECT * FROM signatures WHERE letter_id = ? ORDER BY id', letterId);
}

beforeAll(async () => {
  t = await makeTestApp();
  letterId = (await seedLetter(t.app)).id;
  await seed();
  owner = (await signedInOrganizer(t, { email: 'owner@example.org', collective: 'artists-united', role: 'owner' })).browser;
  outDir = mkdtempSync(join(tmpdir(), 'undersigned-export-'));
});

afterAll(async () => {
  await t?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('CSV export', () => {
  it('streams every signature of the letter, every field, matching the database row for row', async () => {
    const res = await owner.get(`/organize/letters/${letterId}/export.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="fair-pay-all-2026-06-01.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    // Streamed, not buffered: no length known up front.
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.body.startsWith('\uFEFF')).toBe(true);

    const [header, ...records] = parseCsv(res.body.slice(1));
    expect(header).toEqual(HEADER);
    const rows = await dbRows();
    expect(rows).toHaveLength(ROWS);
    expect(records).toHaveLength(ROWS);
    for (let i = 0; i < rows.length; i++) {
      const expected = expectedCells(rows[i]!);
      if (records[i]!.join('\u0000') !== expected.join('\u0000')) expect(records[i]).toEqual(expected);
    }
    // Spot checks of what a spreadsheet would otherwise run or break on.
    const cellsOf = (name: string) => records.find((r) => r[2] === name);
    expect(cellsOf(`'=HYPERLINK("http://evil.example")`)).toBeDefined();
    expect(cellsOf('Smith, Jane')).toBeDefined();
    expect(cellsOf('Line\nbreak')).toBeDefined();
    expect(records.some((r) => r[2] === '=HYPERLINK("http://evil.example")')).toBe(false);
    expect(records.some((r) => r[5] === "'+44 20 7946 0000")).toBe(true);
  });

  it('filters by status', async () => {
    const res = await owner.get(`/organize/letters/${letterId}/export.csv?status=held`);
    expect(res.headers['content-disposition']).toContain('fair-pay-held-');
    const [, ...records] = parseCsv(res.body.slice(1));
    const rows = await dbRows('held');
    expect(rows.length).toBeGreaterThan(4000);
    expect(records.map((r) => r[0])).toEqual(rows.map((r) => String(r.id)));
    expect(new Set(records.map((r) => r[1]))).toEqual(new Set(['held']));
    const unknown = await owner.get(`/organize/letters/${letterId}/export.csv?status=everything`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('Choose one of these statuses to filter by: pending, verified');
  });

  it('is for owners and moderators only, and every export is audited', async () => {
    const editor = await signedInOrganizer(t, { email: 'ed@example.org', collective: 'artists-united', role: 'editor' });
    const refused = await editor.browser.get(`/organize/letters/${letterId}/export.csv`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('signer1@example.org');
    expect((await editor.browser.get(`/organize/letters/${letterId}`)).body).not.toContain('Download CSV');

    const moderator = await signedInOrganizer(t, { email: 'mo@example.org', collective: 'artists-united', role: 'moderator' });
    const allowed = await moderator.browser.get(`/organize/letters/${letterId}/export.csv?status=withdrawn`);
    expect(allowed.statusCode).toBe(200);
    expect(parseCsv(allowed.body.slice(1))).toHaveLength(1 + (await dbRows('withdrawn')).length);

    const audit = await t.sql<{ organizer_id: number; after: string }>(
      "SELECT organizer_id, after FROM audit_log WHERE action = 'signatures.export' ORDER BY id",
    );
    expect(audit.map((a) => JSON.parse(a.after))).toEqual([
      { status: 'all', via: 'web' },
      { status: 'held', via: 'web' },
      { status: 'withdrawn', via: 'web' },
    ]);
  });

  it('writes the same file from the command line', async () => {
    const web = await owner.get(`/organize/letters/${letterId}/export.csv?status=verified`);
    const file = join(outDir, 'verified.csv');
    const env = { DATABASE_URL: t.databaseUrl, DATA_DIR: t.dir };
    const toFile = await runCli(['export', 'fair-pay', '--status', 'verified', '--output', file], env);
    expect(toFile.stderr).toBe('');
    expect(toFile.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(web.body);

    const small = await runCli(['export', 'fair-pay', '--status', 'withdrawn'], env);
    expect(small.code).toBe(0);
    expect(small.stdout).toBe((await owner.get(`/organize/letters/${letterId}/export.csv?status=withdrawn`)).body);

    expect((await runCli(['export', 'no-such-letter'], env)).code).toBe(1);
    const bad = await runCli(['export', 'fair-pay', '--status', 'everything'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--status must be one of');
    const via = await t.sql<{ after: string }>("SELECT after FROM audit_log WHERE action = 'signatures.export' AND organizer_id IS NULL");
    expect(via.map((v) => JSON.parse(v.after).via)).toEqual(['cli', 'cli']);
  });
});
