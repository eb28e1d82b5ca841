import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Suites spawn real servers and processes; keep the two cores from being oversubscribed.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // The tests' memory runtime directories, removed when the run ends.
    globalSetup: ['./test/helpers/runtime-root.ts'],
  },
});
