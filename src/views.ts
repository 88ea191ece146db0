// One Eta instance for pages and mail, plus the helpers every template can use.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { CURRENT_UPDATE_CONSENT, updateConsentWording } from './domain/update-consent.js';
import { currentPath, currentTranslator } from './i18n/context.js';
import { LOCALE_NAMES, LOCALES } from './i18n/locales.js';
import { escapeHtml, type Translator } from './i18n/translator.js';

export const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
export const VIEWS_DIR = join(ROOT_DIR, 'views');
export const STATIC_DIR = join(ROOT_DIR, 'static');

/**
 * Every template and partial starts with `i18n` (the current Translator), `t` and `tHtml` as
 * plain identifiers, read from the locale scope of what is being rendered (i18n/context.ts).
 * Eta calls a compiled template with `this` set to the Eta instance, hence the method here.
 */
const I18N_HEADER = 'const i18n = this.translator(), t = i18n.t.bind(i18n), tHtml = i18n.tHtml.bind(i18n);';

export class SiteEta extends Eta {
  readonly translator: () => Translator = currentTranslator;
}

export function createEta(): Eta {
  return new SiteEta({
    views: VIEWS_DIR,
    cache: true,
    autoEscape: true,
    autoTrim: [false, 'nl'],
    functionHeader: I18N_HEADER,
  });
}

/** Versioned asset URLs: the content hash changes the URL, so files can be cached for a year. */
function assetUrls(): (path: string) => string {
  const versions = new Map<string, string>();
  return (path: string) => {
    let version = versions.get(path);
    if (!version) {
      version = createHash('sha256')
        .update(readFileSync(join(STATIC_DIR, path)))
        .digest('hex')
        .slice(0, 12);
      versions.set(path, version);
    }
    return `/static/${path}?v=${version}`;
  };
}

/** The language switcher's links: this address in each language (`?lang=xx`, the rest kept). */
export function languageLinks(path = currentPath() ?? '/'): Array<{ locale: string; name: string; href: string; current: boolean }> {
  const current = currentTranslator().locale;
  const [pathname = '/', search = ''] = path.split('?', 2);
  const params = new URLSearchParams(search);
  params.delete('lang');
  return LOCALES.map((locale) => {
    const query = new URLSearchParams(params);
    query.set('lang', locale);
    return { locale, name: LOCALE_NAMES[locale], href: `${pathname}?${query}`, current: locale === current };
  });
}

/** An absolute URL in a language: English (the x-default) without ?lang, the others with it. */
export function urlInLanguage(url: string, locale: string): string {
  if (locale === 'en') return url;
  return `${url}${url.includes('?') ? '&' : '?'}lang=${locale}`;
}

// Number, date and country helpers follow the language being rendered.
export const viewHelpers = {
  asset: assetUrls(),
  format: (n: number) => currentTranslator().number(n),
  date: (d: Date) => currentTranslator().date(d),
  countryName: (code: string) => currentTranslator().country(code),
  languageLinks,
  urlInLanguage,
  locales: LOCALES,
  /** For values a template passes to tHtml as HTML. */
  escapeHtml,
  /** The words beside the signing form's updates box: the ones a signature's consent records. */
  updatesConsentWording: () => updateConsentWording(CURRENT_UPDATE_CONSENT[currentTranslator().locale]),
};
