// Plausible signer data for the benchmark: names whose canonical keys spread over the near-match
// blocking indexes (name_head / name_tail) the way real names do, countries with a realistic skew,
// and a seeded PRNG so every run signs the same people.

const FIRST = [
  'Aaliyah',
  'Abdul',
  'Ada',
  'Adrian',
  'Agnes',
  'Ahmed',
  'Aiko',
  'Alba',
  'Alejandro',
  'Aleksandra',
  'Alice',
  'Amara',
  'Amir',
  'Ana',
  'Anders',
  'Andrea',
  'Angela',
  'Anna',
  'Anton',
  'Aoife',
  'Arjun',
  'Astrid',
  'Aurora',
  'Ayesha',
  'Beatriz',
  'Ben',
  'Bianca',
  'Boris',
  'Bruno',
  'Camille',
  'Carla',
  'Carlos',
  'Carmen',
  'Chen',
  'Chiara',
  'Chloe',
  'Chidi',
  'Clara',
  'Daniel',
  'Daria',
  'David',
  'Dmitri',
  'Elena',
  'Eli',
  'Elif',
  'Emeka',
  'Emil',
  'Emma',
  'Erik',
  'Esther',
  'Fatima',
  'Felix',
  'Fiona',
  'Francesca',
  'Gabriel',
  'Grace',
  'Hana',
  'Hannah',
  'Hassan',
  'Helena',
  'Henrik',
  'Hiroshi',
  'Ibrahim',
  'Ines',
  'Ingrid',
  'Isaac',
  'Isabel',
  'Ivan',
  'Jakob',
  'James',
  'Jana',
  'Javier',
  'Jin',
  'Joao',
  'Jonas',
  'Jose',
  'Julia',
  'Kai',
  'Kamala',
  'Karin',
  'Kenji',
  'Kofi',
  'Lara',
  'Laura',
  'Leila',
  'Leon',
  'Lina',
  'Lucas',
  'Lucia',
  'Luis',
  'Maja',
  'Malik',
  'Marco',
  'Maria',
  'Marta',
  'Mateo',
  'Maya',
  'Mei',
  'Miguel',
  'Mina',
  'Nadia',
  'Naomi',
  'Nia',
  'Nikolai',
  'Nina',
  'Noah',
  'Nora',
  'Olga',
  'Oliver',
  'Omar',
  'Oscar',
  'Paolo',
  'Paula',
  'Pedro',
  'Priya',
  'Rafael',
  'Rania',
  'Ravi',
  'Rosa',
  'Ruth',
  'Samuel',
  'Sara',
  'Sofia',
  'Stefan',
  'Sun',
  'Tariq',
  'Tomas',
  'Uma',
  'Valentina',
  'Victor',
  'Wei',
  'Yara',
  'Yusuf',
  'Zainab',
  'Zoe',
];

// Surnames are built from syllables: tens of thousands of distinct ones with natural-looking
// first and last four letters, so the blocking keys are as selective as on a real letter.
const ONSET = ['b', 'br', 'c', 'ch', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 'st', 't', 'v', 'w', 'z', ''];
const VOWEL = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ie'];
const CODA = ['', 'n', 'r', 'l', 's', 'm', 'k', 't', 'rd', 'nd', 'sen', 'son', 'ez', 'ova', 'ski', 'ini', 'ton', 'berg', 'ley', 'ic'];

// Roughly the shape of a real international letter: a few large countries, a long tail, some blank.
const COUNTRIES: Array<[string, number]> = [
  ['GB', 22],
  ['US', 18],
  ['DE', 9],
  ['FR', 8],
  ['NL', 4],
  ['IE', 4],
  ['ES', 4],
  ['IT', 4],
  ['CA', 3],
  ['AU', 3],
  ['SE', 2],
  ['NO', 2],
  ['DK', 2],
  ['BE', 2],
  ['PL', 2],
  ['PT', 1],
  ['AT', 1],
  ['CH', 1],
  ['FI', 1],
  ['NZ', 1],
  ['BR', 1],
  ['MX', 1],
  ['IN', 1],
  ['JP', 1],
  ['ZA', 1],
  ['NG', 1],
  ['KE', 1],
  ['AR', 1],
  ['GR', 1],
  ['CZ', 1],
];
const COUNTRY_TABLE = COUNTRIES.flatMap(([code, weight]) => Array<string>(weight).fill(code));
/** Share of signers who leave the country blank. */
const NO_COUNTRY = 0.08;

const TITLES = ['illustrator', 'writer', 'photographer', 'composer', 'actor', 'translator', 'designer', 'musician', 'editor', 'animator'];

/** mulberry32: tiny, fast and good enough to make test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;

function surname(rand: () => number): string {
  const syllables = rand() < 0.55 ? 2 : 3;
  let out = '';
  for (let i = 0; i < syllables; i++) out += pick(rand, ONSET) + pick(rand, VOWEL);
  out += pick(rand, CODA);
  return out.charAt(0).toUpperCase() + out.slice(1);
}

export interface Person {
  first: string;
  /** One capital letter, or '' */
  middle: string;
  last: string;
  name: string;
  country: string | null;
  title: string | null;
  isPublic: boolean;
}

export function person(rand: () => number): Person {
  const first = pick(rand, FIRST);
  // A middle initial for most: it keeps whole names nearly unique at a million signatures.
  const middle = rand() < 0.8 ? String.fromCharCode(65 + Math.floor(rand() * 26)) : '';
  const last = surname(rand);
  return {
    first,
    middle,
    last,
    name: middle ? `${first} ${middle}. ${last}` : `${first} ${last}`,
    country: rand() < NO_COUNTRY ? null : pick(rand, COUNTRY_TABLE),
    title: rand() < 0.3 ? pick(rand, TITLES) : null,
    isPublic: rand() >= 0.1,
  };
}
