// `log-key [--name NAME]`: a new key to sign the letters' public logs with, for LOG_SIGNING_KEY,
// and the verifier key that goes with it. Named for the host of PUBLIC_URL unless told otherwise.
import { generateSigningKey, NoteError, parseSigningKey, verifierKeyText } from '../../domain/signed-note.js';
import { type Command, cliArgs, UsageError } from '../command.js';

export const logKeyCommand: Command = {
  summary: '[--name NAME]  print a new LOG_SIGNING_KEY (named for PUBLIC_URL’s host) and its verifier key',
  async run(args, cli) {
    const { values } = cliArgs(args, { options: { name: { type: 'string' } } });
    const publicUrl = cli.env.PUBLIC_URL;
    let name = values.name;
    if (!name && publicUrl) {
      try {
        name = new URL(publicUrl).host;
      } catch {
        throw new UsageError(`PUBLIC_URL is not a URL: ${publicUrl}`);
      }
    }
    if (!name) throw new UsageError('Set PUBLIC_URL (the key is named for its host), or give --name HOST.');
    let key: string;
    try {
      key = generateSigningKey(name);
    } catch (error) {
      if (error instanceof NoteError) throw new UsageError(error.message);
      throw error;
    }
    cli.stdout.write(`LOG_SIGNING_KEY=${key}\n`);
    cli.stderr.write(`Keep it secret. Its verifier key, which the site publishes:\n${verifierKeyText(parseSigningKey(key))}\n`);
    return 0;
  },
};
