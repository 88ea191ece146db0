// Which language a request gets: ?lang, then the cookie, then Accept-Language, then the letter's.
import { describe, expect, it } from 'vitest';
import { fromAcceptLanguage, langCookie, negotiateLocale } from '../../src/i18n/negotiate-locale.js';

describe('negotiateLocale', () => {
  it.each([
    [{}, 'en', 'default'],
    [{ query: 'fr' }, 'fr', 'query'],
    [{ query: 'FR ' }, 'fr', 'query'],
    [{ query: 'fr', cookie: 'de', acceptLanguage: 'es', letterLanguage: 'ar' }, 'fr', 'query'],
    [{ query: 'zz', cookie: 'de' }, 'de', 'cookie'],
    [{ query: ['fr', 'de'], acceptLanguage: 'es' }, 'es', 'header'],
    [{ cookie: 'de', acceptLanguage: 'es' }, 'de', 'cookie'],
    [{ cookie: 'xx', acceptLanguage: 'es' }, 'es', 'header'],
    [{ acceptLanguage: 'ja, ar;q=0.5', letterLanguage: 'fr' }, 'ar', 'header'],
    [{ acceptLanguage: 'ja', letterLanguage: 'fr' }, 'fr', 'letter'],
    [{ acceptLanguage: 'ja', letterLanguage: 'xx' }, 'en', 'default'],
  ] as const)('%j gives %s (from %s)', (inputs, locale, source) => {
    expect(negotiateLocale(inputs)).toEqual({ locale, source });
  });
});

describe('fromAcceptLanguage', () => {
  it.each([
    ['fr-CA,fr;q=0.9,en;q=0.8', 'fr'],
    ['en;q=0.5, de;q=0.9', 'de'],
    ['de;q=0.5, es;q=0.5', 'de'],
    ['es-419', 'es'],
    ['AR-eg', 'ar'],
    ['fr;q=0, en', 'en'],
    ['*', null],
    ['ja, zh-Hant', null],
    ['', null],
    ['fr;q=abc, de', 'de'],
    [null, null],
  ])('%s gives %s', (header, locale) => {
    expect(fromAcceptLanguage(header)).toBe(locale);
  });

  it('reads only the first 20 ranges of a long header', () => {
    expect(fromAcceptLanguage(`${Array.from({ length: 20 }, (_, i) => `x${i}`).join(',')},fr`)).toBeNull();
    expect(fromAcceptLanguage(`${Array.from({ length: 19 }, (_, i) => `x${i}`).join(',')},fr`)).toBe('fr');
  });
});

describe('langCookie', () => {
  it.each([
    ['lang=fr', 'fr'],
    ['a=1; lang=de; b=2', 'de'],
    ['slang=fr', null],
    ['', null],
    [undefined, null],
  ])('%s gives %s', (header, value) => {
    expect(langCookie(header)).toBe(value);
  });
});
