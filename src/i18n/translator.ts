// One Translator per language, built once per process: its messages (ICU MessageFormat, compiled
// on first use and kept), numbers, dates and country names. A key missing from a catalogue falls
// back to English; the catalogue test makes sure none is.
import { createRequire } from 'node:module';
// Without the Node.js entry point, which registers all 80 of the library's locales.
import countries from 'i18n-iso-countries/index.js';
import { IntlMessageFormat, PART_TYPE } from 'intl-messageformat';
import { type Catalogue, catalogues } from './catalogues.js';
import { DEFAULT_LOCALE, directionOf, INTL_TAGS, LOCALES, type Locale } from './locales.js';

export type MessageValue = string | number | Date | boolean | null | undefined;
export type MessageValues = Readonly<Record<string, MessageValue>>;

export interface Translator {
  readonly locale: Locale;
  readonly dir: 'ltr' | 'rtl';
  /** The tag Intl formats this language with (for scripts that format on the page). */
  readonly intlTag: string;
  /** The message as text (escape it where it goes, as Eta's <%= %> does). */
  t(key: string, values?: MessageValues): string;
  /**
   * The message as HTML: its text and every value escaped, except the `html` values, which are
   * inserted as given (links and emphasis built by the template from already escaped parts).
   */
  tHtml(key: string, values?: MessageValues, html?: Readonly<Record<string, string>>): string;
  has(key: string): boolean;
  number(n: number): string;
  /** "6 December 2026" (in the language's own order and words). */
  date(d: Date): string;
  /** "6 Dec 2026, 14:05 UTC": for what needs the hour. */
  dateTime(d: Date): string;
  /** A country's name in this language, from its ISO 3166-1 alpha-2 code. */
  country(code: string): string;
  /** Every country, sorted by its name in this language: for select lists. */
  countryOptions(): ReadonlyArray<{ code: string; name: string }>;
}

const require = createRequire(import.meta.url);
for (const locale of LOCALES) countries.registerLocale(require(`i18n-iso-countries/langs/${locale}.json`));

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** Marks an HTML value through formatting: the formatter passes objects through as parts. */
interface HtmlValue {
  html: string;
}

class CatalogueTranslator implements Translator {
  readonly dir: 'ltr' | 'rtl';
  readonly intlTag: string;
  private readonly compiled = new Map<string, IntlMessageFormat>();
  private readonly numbers: Intl.NumberFormat;
  private readonly dates: Intl.DateTimeFormat;
  private readonly dateTimes: Intl.DateTimeFormat;
  private countryNames: Record<string, string> | null = null;
  private sortedCountries: ReadonlyArray<{ code: string; name: string }> | null = null;

  constructor(
    readonly locale: Locale,
    private readonly messages: Catalogue,
    private readonly fallback: Catalogue,
  ) {
    this.dir = directionOf(locale);
    const tag = INTL_TAGS[locale];
    this.intlTag = tag;
    this.numbers = new Intl.NumberFormat(tag);
    this.dates = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    this.dateTimes = new Intl.DateTimeFormat(tag, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'UTC',
    });
  }

  has(key: string): boolean {
    return Object.hasOwn(this.messages, key);
  }

  private format(key: string): IntlMessageFormat | null {
    let format = this.compiled.get(key);
    if (!format) {
      const own = Object.hasOwn(this.messages, key);
      const source = own ? this.messages[key] : this.fallback[key];
      if (source === undefined) return null;
      format = new IntlMessageFormat(source, INTL_TAGS[own ? this.locale : DEFAULT_LOCALE]);
      this.compiled.set(key, format);
    }
    return format;
  }

  t(key: string, values?: MessageValues): string {
    const format = this.format(key);
    // An unknown key shows itself, so the page still renders and the gap is visible.
    if (!format) return key;
    return String(format.format(values as Record<string, MessageValue>));
  }

  tHtml(key: string, values: MessageValues = {}, html: Readonly<Record<string, string>> = {}): string {
    const format = this.format(key);
    if (!format) return escapeHtml(key);
    const all: Record<string, MessageValue | HtmlValue> = { ...values };
    for (const [name, value] of Object.entries(html)) all[name] = { html: value };
    return format
      .formatToParts<HtmlValue>(all)
      .map((part) => (part.type === PART_TYPE.object ? (part.value as HtmlValue).html : escapeHtml(String(part.value))))
      .join('');
  }

  number(n: number): string {
    return this.numbers.format(n);
  }

  date(d: Date): string {
    return this.dates.format(d);
  }

  dateTime(d: Date): string {
    return `${this.dateTimes.format(d)} UTC`;
  }

  country(code: string): string {
    this.countryNames ??= countries.getNames(this.locale, { select: 'official' }) as Record<string, string>;
    return this.countryNames[code] ?? code;
  }

  countryOptions(): ReadonlyArray<{ code: string; name: string }> {
    if (!this.sortedCountries) {
      const collator = new Intl.Collator(INTL_TAGS[this.locale]);
      this.sortedCountries = Object.keys(countries.getAlpha2Codes())
        .map((code) => ({ code, name: this.country(code) }))
        .sort((a, b) => collator.compare(a.name, b.name));
    }
    return this.sortedCountries;
  }
}

/** A translator over given catalogues (the app's are translatorFor's; tests pass their own). */
export function makeTranslator(locale: Locale, messages: Catalogue, fallback: Catalogue): Translator {
  return new CatalogueTranslator(locale, messages, fallback);
}

const translators = new Map<Locale, Translator>();

/** The translator of a language, made on first use. */
export function translatorFor(locale: Locale): Translator {
  let translator = translators.get(locale);
  if (!translator) {
    const all = catalogues();
    translator = makeTranslator(locale, all[locale], all[DEFAULT_LOCALE]);
    translators.set(locale, translator);
  }
  return translator;
}
