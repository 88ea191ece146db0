// Creates or updates a letter from a parsed Markdown file (idempotent by slug).
import type { LetterFile } from './letter-file.js';
import type { Letter, LetterRepo } from './letter-repo.js';

export async function importLetter(repo: LetterRepo, file: LetterFile, now: Date): Promise<{ letter: Letter; created: boolean }> {
  return repo.importLetter({
    collective: { slug: file.collective, name: file.collective_name },
    fields: {
      slug: file.slug,
      title: file.title,
      summary: file.summary,
      addressee: file.addressee,
      bodyMd: file.body,
      goal: file.goal ?? null,
      closesAt: file.closes_at ?? null,
      duplicateNames: file.duplicate_names,
    },
    status: file.status,
    notables: file.notable,
    now,
  });
}
