// `npm run cli -- import-letter`: create, update idempotently, refuse bad files without writing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/db/open-store.js';
import type { Store } from '../../src/db/store.js';
import { runCli, runCliProcess } from '../helpers/cli.js';
import { type RawSql, rawSql, testDatabase } from '../helpers/database.js';

const dir = mkdtempSync(join(tmpdir(), 'undersigned-cli-'));
let env: Record<string, string>;
let database: Awaited<ReturnType<typeof testDatabase>>;
let store: Store | undefined;
let db: RawSql;

function letterFile(front: string, body = 'We ask for **fair pay**.') {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(path, `---\n${front}\n---\n\n${body}\n`);
  return path;
}

function query<T>(sql: string): Promise<T[]> {
  return db.sql<T>(sql);
}

afterAll(async () => {
  await db?.close();
  await store?.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

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
  beforeAll(async () => {
    database = await testDatabase(dir);
    env = { DATABASE_URL: database.url, DATA_DIR: dir };
    const created = await runCli(['import-letter', letterFile(GOOD)], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Created letter "fair-pay"');
    // Read back through a connection of the test's own.
    store = await openStore(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), { migrate: false });
    db = rawSql(store, database.url);
  });

  it('creates the letter, its collective and notables in order', async () => {
    expect(await query('SELECT slug, title, status, goal, closes_at AS "closesAt", version FROM letters')).toEqual([
      { slug: 'fair-pay', title: 'Fair pay', status: 'published', goal: 500, closesAt: Date.parse('2030-01-01T00:00:00Z'), version: 1 },
    ]);
    expect(await query('SELECT slug, name FROM collectives')).toEqual([{ slug: 'artists-united', name: 'Artists United' }]);
    expect(await query('SELECT name, description FROM notable_signatories ORDER BY position')).toEqual([
      { name: 'Ada Lovelace', description: 'mathematician' },
      { name: 'Mary Shelley', description: 'novelist' },
    ]);
  });

  it('is idempotent, and versions changed text of a published letter', async () => {
    expect((await runCli(['import-letter', letterFile(GOOD)], env)).stdout).toContain('Updated letter "fair-pay"');
    expect(await query('SELECT count(*) AS n FROM letters')).toEqual([{ n: 1 }]);
    expect(await query('SELECT count(*) AS n FROM notable_signatories')).toEqual([{ n: 2 }]);
    expect(await query('SELECT version FROM letters')).toEqual([{ version: 1 }]);

    const edited = await runCli(['import-letter', letterFile(GOOD.replace('title: Fair pay', 'title: Fair pay now'), 'New words.')], env);
    expect(edited.code).toBe(0);
    expect(await query('SELECT title, version FROM letters')).toEqual([{ title: 'Fair pay now', version: 2 }]);
    expect(await query('SELECT version, title FROM letter_versions ORDER BY version')).toEqual([
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
  ])('refuses %s, naming the field, and changes nothing', async (_, front, field) => {
    const before = await query('SELECT * FROM letters');
    const result = await runCli(['import-letter', letterFile(front)], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(field);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await query('SELECT * FROM letters')).toEqual(before);
  });

  it('imports, and says what of the text the page will not show as written, as the editor does', async () => {
    const body = '![](https://img.example/a.png) ![A march](http://img.example/b.png)\n\n<div>boxed</div>';
    const result = await runCli(['import-letter', letterFile(GOOD.replace('slug: fair-pay', 'slug: with-images'), body)], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Created letter "with-images"');
    const warnings = result.stderr.trim().split('\n');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/\.md: warning: The image ‘https:\/\/img\.example\/a\.png’ has no description/);
    expect(warnings[1]).toMatch(
      /\.md: warning: The image ‘http:\/\/img\.example\/b\.png’ will not be shown: only https images are allowed\.$/,
    );
    expect(warnings[2]).toMatch(/\.md: warning: Raw HTML is not allowed: ‘<div>’ will appear as text\.$/);
    // A clean text has nothing to say.
    expect((await runCli(['import-letter', letterFile(GOOD)], env)).stderr).toBe('');
  });

  it('refuses a file without front matter or that does not exist', async () => {
    const path = join(dir, 'plain.md');
    writeFileSync(path, '# Just a title\n');
    expect((await runCli(['import-letter', path], env)).code).toBe(1);
    // Through the real entry point (what npm run cli runs, compiled): the message on stderr, and the exit code.
    const missing = runCliProcess(['import-letter', join(dir, 'missing.md')], env);
    expect(missing.stderr).toContain('Cannot read');
    expect(missing.code).toBe(1);
  });

  describe('translations', () => {
    const FRENCH = `slug: salaire-juste
title: Un salaire juste
collective: artists-united
status: published
language: fr
translations:
  en:
    title: Fair pay
    summary: Pay artists.
    addressee: Example Corp
    body: |
      We ask for **fair pay**.
  de:
    title: Gerechte Bezahlung
    body: Wir fordern eine **gerechte Bezahlung**.`;

    /** A letter file and files beside it, in a folder of their own: name → contents. */
    function folder(files: Record<string, string>): string {
      const path = join(dir, Math.random().toString(36).slice(2));
      mkdirSync(path);
      for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
      return path;
    }

    type Row = { language: string; title: string; summary: string; addressee: string; body: string; version: number };
    const translations = (slug: string) =>
      query<Row>(
        `SELECT t.language, t.title, t.summary, t.addressee, t.body_md AS body, t.translates_version AS version
           FROM letter_translations t JOIN letters l ON l.id = t.letter_id WHERE l.slug = '${slug}' ORDER BY t.language`,
      );

    it('imports the main language and the front matter’s translations, tied to the version', async () => {
      const result = await runCli(['import-letter', letterFile(FRENCH, 'Nous demandons un **salaire juste**.')], env);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('Created letter "salaire-juste" (published, version 1, in fr, translated into en, de)');
      expect(await query("SELECT language, title FROM letters WHERE slug = 'salaire-juste'")).toEqual([
        { language: 'fr', title: 'Un salaire juste' },
      ]);
      expect(await translations('salaire-juste')).toEqual([
        {
          language: 'de',
          title: 'Gerechte Bezahlung',
          summary: '',
          addressee: '',
          body: 'Wir fordern eine **gerechte Bezahlung**.',
          version: 1,
        },
        {
          language: 'en',
          title: 'Fair pay',
          summary: 'Pay artists.',
          addressee: 'Example Corp',
          body: 'We ask for **fair pay**.',
          version: 1,
        },
      ]);
    });

    it('reads SLUG.xx.md files beside SLUG.md, and a re-import ties the file’s translations to the new version', async () => {
      const front = GOOD.replace('slug: fair-pay', 'slug: beside');
      const path = folder({
        'beside.md': `---\n${front}\n---\n\nWe ask for **fair pay**.\n`,
        'beside.es.md':
          '---\ntitle: Salario justo\nsummary: Paguen a los artistas.\naddressee: Example Corp\n---\n\nPedimos un **salario justo**.\n',
        'beside.fr.md': '---\ntitle: Un salaire juste\n---\n\nNous demandons un **salaire juste**.\n',
        'other.de.md': '---\ntitle: Nicht dieser Brief\n---\n\nText.\n',
      });
      const first = await runCli(['import-letter', join(path, 'beside.md')], env);
      expect(first.stderr).toBe('');
      expect(first.stdout).toContain('translated into es, fr');
      expect(await translations('beside')).toEqual([
        {
          language: 'es',
          title: 'Salario justo',
          summary: 'Paguen a los artistas.',
          addressee: 'Example Corp',
          body: 'Pedimos un **salario justo**.',
          version: 1,
        },
        { language: 'fr', title: 'Un salaire juste', summary: '', addressee: '', body: 'Nous demandons un **salaire juste**.', version: 1 },
      ]);

      // New words in English and a new Spanish file; the French file is gone: its translation stays, made from version 1.
      rmSync(join(path, 'beside.fr.md'));
      writeFileSync(join(path, 'beside.md'), `---\n${front}\n---\n\nWe ask for **fair pay**, now.\n`);
      writeFileSync(join(path, 'beside.es.md'), '---\ntitle: Salario justo\n---\n\nPedimos un **salario justo**, ya.\n');
      const second = await runCli(['import-letter', join(path, 'beside.md')], env);
      expect(second.code).toBe(0);
      expect(await query("SELECT version FROM letters WHERE slug = 'beside'")).toEqual([{ version: 2 }]);
      expect((await translations('beside')).map((t) => [t.language, t.body, t.version])).toEqual([
        ['es', 'Pedimos un **salario justo**, ya.', 2],
        ['fr', 'Nous demandons un **salaire juste**.', 1],
      ]);
    });

    it.each([
      ['an unknown language in the map', FRENCH.replace('  de:\n', '  pt:\n'), 'translations.pt: is not a language'],
      ['an unknown main language', FRENCH.replace('language: fr', 'language: fi'), 'language: must be one of'],
      ['a translation into the main language', FRENCH.replace('  de:\n', '  fr:\n'), 'translations.fr'],
      ['a translation without a body', FRENCH.replace('    body: Wir fordern eine **gerechte Bezahlung**.', ''), 'translations.de.body'],
      ['an unknown field in a translation', FRENCH.replace('  de:\n', '  de:\n    intro: Hallo\n'), 'translations.de'],
    ])('refuses %s, naming the file and the field, and writes nothing', async (_, front, message) => {
      const before = await query('SELECT * FROM letter_translations');
      const path = letterFile(front.replace('slug: salaire-juste', 'slug: refused'));
      const result = await runCli(['import-letter', path], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${path}: `);
      expect(result.stderr).toContain(message);
      expect(await query("SELECT count(*) AS n FROM letters WHERE slug = 'refused'")).toEqual([{ n: 0 }]);
      expect(await query('SELECT * FROM letter_translations')).toEqual(before);
    });

    it('refuses a translation file in an unknown language, or without a title, naming that file', async () => {
      const letter = `---\n${GOOD.replace('slug: fair-pay', 'slug: refused-files')}\n---\n\nText.\n`;
      for (const [name, text, message] of [
        ['refused.pt.md', '---\ntitle: Salário justo\n---\n\nTexto.\n', 'language "pt" in the file\'s name must be one of'],
        ['refused.fr.md', '---\nsummary: Sans titre\n---\n\nTexte.\n', 'title'],
        ['refused.de.md', '---\ntitle: Leer\n---\n\n', 'body'],
      ] as const) {
        const path = folder({ 'refused.md': letter, [name]: text });
        const result = await runCli(['import-letter', join(path, 'refused.md')], env);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`${join(path, name)}: `);
        expect(result.stderr).toContain(message);
      }
      expect(await query("SELECT count(*) AS n FROM letters WHERE slug = 'refused-files'")).toEqual([{ n: 0 }]);
    });
  });
});
