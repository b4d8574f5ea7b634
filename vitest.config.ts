import { configDefaults, defineConfig } from 'vitest/config';

// Tests live next to the code they test. Time is frozen per test where it matters; servers listen
// on 127.0.0.1:0. The pool is forks, each test file in a fresh process, so that msw's global fetch
// patching and anything else a file does to globals stays in that file. The container tests
// (container/) skip, saying why, where there is no Docker engine or no image.
const TESTS = ['lib/**/*.test.ts', 'src/**/*.test.ts', 'mock-server/**/*.test.ts', 'scenarios/**/*.test.ts', 'test/**/*.test.ts', 'container/**/*.test.ts'];

// Files that touch no global (no msw, no spies or stubs, no process.env, no module state of the code
// under test) share a process and its loaded modules with the files before them, which saves a
// process start and most of the imports per file. A file joins this list only once it is known to
// be such; every other file, new ones included, runs isolated.
const SHARED = [
  'lib/jws.test.ts',
  'lib/layers.test.ts',
  'lib/pki/jks.test.ts',
  'lib/pki/keys.interop.test.ts',
  'mock-server/world/*.test.ts',
  'mock-server/core/check-catalogue.test.ts',
  'mock-server/core/clock.test.ts',
  'mock-server/core/sessions.test.ts',
  'mock-server/fuzz/properties.test.ts',
  'mock-server/limits.test.ts',
  'mock-server/keys-with-mock.test.ts',
  'scenarios/*.test.ts',
  'src/client/signing.test.ts',
  'src/diagnose/doctor.test.ts',
  'src/diagnose/explain.test.ts',
  'src/diagnose/inspect.test.ts',
  'src/report/escape.test.ts',
  'src/report/renderers.test.ts',
  'src/report/write.test.ts',
  'src/runner/config-schema.test.ts',
];

// What both projects share. Not `extends: true`: that would run the global setup once per project.
const common = { pool: 'forks', testTimeout: 20_000, hookTimeout: 30_000 } as const;

export default defineConfig({
  test: {
    // As many test files at once as there are cores. vitest's default is one fewer (a single file at
    // a time on a 2-core machine), which leaves a core idle while a test waits on a child process
    // (the CLI, openssl, keytool, Chromium) or a socket.
    maxWorkers: '100%',
    // The tests' RSA keys and a state folder with the local CA, made once per run (not per file);
    // and dist/ up to date: the tests that start a real sfjwt process run the compiled CLI.
    globalSetup: ['mock-server/testing/global-setup.ts', 'test/package-build.setup.ts'],
    projects: [{ test: { ...common, name: 'isolated', include: TESTS, exclude: [...configDefaults.exclude, ...SHARED] } }, { test: { ...common, name: 'shared', include: SHARED, isolate: false } }],
  },
});
