import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/polyfills.ts'],
    // Integration suites start emulators (DynamoDB Local is a JVM); give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Handlers log JSON lines; tests keep warnings and errors only.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    pool: 'forks',
    maxWorkers: 2,
  },
});
