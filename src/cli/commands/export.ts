// `export SLUG [--status S]`: a letter's signatures as CSV on stdout (or --output FILE), streamed
// row by row like the web export. With npm, use `npm run -s cli -- export …` so npm's own banner
// does not end up in the file.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { SIGNATURE_STATUSES, type SignatureStatus } from '../../db/vocabulary.js';
import { type Command, cliArgs, UsageError, withServices } from '../command.js';

const USAGE = `Usage: npm run -s cli -- export SLUG [--status ${SIGNATURE_STATUSES.join('|')}] [--output FILE] > file.csv`;

export const exportCommand: Command = {
  summary: 'SLUG [--status S] [--output FILE]  signatures as CSV (emails included) to stdout',
  async run(args, cli) {
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
    return withServices(cli, async (services) => {
      const exported = await services.organizers.exports.bySlug(slug, status ?? null, 'cli');
      if (!exported) {
        cli.stderr.write(`No letter with slug "${slug}".\n`);
        return 1;
      }
      try {
        await pipeline(exported.stream, values.output ? createWriteStream(values.output) : (cli.stdout as NodeJS.WritableStream));
      } catch (error) {
        // `… | head` closing the pipe early is the reader's choice, not a failure.
        if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      }
      return 0;
    });
  },
};
