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
  'lib/json-depth.test.ts',
  'lib/jws.test.ts',
  'lib/layers.test.ts',
  'lib/make-directory.test.ts',
  'lib/pki/jks.test.ts',
  'lib/pki/keys.interop.test.ts',
  'lib/read-input-file.test.ts',
  'lib/salesforce-hosts.test.ts',
  'lib/zod-message.test.ts',
  'mock-server/adapters/node/*.test.ts',
  'mock-server/core/check-catalogue.test.ts',
  'mock-server/core/checks/*.test.ts',
  'mock-server/core/clock.test.ts',
  'mock-server/core/journal-bytes.test.ts',
  'mock-server/core/journal-pages.test.ts',
  'mock-server/core/journal.test.ts',
  'mock-server/core/login-history.test.ts',
  'mock-server/core/redactor.test.ts',
  'mock-server/core/rest-api.test.ts',
  'mock-server/core/rest-data.test.ts',
  'mock-server/core/rest.test.ts',
  'mock-server/core/revoke.test.ts',
  'mock-server/core/secret-redaction.test.ts',
  'mock-server/core/sessions.test.ts',
  'mock-server/core/soql/*.test.ts',
  'mock-server/core/token/decide.test.ts',
  'mock-server/core/token/floods.test.ts',
  'mock-server/core/token/pipeline.test.ts',
  'mock-server/core/token/request.test.ts',
  'mock-server/core/trace-limits.test.ts',
  'mock-server/fuzz/properties.test.ts',
  'mock-server/keys-with-mock.test.ts',
  'mock-server/limits.test.ts',
  'mock-server/setup/setup.test.ts',
  'mock-server/world/*.test.ts',
  'scenarios/*.test.ts',
  'src/cli/basics.test.ts',
  'src/cli/command-lookup.test.ts',
  'src/cli/diagnose-cli.test.ts',
  'src/cli/input-files.test.ts',
  'src/cli/keys-tool.test.ts',
  'src/cli/secret-prompt.test.ts',
  'src/cli/sign.test.ts',
  'src/cli/world-check.test.ts',
  'src/cli/world-generate.test.ts',
  'src/client/build-request.test.ts',
  'src/client/signing.test.ts',
  'src/diagnose/doctor.test.ts',
  'src/diagnose/evidence.test.ts',
  'src/diagnose/explain.test.ts',
  'src/diagnose/explain-network-answers.test.ts',
  'src/diagnose/inspect.test.ts',
  'src/diagnose/lint-setup.test.ts',
  'src/report/escape.test.ts',
  'src/report/renderers.test.ts',
  'src/report/vocabulary.test.ts',
  'src/report/write.test.ts',
  'src/runner/config-messages.test.ts',
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
