import { describe, expect, it } from 'vitest';
import { isOneEditApart, nameKey, nameKeyMatches, searchKey } from '../../src/domain/name-key.js';

describe('nameKey: the same person', () => {
  const same: Array<[string, string, string]> = [
    ['case', 'JULIANNE MOORE', 'julianne moore'],
    ['word order with comma', 'Moore, Julianne', 'Julianne Moore'],
    ['word order without comma', 'Moore Julianne', 'Julianne Moore'],
    ['repeated spaces', 'Julianne    Moore', 'Julianne Moore'],
    ['surrounding spaces', '  Julianne Moore ', 'Julianne Moore'],
    ['tabs and newlines', 'Julianne\tMoore\n', 'Julianne Moore'],
    ['diaeresis', 'Zoë Kravitz', 'Zoe Kravitz'],
    ['umlaut', 'Björk', 'Bjork'],
    ['acute', 'José González', 'Jose Gonzalez'],
    ['cedilla', 'François Ozon', 'Francois Ozon'],
    ['NFD vs NFC', 'Zoe\u0308', 'Zoë'],
    ['sharp s', 'Strauß', 'Strauss'],
    ['o with stroke', 'Søren Kierkegaard', 'Soren Kierkegaard'],
    ['l with stroke', 'Łukasz Żal', 'Lukasz Zal'],
    ['ae ligature', 'Cæcilie', 'Caecilie'],
    ['d with stroke', 'Đorđe Balašević', 'Dorde Balasevic'],
    ['eth', 'Guðrún', 'Gudrun'],
    ['thorn', 'Þór', 'Thor'],
    ['Turkish dotted capital I', 'İlhan', 'ilhan'],
    ['Turkish dotless i', 'Irmak Kılıç', 'Irmak Kilic'],
    ['Cyrillic a in Latin name', 'Kevin B\u0430con', 'Kevin Bacon'],
    ['Cyrillic e and o', 'R\u043eb\u0435rt Smith', 'Robert Smith'],
    ['Greek capital omicron', 'J\u039fHN SMITH', 'John Smith'],
    ['fullwidth letters', 'Ｊｏｈｎ Ｓｍｉｔｈ', 'John Smith'],
    ['zero-width space', 'John\u200B Smith', 'John Smith'],
    ['zero-width joiner inside', 'Jo\u200Dhn Smith', 'John Smith'],
    ['soft hyphen', 'Jo\u00ADhn Smith', 'John Smith'],
    ['bidi override', '\u202EJohn Smith\u202C', 'John Smith'],
    ['left-to-right mark', 'John\u200E Smith', 'John Smith'],
    ['hyphen as separator', 'Jean-Luc Godard', 'Jean Luc Godard'],
    ['en dash as separator', 'Jean–Luc Godard', 'Jean Luc Godard'],
    ['dots as separators', 'J.R.R. Tolkien', 'J R R Tolkien'],
    ['apostrophe variants', 'Sinéad O’Connor', "Sinead O'Connor"],
    ['apostrophe removed', "Sinead O'Connor", 'Sinead OConnor'],
    ['honorific Dr', 'Dr Jane Goodall', 'Jane Goodall'],
    ['honorific Dr.', 'Dr. Jane Goodall', 'Jane Goodall'],
    ['honorific Prof', 'Prof. Brian Cox', 'Brian Cox'],
    ['Sir', 'Sir Paul McCartney', 'Paul McCartney'],
    ['Dame', 'Dame Judi Dench', 'Judi Dench'],
    ['Mr', 'Mr Tom Hanks', 'Tom Hanks'],
    ['Mrs', 'Mrs Jane Smith', 'Jane Smith'],
    ['Ms', 'Ms. Jane Smith', 'Jane Smith'],
    ['Mx', 'Mx Alex Kim', 'Alex Kim'],
    ['PhD', 'Jane Smith, PhD', 'Jane Smith'],
    ['OBE', 'Jane Smith OBE', 'Jane Smith'],
    ['MBE and CBE', 'Jane Smith MBE CBE', 'Jane Smith'],
    ['title and order', 'Dench, Dame Judi', 'Judi Dench'],
    ['generational suffix spelled out', 'John Smith Junior', 'John Smith Jr'],
    ['generational suffix with dot', 'John Smith Jr.', 'John Smith Jr'],
    ['confusable digit one', 'Wil1iam Blake', 'William Blake'],
  ];
  it.each(same)('%s: %s ≡ %s', (_, a, b) => {
    expect(nameKey(a)).toBe(nameKey(b));
  });
});

