// Case-insensitive "contains" for the organizers' name and email searches, written once so it
// behaves alike on SQLite (whose LIKE ignores ASCII case only) and PostgreSQL (whose LIKE does not).
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

/**
 * `column` contains `text`, ignoring case; LIKE's wildcards typed in `text` match only themselves.
 * Both sides are lowered by the database, not the pattern by JavaScript: SQLite's lower() folds
 * ASCII only, so a pattern lowered in JavaScript ("émile") would miss the name it was typed from
 * ("Émile"); lowered by the same function, the two always agree.
 */
export function containsIgnoringCase(column: AnyColumn, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`lower(${column}) LIKE lower(${pattern}) ESCAPE '\\'`;
}
