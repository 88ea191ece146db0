// The languages the interface speaks. English is the source: every other catalogue translates it.
export const LOCALES = ['en', 'fr', 'de', 'es', 'ar'] as const;

export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function directionOf(locale: Locale): 'ltr' | 'rtl' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}

/** Each language named in itself, for the language switcher. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  fr: 'Français',
  de: 'Deutsch',
  es: 'Español',
  ar: 'العربية',
};

/**
 * The tag given to Intl for each language. English dates read "6 December 2026" as the site
 * always wrote them. Arabic keeps Western digits, as Arabic Wikipedia and most Arabic news sites
 * do: counts, years in dates and the numbers our charts draw then read alike on one page.
 */
export const INTL_TAGS: Readonly<Record<Locale, string>> = {
  en: 'en-GB',
  fr: 'fr-FR',
  de: 'de-DE',
  es: 'es-ES',
  ar: 'ar-u-nu-latn',
};
