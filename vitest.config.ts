import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Suites spawn real servers and processes and much of their time is waiting (token expiry, mail
    // programs' start-up). On this 2-core machine (CI=true npx vitest run, same commit): 2 workers
    // ~295 s, 3 workers 252 s, 4 workers 245 s with more CPU spent on contention; 3 is the knee.
    maxWorkers: 3,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // The tests' memory runtime directories, removed when the run ends.
    globalSetup: ['./test/helpers/runtime-root.ts'],
  },
});
