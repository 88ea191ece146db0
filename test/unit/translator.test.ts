// The translator: ICU plurals per language, HTML values kept apart from escaped text, the English
// fallback for a missing key, and numbers, dates and countries as each language writes them.
import { describe, expect, it } from 'vitest';
import { makeTranslator, translatorFor } from '../../src/i18n/translator.js';

const english = {
  'site.test.count': '{count, plural, one {# signature} other {# signatures}}',
  'site.test.link': 'Read {title} on {link}.',
  'site.test.only': 'Only in English',
};
const arabic = {
  'site.test.count': '{count, plural, zero {لا توقيعات} one {توقيع واحد} two {توقيعان} few {# توقيعات} many {# توقيعًا} other {# توقيع}}',
  'site.test.link': 'اقرأ {title} على {link}.',
};

describe('Translator', () => {
  it('chooses the plural form of the language', () => {
    const en = makeTranslator('en', english, english);
    expect([0, 1, 2, 11204].map((count) => en.t('site.test.count', { count }))).toEqual([
      '0 signatures',
      '1 signature',
      '2 signatures',
      '11,204 signatures',
    ]);
    const ar = makeTranslator('ar', arabic, english);
    expect([0, 1, 2, 3, 11, 100].map((count) => ar.t('site.test.count', { count }))).toEqual([
      'لا توقيعات',
      'توقيع واحد',
      'توقيعان',
      '3 توقيعات',
      '11 توقيعًا',
      '100 توقيع',
    ]);
  });

  it('escapes the message and its values, and inserts only the values given as HTML', () => {
    const en = makeTranslator('en', english, english);
    expect(en.tHtml('site.test.link', { title: '<script>"x" & y</script>' }, { link: '<a href="/x">the site</a>' })).toBe(
      'Read &lt;script&gt;&quot;x&quot; &amp; y&lt;/script&gt; on <a href="/x">the site</a>.',
    );
  });

  it('falls back to English for a key the language lacks, and shows an unknown key as itself', () => {
    const ar = makeTranslator('ar', arabic, english);
    expect(ar.t('site.test.only')).toBe('Only in English');
    expect(ar.has('site.test.only')).toBe(false);
    expect(ar.t('site.test.none')).toBe('site.test.none');
  });

  it('writes numbers, dates and countries as each language does', () => {
    const date = new Date('2026-12-06T14:05:00Z');
    expect(translatorFor('fr').number(11204)).toBe(new Intl.NumberFormat('fr-FR').format(11204));
    expect(translatorFor('fr').number(11204)).toBe('11\u202f204');
    expect(translatorFor('de').number(11204)).toBe('11.204');
    expect(translatorFor('en').date(date)).toBe('6 December 2026');
    expect(translatorFor('es').date(date)).toBe('6 de diciembre de 2026');
    expect(translatorFor('en').dateTime(date)).toBe('6 Dec 2026, 14:05 UTC');
    expect(translatorFor('ar').number(11204)).toBe('11,204');
    expect(translatorFor('de').country('FR')).toBe('Frankreich');
    expect(translatorFor('ar').dir).toBe('rtl');
    expect(translatorFor('fr').dir).toBe('ltr');
  });
});
