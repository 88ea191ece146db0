// The whole suite in one `npm test`: unit tests, the integration suite on SQLite and again on
// PostgreSQL, and the browser suite. The PostgreSQL run needs a server: TEST_DATABASE_URL, or the
// local one on 127.0.0.1:5432. Without one it is left out with a line saying so, except when
// REQUIRE_POSTGRES is set (CI), where that is a failure.
import pg from 'pg';
import { defineConfig } from 'vitest/config';

const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Tests of what only SQLite has (its query plans, its online backup, upgrading its old files). */
const SQLITE_ONLY = [
  'test/integration/query-plans.test.ts',
  'test/integration/upgrade.test.ts',
  'test/integration/shutdown-backup.test.ts',
];

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export default defineConfig(async () => {
  const postgres = await postgresAnswers();
  if (!postgres) {
    if (process.env.REQUIRE_POSTGRES) throw new Error(`PostgreSQL does not answer at ${POSTGRES_URL}, and REQUIRE_POSTGRES is set`);
    process.stderr.write(`PostgreSQL does not answer at ${POSTGRES_URL}: the integration suite runs on SQLite only.\n`);
  }
  const shared = {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test builds its app on its own SQLite file or PostgreSQL schema, so files run in parallel.
    pool: 'forks' as const,
  };
  return {
    test: {
      projects: [
        { test: { ...shared, name: 'unit', include: ['test/unit/**/*.test.ts'] } },
        { test: { ...shared, name: 'sqlite', include: ['test/integration/**/*.test.ts'], env: { TEST_STORE: 'sqlite' } } },
        ...(postgres
          ? [
              {
                test: {
                  ...shared,
                  name: 'postgres',
                  include: ['test/integration/**/*.test.ts'],
                  exclude: SQLITE_ONLY,
                  env: { TEST_STORE: 'postgres', TEST_DATABASE_URL: POSTGRES_URL },
                },
              },
            ]
          : []),
        { test: { ...shared, name: 'browser', include: ['test/e2e/**/*.test.ts'] } },
      ],
    },
  };
});
