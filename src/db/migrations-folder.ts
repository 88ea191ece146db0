// Where each dialect's migrations live, found from this file whether it runs as TypeScript
// (src/db) or compiled (dist/db): both are two folders below the project root.
import { fileURLToPath } from 'node:url';

export const MIGRATIONS = {
  sqlite: fileURLToPath(new URL('../../migrations/sqlite', import.meta.url)),
  postgres: fileURLToPath(new URL('../../migrations/postgres', import.meta.url)),
};
