// `backup PATH`: a consistent copy of the live database through SQLite's online backup API,
// safe while the site is serving (writers are not blocked for the whole copy).
import { existsSync } from 'node:fs';
import { type Command, openForCli } from '../command.js';

export const backupCommand: Command = {
  summary: 'PATH  write a consistent online backup of the database to PATH',
  async run([path]) {
    if (!path) {
      process.stderr.write('Usage: npm run cli -- backup PATH\n');
      return 2;
    }
    if (existsSync(path)) {
      process.stderr.write(`${path} already exists; choose a new file name.\n`);
      return 1;
    }
    const { db } = openForCli();
    try {
      const started = Date.now();
      await db.$client.backup(path);
      process.stdout.write(`Backup written to ${path} in ${Date.now() - started} ms.\n`);
      return 0;
    } finally {
      db.$client.close();
    }
  },
};
