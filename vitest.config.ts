import { defineConfig } from 'vitest/config';

// Tests live next to the code they test. Time is frozen per test where it matters; servers listen
// on 127.0.0.1:0. The pool is forks so that msw's global fetch patching stays per test file. The
// container tests (container/) skip, saying why, where there is no Docker engine or no image.
export default defineConfig({
  test: {
    include: ['lib/**/*.test.ts', 'src/**/*.test.ts', 'mock-server/**/*.test.ts', 'scenarios/**/*.test.ts', 'test/**/*.test.ts', 'container/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
