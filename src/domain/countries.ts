// ISO 3166-1 alpha-2 countries with English names, from the maintained i18n-iso-countries data.
import { createRequire } from 'node:module';
// The library without its Node.js entry point, which registers every one of its 80 locales (about
// 9 MB of memory for names we never show); English only is registered below.
import countries from 'i18n-iso-countries/index.js';

const require = createRequire(import.meta.url);
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

const NAMES = countries.getNames('en', { select: 'official' }) as Record<string, string>;

/** For select lists: sorted by name. */
export const COUNTRY_OPTIONS: ReadonlyArray<{ code: string; name: string }> = Object.entries(NAMES)
  .map(([code, name]) => ({ code, name }))
  .sort((a, b) => a.name.localeCompare(b.name, 'en'));

export function isCountryCode(code: string): boolean {
  return Object.hasOwn(NAMES, code);
}

export function countryName(code: string): string {
  return NAMES[code] ?? code;
}

/** The alpha-2 code for an ISO 3166-1 numeric code ("250" → "FR"), as world maps name countries. */
export function countryCodeFromNumeric(numeric: string): string | undefined {
  return countries.numericToAlpha2(numeric);
}
