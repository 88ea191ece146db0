// The benchmark's database: a temporary SQLite file, or a fresh PostgreSQL database on the local
// server (BENCH_DATABASE_URL names another), dropped at the end. The benchmark reads it on a
// connection of its own (tokens from queued mail, correctness checks), never through the app.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { type Config, loadConfig } from '../src/config.js';
import { openStore } from '../src/db/open-store.js';
import type { Store } from '../src/db/store.js';
import { type RawSql, rawSql } from '../test/helpers/database.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface BenchDatabase extends RawSql {
  kind: StoreKind;
  url: string;
  config: Config;
  store: Store;
  /** Closes the benchmark's connection and removes the database. */
  drop(): Promise<void>;
}

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function benchDatabase(kind: StoreKind, dir: string, keep: boolean): Promise<BenchDatabase> {
  let url = `file:${join(dir, 'bench.db')}`;
  let dropDatabase = async () => {};
  if (kind === 'postgres') {
    const name = `bench_${randomBytes(4).toString('hex')}`;
    const admin = async (query: string) => {
      const client = new pg.Client({ connectionString: SERVER });
      await client.connect();
      try {
        await client.query(query);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    const target = new URL(SERVER);
    target.pathname = `/${name}`;
    url = target.toString();
    dropDatabase = () => (keep ? Promise.resolve() : admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: url, LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
  const store = await openStore(config);
  const raw = rawSql(store, url);
  return {
    kind,
    url,
    config,
    store,
    ...raw,
    async drop() {
      await raw.close();
      await store.close();
      await dropDatabase();
    },
  };
}
