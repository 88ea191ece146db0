// Builds the real app on a fresh SQLite file in a temporary folder, with a controllable clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type BuildOptions, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createFormStamp } from '../../src/domain/form-stamp.js';
import { importLetter } from '../../src/letters/import-letter.js';
import type { LetterFile } from '../../src/letters/letter-file.js';

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

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  clock: TestClock;
  dir: string;
  close(): Promise<void>;
}

export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: `file:${join(dir, 'test.db')}`,
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    SIGN_MIN_FILL_MS: '0',
    OUTBOX_POLL_MS: '50',
    ...env,
  });
}

export async function makeTestApp(env: Record<string, string> = {}, options: BuildOptions & { dir?: string } = {}): Promise<TestApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'undersigned-test-'));
  const config = testConfig(dir, env);
  const clock = testClock();
  const app = await buildApp(config, { now: clock.now, ...options });
  return {
    app,
    config,
    clock,
    dir,
    async close() {
      await app.close();
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
    body: LETTER_BODY,
    ...overrides,
  };
  const { letter } = await importLetter(app.deps.letters, file, app.deps.now());
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

/** Reads one row of counters straight from SQLite (for assertions, never for the app). */
export function letterCount(t: TestApp, slug: string): number {
  const row = t.app.deps.db.$client.prepare('SELECT signature_count AS n FROM letters WHERE slug = ?').get(slug) as { n: number };
  return row.n;
}

export function recount(t: TestApp, slug: string): number {
  const row = t.app.deps.db.$client
    .prepare("SELECT count(*) AS n FROM signatures s JOIN letters l ON l.id = s.letter_id WHERE l.slug = ? AND s.status = 'verified'")
    .get(slug) as { n: number };
  return row.n;
}
