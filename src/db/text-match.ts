// "Contains" for the organizers' searches, written once so it behaves alike on SQLite (whose LIKE
// ignores ASCII case only) and PostgreSQL (whose LIKE does not): emails ignoring case, names by
// their folded key.
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

/**
 * `column` contains `text`, ignoring case; LIKE's wildcards typed in `text` match only themselves.
 * Both sides are lowered by the database, not the pattern by JavaScript: SQLite's lower() folds
 * ASCII only, so a pattern lowered in JavaScript ("émile") would miss the name it was typed from
 * ("Émile"); lowered by the same function, the two always agree.
 */
export function containsIgnoringCase(column: AnyColumn, text: string): SQL {
  return sql`lower(${column}) LIKE lower(${containing(text)}) ESCAPE '\\'`;
}

/** A LIKE pattern for "contains text", wildcards typed in text escaped. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `column` (a key already folded by domain/name-key.ts, such as name_key) contains every word
 * of `key` (a searchKey), in any order. Both sides are folded alike before they get here, so
 * the database compares plain lower-case text and the two stores agree. No words: no match.
 */
export function containsEveryWord(column: AnyColumn, key: string): SQL {
  const words = key.split(' ').filter(Boolean);
  if (words.length === 0) return sql`1 = 0`;
  const each = words.map((word) => sql`${column} LIKE ${containing(word)} ESCAPE '\\'`);
  return sql`(${sql.join(each, sql` AND `)})`;
}
