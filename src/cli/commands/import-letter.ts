// `import-letter PATH.md`: create or update a letter from Markdown with YAML front matter.
import { LetterFileError, parseLetterFile } from '../../letters/letter-file.js';
import { type Command, readTextFile, UsageError, withServices } from '../command.js';

export const importLetterCommand: Command = {
  summary: 'PATH.md  create or update a letter from Markdown with YAML front matter',
  async run([path], cli) {
    if (!path) throw new UsageError('Usage: npm run cli -- import-letter PATH.md');
    const source = readTextFile(path, cli);
    if (source === null) return 1;
    let file: ReturnType<typeof parseLetterFile>;
    try {
      file = parseLetterFile(source);
    } catch (error) {
      if (error instanceof LetterFileError) {
        cli.stderr.write(`${path}: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    const { letter, created, warnings } = await withServices(cli, (services) => services.imports.importFile(file, services.now()));
    cli.stdout.write(`${created ? 'Created' : 'Updated'} letter "${letter.slug}" (${file.status}, version ${letter.version}).\n`);
    for (const warning of warnings) cli.stderr.write(`${path}: warning: ${warning.message}\n`);
    return 0;
  },
};
