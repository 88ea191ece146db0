// `backup PATH`: a consistent copy of the live database (SQLite's online backup API, safe while
// the site serves). On PostgreSQL it says which pg_dump command to run instead.
import { type Command, UsageError, withServices } from '../command.js';

export const backupCommand: Command = {
  summary: 'PATH  write a consistent online backup of the database to PATH (SQLite; PostgreSQL: pg_dump)',
  async run([path], cli) {
    if (!path) throw new UsageError('Usage: npm run cli -- backup PATH');
    const outcome = await withServices(cli, (services) => services.maintenance.backup(path));
    if (!outcome.ok) {
      cli.stderr.write(`${outcome.message}\n`);
      return 1;
    }
    cli.stdout.write(`Backup written to ${path} in ${outcome.ms} ms.\n`);
    return 0;
  },
};
