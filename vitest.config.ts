import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests each use their own temporary SQLite file, so files can run in parallel.
    pool: 'forks',
  },
});
