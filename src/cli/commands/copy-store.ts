// `copy-store --from URL --to URL`: every row of one store into an empty other (SQLite into
// PostgreSQL, to move up), then the counter check on both sides, and both counts side by side.
import { sql } from 'drizzle-orm';
import { type Config, loadConfig } from '../../config.js';
import { copyStore, DestinationNotEmpty } from '../../db/copy-store.js';
import { openStore, redact } from '../../db/open-store.js';
import type { Store } from '../../db/store.js';
import { findDrift } from '../../signatures/counter-check.js';
import { type Cli, type Command, cliArgs, UsageError } from '../command.js';

const USAGE = 'Usage: npm run cli -- copy-store --from file:data/undersigned.db --to postgres://user@host:5432/database';

export const copyStoreCommand: Command = {
  summary: '--from URL --to URL  copy every row into an empty database, then check both',
  async run(args, cli) {
    const { values } = cliArgs(args, { options: { from: { type: 'string' }, to: { type: 'string' } } });
    if (!values.from || !values.to) throw new UsageError(USAGE);
    const from = await open(cli, values.from);
    try {
      const to = await open(cli, values.to);
      try {
        cli.stdout.write(`Copying ${redact(values.from)} into ${redact(values.to)}…\n`);
        try {
          await copyStore(from, to, (table, rows) => cli.stdout.write(`  ${table.padEnd(22)} ${rows}\n`));
        } catch (error) {
          if (error instanceof DestinationNotEmpty) {
            cli.stderr.write(`${error.message}\n`);
            return 1;
          }
          throw error;
        }
        let exit = 0;
        for (const [label, store] of [
          ['source', from],
          ['destination', to],
        ] as const) {
          const drift = await findDrift(store);
          const totals = await countsOf(store);
          cli.stdout.write(
            `${label}: ${totals} — ${drift.length === 0 ? 'every counter matches a recount' : `${drift.length} counter(s) drifted`}\n`,
          );
          if (drift.length > 0) exit = 1;
        }
        return exit;
      } finally {
        await to.close();
      }
    } finally {
      await from.close();
    }
  },
};

async function open(cli: Cli, url: string): Promise<Store> {
  const config: Config = loadConfig({ ...cli.env, DATABASE_URL: url, WORKERS: undefined });
  return openStore(config);
}

/** Each letter's count as the counters say, for the eye: "fair-pay 1204, other 3". */
async function countsOf(store: Store): Promise<string> {
  const rows = await store.rows<{ slug: string; n: number }>(
    sql`SELECT l.slug AS slug, (SELECT coalesce(sum(c.count), 0) FROM letter_count_slots c WHERE c.letter_id = l.id) AS n FROM letters l ORDER BY l.id`,
  );
  return rows.length === 0 ? 'no letters' : rows.map((r) => `${r.slug} ${Number(r.n)}`).join(', ');
}
