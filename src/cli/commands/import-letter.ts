import { readFileSync } from 'node:fs';
import { importLetter } from '../../letters/import-letter.js';
import { LetterFileError, parseLetterFile } from '../../letters/letter-file.js';
import { LetterRepo } from '../../letters/letter-repo.js';
import { type Command, openForCli } from '../command.js';

export const importLetterCommand: Command = {
  summary: 'PATH.md  create or update a letter from Markdown with YAML front matter',
  async run(args) {
    const [path] = args;
    if (!path) {
      process.stderr.write('Usage: npm run cli -- import-letter PATH.md\n');
      return 2;
    }
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      process.stderr.write(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return 1;
    }
    let file: ReturnType<typeof parseLetterFile>;
    try {
      file = parseLetterFile(source);
    } catch (error) {
      if (error instanceof LetterFileError) {
        process.stderr.write(`${path}: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    const { db } = openForCli();
    try {
      const { letter, created } = await importLetter(new LetterRepo(db), file, new Date());
      process.stdout.write(`${created ? 'Created' : 'Updated'} letter "${letter.slug}" (${file.status}, version ${letter.version}).\n`);
      return 0;
    } finally {
      db.$client.close();
    }
  },
};
