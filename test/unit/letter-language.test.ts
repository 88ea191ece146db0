// Which text of a letter a reader is shown, by language and version.
import { describe, expect, it } from 'vitest';
import { languageName, readableLanguages, shownText } from '../../src/domain/letter-language.js';

const letter = { language: 'en', version: 3, title: 'Fair pay', summary: 'Pay us.', addressee: 'Example Corp', bodyMd: 'We ask.' };
const fr = {
  language: 'fr',
  translatesVersion: 3,
  title: 'Salaire juste',
  summary: 'Payez-nous.',
  addressee: 'Example Corp',
  bodyMd: 'Nous demandons.',
};
const de = { language: 'de', translatesVersion: 2, title: 'Gerechte Bezahlung', summary: '', addressee: '', bodyMd: 'Wir fordern.' };

describe('shownText', () => {
  it.each([
    ['the letter’s own language', 'en', { language: 'en', title: 'Fair pay', version: 3, outdated: false, fallback: false }],
    ['a current translation', 'fr', { language: 'fr', title: 'Salaire juste', version: 3, outdated: false, fallback: false }],
    [
      'a translation of an earlier version',
      'de',
      { language: 'de', title: 'Gerechte Bezahlung', version: 2, outdated: true, fallback: false },
    ],
    ['a language without a translation', 'es', { language: 'en', title: 'Fair pay', version: 3, outdated: false, fallback: true }],
  ])('%s', (_, reader, expected) => {
    expect(shownText(letter, [fr, de], reader)).toMatchObject(expected);
  });

  it('never shows a translation into the letter’s own language over its own text', () => {
    expect(shownText(letter, [{ ...fr, language: 'en', title: 'Stale' }], 'en').title).toBe('Fair pay');
  });
});

describe('readableLanguages', () => {
  it('is the letter’s own language first, then its translations’, once each', () => {
    expect(readableLanguages(letter, [fr, de, { language: 'en' }])).toEqual(['en', 'fr', 'de']);
  });
});

describe('languageName', () => {
  it.each([
    ['fr', 'en', 'French'],
    ['en', 'fr', 'anglais'],
    ['de', 'de', 'Deutsch'],
    ['es', 'ar', 'الإسبانية'],
  ])('%s in %s is %s', (code, inLanguage, name) => {
    expect(languageName(code, inLanguage)).toBe(name);
  });
});
