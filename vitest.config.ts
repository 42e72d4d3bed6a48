import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // scripts/node-support.ts first: the supported Node versions, and no AWS SDK warning on Node 20.
    setupFiles: ['scripts/node-support.ts', 'test/support/polyfills.ts'],
    // Integration suites start emulators (DynamoDB Local is a JVM); give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Handlers log JSON lines; tests keep warnings and errors only.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    pool: 'forks',
    maxWorkers: 2,
  },
});
