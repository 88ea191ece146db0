// The canonical form of a person's name, used to spot the same person signing twice.
// Two names with the same key are treated as one person until an organizer says otherwise.
import unhomoglyph from 'unhomoglyph';

/** Letters that do not decompose into a base letter plus marks. */
const FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  ø: 'o',
  ł: 'l',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŀ: 'l',
  ĳ: 'ij',
};
const FOLD_RE = new RegExp(`[${Object.keys(FOLDS).join('')}]`, 'gu');

/** Honorifics and post-nominals: they describe a person, they do not tell two people apart. */
const TITLES = [
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'professor',
  'sir',
  'dame',
  'rev',
  'revd',
  'phd',
  'dphil',
  'md',
  'obe',
  'mbe',
  'cbe',
  'kbe',
  'dbe',
  'frs',
  'frsa',
  'frsl',
  'esq',
  'qc',
  'kc',
];
/** Spelled-out generational suffixes, kept (they name different people) but in one form. */
const GENERATIONS = new Map([
  ['junior', 'jr'],
  ['senior', 'sr'],
]);

// Zero-width and bidi controls, soft hyphens and other format characters, plus controls.
const INVISIBLE = /[\p{Cf}\p{Cc}\u115F\u1160\u3164\uFFA0]/gu;
const MARKS = /\p{M}/gu;
const APOSTROPHES = /['\u2018\u2019\u02BC\u02BB`´]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** Maps a token to its confusable skeleton (UTS #39), so look-alike scripts compare equal. */
function skeleton(token: string): string {
  // Lower-casing a prototype can expose another mapping ("M" -> "m" -> "rn"): repeat until stable.
  let current = token;
  for (let i = 0; i < 4; i++) {
    const next = unhomoglyph(current).normalize('NFD').replace(MARKS, '').toLowerCase();
    if (next === current) break;
    current = next;
  }
  return current;
}

const TITLE_SKELETONS = new Set(TITLES.map(skeleton));

function foldLetters(text: string): string {
  return text
    .normalize('NFD')
    .replace(MARKS, '')
    .replace(FOLD_RE, (c) => FOLDS[c] ?? c);
}

/** The words of a name as keys compare them: folded, in the order typed, titles dropped. */
function foldedWords(name: string): string[] {
  const folded = name.normalize('NFKC').replace(/\s+/g, ' ').replace(INVISIBLE, '').toLowerCase().replace(APOSTROPHES, '');
  // Marks go before splitting: a lower-cased "İ" is "i" plus a combining dot, not two words.
  const tokens = foldLetters(folded)
    .split(SEPARATORS)
    .filter(Boolean)
    .map((t) => GENERATIONS.get(t) ?? t)
    .map(skeleton)
    .filter(Boolean);
  const meaningful = tokens.filter((t) => !TITLE_SKELETONS.has(t));
  // A name made only of titles ("Dr") still needs a key.
  return meaningful.length > 0 ? meaningful : tokens;
}

export function nameKey(name: string): string {
  return foldedWords(name).sort().join(' ');
}

/**
 * What someone searching for a name typed, folded exactly as names are (case, accents, letters
 * that look alike, titles), its words in the order typed and separated by one space. Every word
 * of it that begins a word of a name, or is part of one, is part of that name's nameKey, so a
 * search compares it with the stored (and indexed) name_key column instead of folding names at
 * query time: `amelie` finds Amélie, `lindqvist ada` finds Dr Ada Lindqvist. One function for
 * every search on names (organizers' and the public's), so they all fold alike.
 */
export function searchKey(text: string): string {
  return foldedWords(text).join(' ');
}

/**
 * True when every search word (from searchKey) begins a word of the name key: the public
 * search's rule, as the words index applies it (signature_name_words), for lists held in memory.
 */
export function nameKeyMatches(key: string, words: readonly string[]): boolean {
  const own = key.split(' ');
  return words.every((word) => own.some((w) => w.startsWith(word)));
}

/** Blocking keys for the near-match search: an edit of one character leaves one of them intact. */
export function nameBlocks(key: string): { head: string; tail: string; length: number } {
  const chars = Array.from(key);
  return { head: chars.slice(0, 4).join(''), tail: chars.slice(-4).join(''), length: chars.length };
}

/** Minimum key length (characters) for near-match flags; shorter names collide too easily. */
export const NEAR_MATCH_MIN_LENGTH = 8;

/** True when a and b differ by exactly one insertion, deletion or substitution. */
export function isOneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > 1) return false;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  if (short.length === long.length) {
    return short.slice(i + 1).join('') === long.slice(i + 1).join('');
  }
  return short.slice(i).join('') === long.slice(i + 1).join('');
}
