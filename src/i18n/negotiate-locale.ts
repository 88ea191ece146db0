// Which language a request is answered in, decided without I/O: an explicit ?lang=xx, else the
// language remembered in the `lang` cookie, else the browser's Accept-Language, else the
// letter's main language (when the page is a letter's), else English.
import { DEFAULT_LOCALE, isLocale, type Locale } from './locales.js';

export type LocaleSource = 'query' | 'cookie' | 'header' | 'letter' | 'default';

export interface LocaleInputs {
  /** The `lang` query parameter as received (a repeated parameter arrives as an array). */
  query?: unknown;
  /** The `lang` cookie's value. */
  cookie?: string | null;
  acceptLanguage?: string | null;
  letterLanguage?: string | null;
}

export interface NegotiatedLocale {
  locale: Locale;
  /** What decided it: only 'query' is remembered in the cookie. */
  source: LocaleSource;
}

export function negotiateLocale(inputs: LocaleInputs): NegotiatedLocale {
  const query = typeof inputs.query === 'string' ? inputs.query.trim().toLowerCase() : null;
  if (isLocale(query)) return { locale: query, source: 'query' };
  if (isLocale(inputs.cookie)) return { locale: inputs.cookie, source: 'cookie' };
  const accepted = fromAcceptLanguage(inputs.acceptLanguage);
  if (accepted) return { locale: accepted, source: 'header' };
  if (isLocale(inputs.letterLanguage)) return { locale: inputs.letterLanguage, source: 'letter' };
  return { locale: DEFAULT_LOCALE, source: 'default' };
}

/** A bound on what is read of a header a client controls. */
const MAX_RANGES = 20;

/**
 * The best supported language of an Accept-Language header (RFC 9110): ranges by q-value, highest
 * first and in the order given when equal; a region or script narrows nothing (fr-CA is fr);
 * q=0 means "not this one"; "*" names no language in particular, so it chooses nothing.
 */
export function fromAcceptLanguage(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranges = header
    .split(',')
    .slice(0, MAX_RANGES)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=(.*)$/i.exec(p)?.[1]).find((v) => v !== undefined);
      const weight = q === undefined ? 1 : Number(q.trim() || Number.NaN);
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((range) => range.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const range of ranges) if (isLocale(range.primary)) return range.primary;
  return null;
}

/** The `lang` cookie's value from a Cookie header. */
export function langCookie(header: string | undefined): string | null {
  if (!header) return null;
  const match = /(?:^|;)\s*lang=([^;]*)/.exec(header);
  return match?.[1]?.trim() ?? null;
}
