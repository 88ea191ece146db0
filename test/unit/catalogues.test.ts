// The message catalogues: the same keys in every language, every message valid ICU, the English
// placeholders in every translation, Arabic plurals with all six forms, and no key that the code
// does not use nor one it uses that is missing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR, readCatalogue } from '../../src/i18n/catalogues.js';
import { INTL_TAGS, LOCALES } from '../../src/i18n/locales.js';

const ROOT = join(LOCALES_DIR, '..');
const AREAS = ['site', 'mail', 'organizers', 'api', 'letters'];
const catalogues = Object.fromEntries(LOCALES.map((locale) => [locale, readCatalogue(locale)]));
const english = catalogues.en ?? {};
const translations = LOCALES.filter((locale) => locale !== 'en');

/** Argument names of a parsed message, at any depth (inside plurals and selects too). */
function argumentsOf(elements: MessageFormatElement[], names = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    if (element.type === TYPE.tag) {
      argumentsOf(element.children, names);
      continue;
    }
    names.add(element.value);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) argumentsOf(option.value, names);
    }
  }
  return names;
}

/** Every plural (not ordinal) of a parsed message, at any depth. */
function pluralsOf(elements: MessageFormatElement[], found: Array<Set<string>> = []): Array<Set<string>> {
  for (const element of elements) {
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      if (element.type === TYPE.plural && element.pluralType !== 'ordinal') found.push(new Set(Object.keys(element.options)));
      for (const option of Object.values(element.options)) pluralsOf(option.value, found);
    }
  }
  return found;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|eta)$/.test(entry.name)) out.push(path);
  }
  return out;
}
const SOURCES = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'views'))].map((path) => readFileSync(path, 'utf8'));
const ALL_SOURCE = SOURCES.join('\n');

describe('catalogues', () => {
  it('have English messages', () => {
    expect(Object.keys(english).length).toBeGreaterThan(0);
  });

  it('are flat files named by area, each key starting with its area', () => {
    for (const locale of LOCALES) {
      for (const file of readdirSync(join(LOCALES_DIR, locale))) {
        expect(
          AREAS.map((area) => `${area}.json`),
          `locales/${locale}/${file}`,
        ).toContain(file);
      }
    }
  });

  it.each(translations)('%s has every English key and no other', (locale) => {
    const own = Object.keys(catalogues[locale] ?? {});
    expect(
      Object.keys(english).filter((key) => !own.includes(key)),
      'missing',
    ).toEqual([]);
    expect(
      own.filter((key) => !Object.hasOwn(english, key)),
      'not in English',
    ).toEqual([]);
  });

  it.each(LOCALES)('%s: every message parses as ICU MessageFormat and holds no HTML', (locale) => {
    for (const [key, message] of Object.entries(catalogues[locale] ?? {})) {
      expect(() => parse(message), `${locale} ${key}`).not.toThrow();
      expect(message, `${locale} ${key}`).not.toMatch(/<\/?[a-z]/i);
    }
  });

  it.each(translations)('%s uses exactly the placeholders of the English message', (locale) => {
    for (const [key, source] of Object.entries(english)) {
      const message = catalogues[locale]?.[key];
      if (message === undefined) continue;
      const expected = [...argumentsOf(parse(source))].sort();
      expect([...argumentsOf(parse(message))].sort(), `${locale} ${key}`).toEqual(expected);
    }
  });

  it.each(LOCALES)('%s plurals name every plural form of the language', (locale) => {
    const categories = new Intl.PluralRules(INTL_TAGS[locale]).resolvedOptions().pluralCategories;
    // Arabic's six forms are all required; elsewhere "other" covers what is not named (French
    // "many" is for millions written as words, which no message here needs).
    const required = locale === 'ar' ? categories : locale === 'en' ? ['one', 'other'] : ['other'];
    for (const [key, message] of Object.entries(catalogues[locale] ?? {})) {
      for (const options of pluralsOf(parse(message))) {
        expect([...options].filter((o) => !o.startsWith('=')).sort(), `${locale} ${key}`).toEqual(expect.arrayContaining([...required]));
        for (const option of options) {
          if (!option.startsWith('=')) expect(categories, `${locale} ${key}: ${option}`).toContain(option);
        }
      }
    }
  });

  it('has no key that the views and source never name', () => {
    const unused = Object.keys(english).filter((key) => !ALL_SOURCE.includes(`'${key}'`) && !ALL_SOURCE.includes(`"${key}"`));
    expect(unused).toEqual([]);
  });

  it('has every key that the views and source name', () => {
    const named = new Set<string>();
    // Keys are area.section.name (at least two parts after the area), which tells them from other
    // quoted text with a dot, such as an address's domain.
    const pattern = new RegExp(`['"\`]((?:${AREAS.join('|')})\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]*[A-Za-z0-9_])['"\`]`, 'g');
    for (const match of ALL_SOURCE.matchAll(pattern)) named.add(match[1] as string);
    expect([...named].filter((key) => !Object.hasOwn(english, key)).sort()).toEqual([]);
  });
});
