// Demo letters for a first start, so a newcomer sees a living site. Never runs in production.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Deps } from '../deps.js';
import { emailKey } from '../domain/email-key.js';
import { nameKey } from '../domain/name-key.js';
import { importLetter } from './import-letter.js';
import { parseLetterFile } from './letter-file.js';

const DEMO_DIR = fileURLToPath(new URL('./demo', import.meta.url));

const DEMO_SIGNERS: Array<[string, string | null, string | null, string | null]> = [
  ['Ada Lindqvist', 'Illustrator', null, 'SE'],
  ['Bruno Carvalho', 'Storyboard artist', 'Estúdio Maré', 'BR'],
  ['Chloé Dubois', 'Animator', null, 'FR'],
  ['Dev Malhotra', 'Concept artist', null, 'IN'],
  ['Ewa Nowak', 'Comic artist', null, 'PL'],
  ['Femi Adeyemi', 'Photographer', null, 'NG'],
  ['Grace O’Neill', 'Novelist', null, 'IE'],
  ['Hiro Tanaka', 'Composer', null, 'JP'],
  ['Isla MacLeod', 'Poet', null, 'GB'],
  ['Jamal Wright', 'Session musician', null, 'US'],
  ['Katarzyna Zielińska', 'Translator', null, 'PL'],
  ['Liam Byrne', 'Voice actor', null, 'IE'],
];

/** Imports the demo letters and a few confirmed signatures when the database has no letters. */
export async function seedDemoContent(deps: Deps): Promise<boolean> {
  if ((await deps.letters.count()) > 0) return false;
  const files = readdirSync(DEMO_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort();
  const now = deps.now();
  for (const [index, file] of files.entries()) {
    const parsed = parseLetterFile(readFileSync(join(DEMO_DIR, file), 'utf8'));
    const { letter } = await importLetter(deps.letters, parsed, new Date(now.getTime() - (files.length - index) * 86_400_000));
    const signers = DEMO_SIGNERS.filter((_, i) => (i + index) % 2 === 0 || i < 4);
    for (const [i, [name, title, organisation, country]] of signers.entries()) {
      const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`;
      await deps.signatures.addVerifiedSignature(
        {
          letterId: letter.id,
          name,
          nameKey: nameKey(name),
          email,
          emailKey: emailKey(email) ?? email,
          title,
          organisation,
          country,
          isPublic: true,
          comment: null,
          ip: null,
          holdForSpike: false,
        },
        new Date(now.getTime() - (signers.length - i) * 3_600_000),
      );
    }
  }
  return true;
}
