// `erase-signer --letter SLUG --email ADDRESS`: a signer's personal data erased from a letter, as
// the organizers' erasure does it (audited, from the command line).
import { type Command, cliArgs, UsageError, withServices } from '../command.js';

const USAGE = 'Usage: npm run cli -- erase-signer --letter SLUG --email ADDRESS';

export const eraseSignerCommand: Command = {
  summary: '--letter SLUG --email ADDRESS  erase a signer’s personal data from a letter (a withdraw in its log if it counted)',
  async run(args, cli) {
    const { values } = cliArgs(args, { options: { letter: { type: 'string' }, email: { type: 'string' } } });
    if (!values.letter || !values.email) throw new UsageError(USAGE);
    const { letter, email } = values;
    const erased = await withServices(cli, (services) => services.organizers.moderation.eraseByEmail(letter, email));
    if (erased === 'no_letter') {
      cli.stderr.write(`No letter with slug "${letter}".\n`);
      return 1;
    }
    if (erased === 'no_signature') {
      cli.stderr.write(`No signature by ${email} on "${letter}".\n`);
      return 1;
    }
    cli.stdout.write(
      `Erased signature #${erased.signatureId} from "${letter}": name, address, details, links, mail and log salt are gone.` +
        `${erased.counted ? ' It no longer counts; the public log records a withdrawal.' : ''}\n`,
    );
    return 0;
  },
};
