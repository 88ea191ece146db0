// `export SLUG [--status S]`: a letter's signatures as CSV on stdout (or --output FILE), streamed
// row by row like the web export. With npm, use `npm run -s cli -- export …` so npm's own banner
// does not end up in the file.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { SIGNATURE_STATUSES, type SignatureStatus } from '../../db/schema.js';
import { LetterRepo } from '../../letters/letter-repo.js';
import { AuditRepo } from '../../organizers/audit-repo.js';
import { ExportService } from '../../organizers/export-service.js';
import { type Command, cliArgs, openForCli, UsageError } from '../command.js';

const USAGE = `Usage: npm run -s cli -- export SLUG [--status ${SIGNATURE_STATUSES.join('|')}] [--output FILE] > file.csv`;

export const exportCommand: Command = {
  summary: 'SLUG [--status S] [--output FILE]  signatures as CSV (emails included) to stdout',
  async run(args) {
    const { values, positionals } = cliArgs(args, {
      options: { status: { type: 'string' }, output: { type: 'string' } },
      allowPositionals: true,
    });
    const [slug] = positionals;
    if (!slug || positionals.length > 1) throw new UsageError(USAGE);
    const status = values.status as SignatureStatus | undefined;
    if (status !== undefined && !SIGNATURE_STATUSES.includes(status)) {
      throw new UsageError(`--status must be one of ${SIGNATURE_STATUSES.join(', ')}`);
    }
    const { config, db } = openForCli();
    try {
      const letter = await new LetterRepo(db).findBySlug(slug);
      if (!letter) {
        process.stderr.write(`No letter with slug "${slug}".\n`);
        return 1;
      }
      const exports = new ExportService(config, new AuditRepo(db), () => new Date());
      const { stream } = await exports.signatures(letter, null, status ?? null, 'cli');
      try {
        await pipeline(stream, values.output ? createWriteStream(values.output) : process.stdout);
      } catch (error) {
        // `… | head` closing the pipe early is the reader's choice, not a failure.
        if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      }
      return 0;
    } finally {
      db.$client.close();
    }
  },
};
