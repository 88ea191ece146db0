// `import-letter PATH.md`: create or update a letter from Markdown with YAML front matter, with
// its translations (a `translations` map in the front matter, and files PATH.xx.md beside it).
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  type LetterFile,
  LetterFileError,
  type LetterFileTranslation,
  parseLetterFile,
  parseTranslationFile,
  translationFileLanguage,
  withTranslations,
} from '../../letters/letter-file.js';
import { type Cli, type Command, readTextFile, UsageError, withServices } from '../command.js';

/** Reads, parses and reports one file: its value, or null once the problem is on stderr. */
function parsed<T>(path: string, cli: Cli, parse: (source: string) => T): T | null {
  const source = readTextFile(path, cli);
  if (source === null) return null;
  try {
    return parse(source);
  } catch (error) {
    if (error instanceof LetterFileError) {
      cli.stderr.write(`${path}: ${error.message}\n`);
      return null;
    }
    throw error;
  }
}

/** The letter and the translation files beside it, or null when one of them is refused. */
function readLetter(path: string, cli: Cli): LetterFile | null {
  const file = parsed(path, cli, parseLetterFile);
  if (!file) return null;
  const folder = dirname(path);
  const translations: LetterFileTranslation[] = [];
  for (const name of readdirSync(folder).sort()) {
    const language = translationFileLanguage(basename(path), name);
    if (language === null) continue;
    const translation = parsed(join(folder, name), cli, (source) => parseTranslationFile(language, source));
    if (!translation) return null;
    translations.push(translation);
  }
  return parsed(path, cli, () => withTranslations(file, translations));
}

export const importLetterCommand: Command = {
  summary: 'PATH.md  create or update a letter (and its translations, PATH.xx.md) from Markdown with YAML front matter',
  async run([path], cli) {
    if (!path) throw new UsageError('Usage: npm run cli -- import-letter PATH.md');
    const file = readLetter(path, cli);
    if (!file) return 1;
    const { letter, created, warnings } = await withServices(cli, (services) => services.imports.importFile(file, services.now()));
    const languages = file.translations.map((t) => t.language);
    cli.stdout.write(
      `${created ? 'Created' : 'Updated'} letter "${letter.slug}" (${file.status}, version ${letter.version}, in ${file.language}` +
        `${languages.length > 0 ? `, translated into ${languages.join(', ')}` : ''}).\n`,
    );
    for (const warning of warnings) cli.stderr.write(`${path}: warning: ${warning.message}\n`);
    return 0;
  },
};