describe('nameKey: different people', () => {
  const different: Array<[string, string, string]> = [
    ['missing letter', 'Jon Smith', 'John Smith'],
    ['generational suffix', 'John Smith Jr', 'John Smith'],
    ['numbered generation', 'John Smith III', 'John Smith'],
    ['different first name', 'Jane Smith', 'Joan Smith'],
    ['extra middle name', 'John Paul Smith', 'John Smith'],
    ['different surname', 'Julianne Moore', 'Julianne Moor'],
    ['Ma is a name, not a degree', 'Yo-Yo Ma', 'Yo-Yo'],
    ['senior vs junior', 'John Smith Sr', 'John Smith Jr'],
  ];
  it.each(different)('%s: %s ≢ %s', (_, a, b) => {
    expect(nameKey(a)).not.toBe(nameKey(b));
  });

  it('treats words that are also JavaScript property names as plain words', () => {
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(nameKey(`Ada ${word}`)).toBe(nameKey(`${word}, Ada`));
      expect(nameKey(`Ada ${word}`)).not.toBe(nameKey('Ada'));
    }
  });

  it('keeps a name made only of a title', () => {
    expect(nameKey('Dr')).not.toBe('');
  });

  it('is idempotent on its own output', () => {
    for (const name of ['Julianne Moore', 'Björk Guðmundsdóttir', 'Kevin B\u0430con', 'Tom Yorke']) {
      expect(nameKey(nameKey(name))).toBe(nameKey(name));
    }
  });
});

describe('isOneEditApart', () => {
  const cases: Array<[string, string, boolean]> = [
    ['tom yorke', 'thom yorke', true],
    ['abcdefgh', 'abcdefgx', true],
    ['abcdefgh', 'abcdefg', true],
    ['abcdefgh', 'xabcdefgh', true],
    ['abcdefgh', 'abcdefgh', false],
    ['abcdefgh', 'abcdefxy', false],
    ['abcdefgh', 'badcefgh', false],
    ['short', 'shorter', false],
  ];
  it.each(cases)('%s / %s → %s', (a, b, expected) => {
    expect(isOneEditApart(a, b)).toBe(expected);
    expect(isOneEditApart(b, a)).toBe(expected);
  });

  it('matches Tom and Thom Yorke through their keys', () => {
    expect(isOneEditApart(nameKey('Tom Yorke'), nameKey('Thom Yorke'))).toBe(true);
  });
});

describe('searchKey: what a search for a name is compared with', () => {
  /** How the repositories match: every word of the search is part of the stored name key. */
  const finds = (query: string, name: string) => {
    const words = searchKey(query).split(' ').filter(Boolean);
    return words.length > 0 && words.every((word) => nameKey(name).includes(word));
  };

  it.each([
    ['amelie', 'Amélie Dupont'],
    ['AMELIE', 'Amélie Dupont'],
    ['Amé', 'Amélie Dupont'],
    ['dupont amelie', 'Amélie Dupont'],
    ['lindq', 'Dr Ada Lindqvist'],
    ['dr ada', 'Dr Ada Lindqvist'],
    ['lukasz zol', 'Łukasz Żółć'],
    ['strauss', 'Johann Strauß'],
    ['strauß', 'Johann Strauss'],
    ['oneill', 'Grace O’Neill'],
    ["o'neill", 'Grace O’Neill'],
    ['kevin bacon', 'Kevin B\u0430con'],
    ['zoe', 'Zoë Kravitz'],
  ])('%s finds %s', (query, name) => {
    expect(finds(query, name)).toBe(true);
  });

  it.each([
    ['amelia', 'Amélie Dupont'],
    ['ada bruno', 'Ada Lindqvist'],
    ['!!!', 'Ada Lindqvist'],
    ['', 'Ada Lindqvist'],
  ])('%s does not find %s', (query, name) => {
    expect(finds(query, name)).toBe(false);
  });

  it('keeps the words in the order typed, one space apart', () => {
    expect(searchKey('  Dupont,  AMÉLIE ')).toBe('dupont arnelie');
    expect(searchKey('Lindqvist Ada')).toBe('lindqvist ada');
    expect(nameKey('Lindqvist Ada')).toBe('ada lindqvist');
  });
});

describe('nameKeyMatches: the public search, word starts in any order', () => {
  const matches = (name: string, query: string) => nameKeyMatches(nameKey(name), searchKey(query).split(' ').filter(Boolean));
  it.each([
    ['Amélie Dupont', 'amelie', true],
    ['Amélie Dupont', 'AMÉL', true],
    ['Dr Ada Lindqvist', 'lindqvist ada', true],
    ['Dr Ada Lindqvist', 'lind a', true],
    ['Dr Ada Lindqvist', 'dqvist', false],
    ['Dr Ada Lindqvist', 'ada smith', false],
    ['Adam Smith', 'ada smi', true],
  ])('%s, searched as %s: %s', (name, query, expected) => {
    expect(matches(name, query)).toBe(expected);
  });
});
