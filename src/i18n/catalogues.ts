// The message catalogues: locales/<locale>/<area>.json, each a flat object of ICU messages whose
// keys all start with "<area>.", read once per process.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCALES, type Locale } from './locales.js';

// From src/i18n or dist/i18n alike.
export const LOCALES_DIR = fileURLToPath(new URL('../../locales', import.meta.url));

export type Catalogue = Readonly<Record<string, string>>;

/** Every catalogue file of one language, merged. Throws on a file that breaks the rules above. */
export function readCatalogue(locale: Locale, dir = LOCALES_DIR): Catalogue {
  const folder = join(dir, locale);
  const messages: Record<string, string> = {};
  if (!existsSync(folder)) return messages;
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const area = file.slice(0, -'.json'.length);
    const content: unknown = JSON.parse(readFileSync(join(folder, file), 'utf8'));
    if (typeof content !== 'object' || content === null || Array.isArray(content)) {
      throw new Error(`locales/${locale}/${file} is not a JSON object`);
    }
    for (const [key, message] of Object.entries(content)) {
      if (!key.startsWith(`${area}.`)) throw new Error(`locales/${locale}/${file}: key "${key}" must start with "${area}."`);
      if (typeof message !== 'string') throw new Error(`locales/${locale}/${file}: "${key}" is not a string`);
      messages[key] = message;
    }
  }
  return messages;
}

let loaded: Readonly<Record<Locale, Catalogue>> | null = null;

/** All catalogues, read on first use. */
export function catalogues(): Readonly<Record<Locale, Catalogue>> {
  loaded ??= Object.fromEntries(LOCALES.map((locale) => [locale, readCatalogue(locale)])) as Record<Locale, Catalogue>;
  return loaded;
}
