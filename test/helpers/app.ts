// Builds the real app on a fresh database (a SQLite file in a temporary folder, or a PostgreSQL
// schema: see database.ts), with a controllable clock and a raw-SQL door for assertions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { type BuildOptions, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { openStore } from '../../src/db/open-store.js';
import type { Store } from '../../src/db/store.js';
import { createFormStamp } from '../../src/domain/form-stamp.js';
import type { LetterFile } from '../../src/letters/letter-file.js';
import { type RawSql, rawSql, testDatabase } from './database.js';

export interface TestClock {
  now: () => Date;
  set(date: Date | string): void;
  advance(ms: number): void;
}

export function testClock(start = '2026-06-01T12:00:00Z'): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (date) => {
      current = new Date(date).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export interface TestApp extends RawSql {
  app: FastifyInstance;
  config: Config;
  clock: TestClock;
  dir: string;
  /** The app's store (for tests that must reach under the services). */
  store: Store;
  /** DATABASE_URL of this test's database (for the CLI and child processes). */
  databaseUrl: string;
  close(): Promise<void>;
}

export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    SIGN_MIN_FILL_MS: '0',
    OUTBOX_POLL_MS: '50',
    ...env,
  });
}

export async function makeTestApp(
  env: Record<string, string> = {},
  options: BuildOptions & { dir?: string; databaseUrl?: string } = {},
): Promise<TestApp> {
  const dir = options.dir ?? mkdtempSync(`${tmpdir()}/undersigned-test-`);
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: async () => {} } : await testDatabase(dir);
  const config = testConfig(dir, { DATABASE_URL: database.url, ...env });
  const clock = testClock();
  const store = await openStore(config);
  // Mail goes out by itself only to a test's SMTP server; otherwise tests read the links from the
  // outbox, which a running worker would deliver (and clear) first.
  const startBackground = options.startBackground ?? env.SMTP_URL !== undefined;
  const app = await buildApp(config, { now: clock.now, store, ...options, startBackground });
  const raw = rawSql(store, database.url);
  return {
    app,
    config,
    clock,
    dir,
    store,
    databaseUrl: database.url,
    ...raw,
    async close() {
      await raw.close();
      await app.close();
      await database.drop();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const LETTER_BODY = 'We, the undersigned, ask for **fair pay**.\n\n[Read more](https://example.org/more)';

export async function seedLetter(app: FastifyInstance, overrides: Partial<LetterFile> = {}) {
  const file: LetterFile = {
    slug: 'fair-pay',
    title: 'Fair pay for artists',
    summary: 'Artists ask to be paid.',
    addressee: 'Example Corp',
    collective: 'artists-united',
    collective_name: 'Artists United',
    status: 'published',
    goal: 1000,
    closes_at: null,
    duplicate_names: 'hold',
    notable: undefined,
    language: 'en',
    translations: [],
    body: LETTER_BODY,
    ...overrides,
  };
  const { letter } = await app.services.imports.importFile(file, app.services.now());
  return letter;
}

/** A form submission as a browser would send it, with the stamp its page carried (issued at stampAt). */
export function signFormBody(config: Config, slug: string, fields: Record<string, string>, stampAt: number): string {
  const params = new URLSearchParams({ started: createFormStamp(config.SESSION_SECRET, slug, stampAt), public: 'on', ...fields });
  return params.toString();
}

/** Sends the signing form as a person would: the page was loaded a minute ago on the app's clock. */
export async function signViaForm(t: TestApp, slug: string, fields: Record<string, string>) {
  return t.app.inject({
    method: 'POST',
    url: `/letters/${slug}/sign`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: signFormBody(t.config, slug, fields, t.clock.now().getTime() - 60_000),
  });
}

export async function signViaApi(t: TestApp, slug: string, body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: `/api/v1/letters/${slug}/signatures`, payload: body });
}

/** A letter's counter (the sum of its slots), read straight from the database (for assertions, never for the app). */
export function letterCount(t: TestApp, slug: string): Promise<number> {
  return t.one(
    'SELECT coalesce(sum(c.count), 0) AS n FROM letter_count_slots c JOIN letters l ON l.id = c.letter_id WHERE l.slug = ?',
    slug,
  );
}

export function recount(t: TestApp, slug: string): Promise<number> {
  return t.one(
    "SELECT count(*) AS n FROM signatures s JOIN letters l ON l.id = s.letter_id WHERE l.slug = ? AND s.status = 'verified'",
    slug,
  );
}
