// `copy-store --from URL --to URL`: every row of one store into an empty other (SQLite into
// PostgreSQL, to move up), then the counter check on both sides, and both counts side by side.
import { loadConfig } from '../../config.js';
import { type CopiedSide, copyStores, redact } from '../../services.js';
import { type Cli, type Command, cliArgs, UsageError } from '../command.js';

const USAGE = 'Usage: npm run cli -- copy-store --from file:data/undersigned.db --to postgres://user@host:5432/database';

export const copyStoreCommand: Command = {
  summary: '--from URL --to URL  copy every row into an empty database, then check both',
  async run(args, cli) {
    const { values } = cliArgs(args, { options: { from: { type: 'string' }, to: { type: 'string' } } });
    if (!values.from || !values.to) throw new UsageError(USAGE);
    cli.stdout.write(`Copying ${redact(values.from)} into ${redact(values.to)}…\n`);
    const outcome = await copyStores(storeAt(cli, values.from), storeAt(cli, values.to), (table, rows) =>
      cli.stdout.write(`  ${table.padEnd(22)} ${rows}\n`),
    );
    if (!outcome.ok) {
      cli.stderr.write(`${outcome.message}\n`);
      return 1;
    }
    cli.stdout.write(`source: ${describe(outcome.source)}\ndestination: ${describe(outcome.destination)}\n`);
    return outcome.source.drift.length === 0 && outcome.destination.drift.length === 0 ? 0 : 1;
  },
};

/** The configuration the rest of the environment gives, for the database at url. */
function storeAt(cli: Cli, url: string) {
  return loadConfig({ ...cli.env, DATABASE_URL: url, WORKERS: undefined });
}

/** "fair-pay 1204, other 3 — every counter matches a recount". */
function describe(side: CopiedSide): string {
  const counts = side.counts.length === 0 ? 'no letters' : side.counts.map((c) => `${c.slug} ${c.count}`).join(', ');
  const drift = side.drift.length === 0 ? 'every counter matches a recount' : `${side.drift.length} counter(s) drifted`;
  return `${counts} — ${drift}`;
}
