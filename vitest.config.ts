import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/buildDist.globalSetup.ts', 'test/postgres.globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time, whatever the core count: most of the suite waits on the processes it spawns
    // (bots, CLIs, workers, Terraform), so on this 2-core machine one at a time (vitest's default here)
    // left the CPU idle: 13.5 min against 8.8 min for the whole suite.
    maxWorkers: 2,
  },
});
