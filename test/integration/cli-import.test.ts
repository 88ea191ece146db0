// `npm run cli -- import-letter`: create, update idempotently, refuse bad files without writing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'undersigned-cli-'));
const env = { DATABASE_URL: `file:${join(dir, 'cli.db')}` };

function letterFile(front: string, body = 'We ask for **fair pay**.') {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(path, `---\n${front}\n---\n\n${body}\n`);
  return path;
}

function query<T>(sql: string): T[] {
  const db = new Database(env.DATABASE_URL.slice(5), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const GOOD = `slug: fair-pay
title: Fair pay
summary: Pay artists.
addressee: Example Corp
collective: artists-united
collective_name: Artists United
status: published
goal: 500
closes_at: 2030-01-01T00:00:00Z
notable:
  - name: Ada Lovelace
    description: mathematician
  - name: Mary Shelley
    description: novelist`;

describe('import-letter', () => {
  beforeAll(() => {
    const created = runCli(['import-letter', letterFile(GOOD)], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Created letter "fair-pay"');
  });

  it('creates the letter, its collective and notables in order', () => {
    expect(query('SELECT slug, title, status, goal, closes_at AS closesAt, version FROM letters')).toEqual([
      { slug: 'fair-pay', title: 'Fair pay', status: 'published', goal: 500, closesAt: Date.parse('2030-01-01T00:00:00Z'), version: 1 },
    ]);
    expect(query('SELECT slug, name FROM collectives')).toEqual([{ slug: 'artists-united', name: 'Artists United' }]);
    expect(query('SELECT name, description FROM notable_signatories ORDER BY position')).toEqual([
      { name: 'Ada Lovelace', description: 'mathematician' },
      { name: 'Mary Shelley', description: 'novelist' },
    ]);
  });

  it('is idempotent, and versions changed text of a published letter', () => {
    expect(runCli(['import-letter', letterFile(GOOD)], env).stdout).toContain('Updated letter "fair-pay"');
    expect(query('SELECT count(*) AS n FROM letters')).toEqual([{ n: 1 }]);
    expect(query('SELECT count(*) AS n FROM notable_signatories')).toEqual([{ n: 2 }]);
    expect(query('SELECT version FROM letters')).toEqual([{ version: 1 }]);

    const edited = runCli(['import-letter', letterFile(GOOD.replace('title: Fair pay', 'title: Fair pay now'), 'New words.')], env);
    expect(edited.code).toBe(0);
    expect(query('SELECT title, version FROM letters')).toEqual([{ title: 'Fair pay now', version: 2 }]);
    expect(query('SELECT version, title FROM letter_versions ORDER BY version')).toEqual([
      { version: 1, title: 'Fair pay' },
      { version: 2, title: 'Fair pay now' },
    ]);
  });

  it.each([
    ['an unknown status', GOOD.replace('status: published', 'status: pending'), 'status'],
    ['a bad slug', GOOD.replace('slug: fair-pay', 'slug: Fair Pay!'), 'slug'],
    ['a missing title', GOOD.replace('title: Fair pay\n', ''), 'title'],
    ['a negative goal', GOOD.replace('goal: 500', 'goal: -5'), 'goal'],
    ['a bad date', GOOD.replace('closes_at: 2030-01-01T00:00:00Z', 'closes_at: next tuesday'), 'closes_at'],
    ['a notable without a name', GOOD.replace('  - name: Ada Lovelace\n', '  - nom: Ada\n'), 'notable'],
    ['broken YAML', 'slug: [unclosed', 'front matter'],
  ])('refuses %s, naming the field, and changes nothing', (_, front, field) => {
    const before = query('SELECT * FROM letters');
    const result = runCli(['import-letter', letterFile(front)], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(field);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(query('SELECT * FROM letters')).toEqual(before);
  });

  it('refuses a file without front matter or that does not exist', () => {
    const path = join(dir, 'plain.md');
    writeFileSync(path, '# Just a title\n');
    expect(runCli(['import-letter', path], env).code).toBe(1);
    expect(runCli(['import-letter', join(dir, 'missing.md')], env).stderr).toContain('Cannot read');
  });
});
