/**
 * The package as a user gets it. One `npm pack` (its prepare script builds dist/ from the sources as
 * they are), then a project outside the repository, with no TypeScript tooling in it, installs the
 * tarball with jest, vitest and msw and uses sfjwt only through what the package exports:
 * `npx sfjwt serve` answers a real JWT bearer grant, a plain Node ESM script gets a token through the
 * msw handlers and passes the baseline scenario through the runner, and a jest suite and a vitest
 * suite run the catalogue. publint and arethetypeswrong check the tarball while the project installs.
 *
 * The project installs with `npm ci --offline` from a lock file derived from this repository's: npm's
 * cache holds the tarball of every locked package, but not the registry documents a fresh resolution
 * (`npm install jest vitest`) reads, and the derived lock pins the versions this repository tests with.
 */
import { spawn } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { missingLines, readmeExamples } from './readme-examples.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tool = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const catalogueFiles = readdirSync(join(ROOT, 'scenarios', 'catalogue')).filter((f) => f.endsWith('.json'));

/**
 * The environment of every command: this process's, without what npm, vitest and sfjwt set in it
 * (a vitest inside a vitest, an npm inside an npm script, or an SFJWT_HOME would change what runs).
 */
const ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k === 'npm_config_cache' || !/^(npm_|vitest|sfjwt_|node_options$|test$|jest_worker_id$|force_color$)/i.test(k))),
  NO_COLOR: '1',
};

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (at most `timeoutMs`), its output collected. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Phase timings, printed at the end: where the time of the slowest test file goes. */
const t0 = performance.now();
const phases: { name: string; start: number; end: number }[] = [];
async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now() - t0;
  try {
    return await work();
  } finally {
    phases.push({ name, start, end: performance.now() - t0 });
  }
}

interface LockEntry {
  version?: string;
  name?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

/**
 * The lock file of a project that depends on `rootDeps` (sfjwt as the tarball, the rest at this
 * repository's versions): the part of this repository's tree those reach, by node's own lookup (a
 * package's node_modules, then each folder above), with every required and optional dependency and
 * every non-optional peer. Optional peers are left out, as npm leaves them (vite's tsx, msw's
 * typescript). Flags are recomputed for this tree, and each tarball's registry URL is written out.
 */
function derivedLock(rootDeps: Record<string, string>, sfjwt: LockEntry): { packages: Record<string, LockEntry> } {
  const repo = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const entry = (path: string): LockEntry | undefined => (path === '' ? { dependencies: rootDeps } : path === 'node_modules/sfjwt' ? sfjwt : repo.packages[path]);
  const lookup = (from: string, name: string): string | undefined => {
    if (from === '' && name === 'sfjwt') return 'node_modules/sfjwt';
    // sfjwt's own dependencies were the repository's: they are at the top of its tree.
    let base = from === 'node_modules/sfjwt' ? '' : from;
    for (;;) {
      const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
      if (repo.packages[candidate] !== undefined) return candidate;
      if (base === '') return undefined;
      const i = base.lastIndexOf('node_modules/');
      base = i <= 0 ? '' : base.slice(0, i - 1);
    }
  };
  const reach = (withOptional: boolean): Set<string> => {
    const seen = new Set(['']);
    const queue = [''];
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const e = entry(path) ?? {};
      const edges: [string, boolean][] = [
        ...Object.keys(e.dependencies ?? {}).map((d): [string, boolean] => [d, false]),
        ...Object.keys(e.optionalDependencies ?? {}).map((d): [string, boolean] => [d, true]),
        ...Object.keys(e.peerDependencies ?? {})
          .filter((d) => e.peerDependenciesMeta?.[d]?.optional !== true)
          .map((d): [string, boolean] => [d, false]),
      ];
      for (const [name, optional] of edges) {
        if (optional && !withOptional) continue;
        const found = lookup(path, name);
        if (found === undefined) {
          if (optional) continue;
          throw new Error(`${path || 'the project'} needs ${name}, which package-lock.json does not have`);
        }
        if (!seen.has(found)) {
          seen.add(found);
          queue.push(found);
        }
      }
    }
    return seen;
  };
  const required = reach(false);
  const packages: Record<string, LockEntry> = { '': { name: 'sfjwt-package-test', dependencies: rootDeps } };
  for (const path of [...reach(true)].sort()) {
    if (path === '') continue;
    if (path === 'node_modules/sfjwt') {
      packages[path] = sfjwt;
      continue;
    }
    const rest: LockEntry = { ...repo.packages[path] };
    for (const flag of ['dev', 'optional', 'devOptional', 'peer']) delete rest[flag];
    const name = rest.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    rest.resolved ??= `https://registry.npmjs.org/${name}/-/${name.split('/').pop() ?? name}-${rest.version ?? ''}.tgz`;
    packages[path] = required.has(path) ? rest : { ...rest, optional: true };
  }
  return { packages };
}

/** An RS256 JWT bearer assertion, signed here with node:crypto: nothing of sfjwt's client is used. */
function assertion(claims: Record<string, unknown>, privateKeyPem: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ alg: 'RS256' })}.${part(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(privateKeyPem)).toString('base64url')}`;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The user's ESM script: every line is what the README tells a user to write. */
const ESM_SCRIPT = `
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import * as root from 'sfjwt';
import { DEFAULT_APPS, MockOrg, prepareWorld, SalesforceMockContainer } from 'sfjwt/mock-server';
import { salesforceHandlers } from 'sfjwt/mock-server/msw';
import { catalogue as scenarios } from 'sfjwt/scenarios';
import { catalogue, mswTarget, runScenario } from 'sfjwt/runner';

const out = { rootExports: Object.keys(root).length, scenarios: scenarios().length };
const pkg = JSON.parse(readFileSync(new URL(import.meta.resolve('sfjwt/package.json')), 'utf8'));
out.version = pkg.version;

// The handlers in the user's own msw server, and a token asked for by hand.
const { world, appKey } = prepareWorld({ stateDir: process.env.SFJWT_HOME });
const server = setupServer(...salesforceHandlers(new MockOrg({ world })));
server.listen({ onUnhandledRequest: 'error' });
const app = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized);
const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const input = part({ alg: 'RS256' }) + '.' + part({ iss: app.consumerKey, sub: 'integration@acme.com', aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 180 });
const jwt = input + '.' + sign('sha256', Buffer.from(input), createPrivateKey(appKey.privateKeyPem)).toString('base64url');
const res = await fetch('https://login.salesforce.com/services/oauth2/token', {
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: '${JWT_BEARER}', assertion: jwt }),
});
out.token = { status: res.status, body: await res.json() };
server.close();

// The baseline scenario through the runner's in-process target.
const target = mswTarget({ stateDir: process.env.SFJWT_HOME });
const result = await runScenario(catalogue().find((s) => s.id === 'baseline.login'), target);
await target.close();
out.baseline = { verdict: result.verdict, reason: result.reason, actual: result.actual, decidedBy: result.decidedBy };

// testcontainers is an optional peer, not installed here: starting a container says what to install.
try {
  await new SalesforceMockContainer().start();
  out.container = 'started';
} catch (error) {
  out.container = { name: error.name, code: error.code, message: error.message, actions: error.actions };
}
console.log(JSON.stringify(out));
`;

/** The catalogue inside a suite, as the README shows it; `jest` or `vitest` names the globals' module. */
const suite = (globals: string) => `
import { afterAll, expect, test } from '${globals}';
import { catalogue, mswTarget, runScenario } from 'sfjwt/runner';

const target = mswTarget();
afterAll(() => target.close());
const scenarios = catalogue().filter((s) => s.runsOn.includes('mock-msw'));

test('the whole catalogue, from the package', () => expect(catalogue().length).toBe(${catalogueFiles.length}));
test.each(scenarios.map((s) => [s.id, s]))('%s', async (_id, scenario) => {
  const result = await runScenario(scenario, target);
  expect(result.reason ?? '').toBe('');
  expect(result.verdict).toBe('pass');
  expect(result.decidedBy).toBe(scenario.expect.decidedBy);
});
`;

const work = mkdtempSync(join(tmpdir(), 'sfjwt-package-'));
const project = join(work, 'project');
let packed: { filename: string; integrity: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] };
let tarballSummary = 'not made';
let publint: Promise<Ran>;
let attw: Promise<Ran>;

beforeAll(async () => {
  // Another vitest in this working tree may be writing dist/ at this moment (its global setup
  // builds it), and npm pack then reads a file shorter than it was: once more, after that build.
  const pack = () => run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, timeoutMs: 60_000 });
  let ran = await phase('npm pack (runs prepare: tsc -b)', pack);
  if (ran.code !== 0 && /"code": "EOF"/.test(ran.stdout)) ran = await phase('npm pack, again', pack);
  if (ran.code !== 0) throw new Error(`npm pack failed:\n${ran.stdout}${ran.stderr}`);
  [packed] = JSON.parse(ran.stdout) as [typeof packed];
  tarballSummary = `${packed.filename}, ${(packed.size / 1024).toFixed(0)} kB (${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked), ${packed.entryCount} files`;
  const tarball = join(work, packed.filename);

  // The linters need the tarball only: they run while the project installs.
  publint = phase('publint', () => run(tool('publint'), ['run', tarball, '--strict'], { cwd: work }));
  attw = phase('attw --profile esm-only', () => run(tool('attw'), [tarball, '--profile', 'esm-only', '--format', 'json'], { cwd: work }));

  mkdirSync(project);
  copyFileSync(tarball, join(project, packed.filename));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Required<Pick<LockEntry, 'version' | 'dependencies' | 'peerDependencies' | 'peerDependenciesMeta'>> & {
    bin: unknown;
    engines: unknown;
    license: unknown;
  };
  const repoLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const at = (name: string) => repoLock.packages[`node_modules/${name}`]?.version ?? '';
  const rootDeps = { sfjwt: `file:${packed.filename}`, jest: at('jest'), vitest: at('vitest'), msw: at('msw') };
  const sfjwt: LockEntry = {
    version: pkg.version,
    resolved: `file:${packed.filename}`,
    integrity: packed.integrity,
    license: pkg.license,
    dependencies: pkg.dependencies,
    peerDependencies: pkg.peerDependencies,
    peerDependenciesMeta: pkg.peerDependenciesMeta,
    bin: pkg.bin,
    engines: pkg.engines,
  };
  const lock = { name: 'sfjwt-package-test', lockfileVersion: 3, requires: true, ...derivedLock(rootDeps, sfjwt) };
  writeFileSync(join(project, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  // The jest suite is ESM (`--experimental-vm-modules`); .mjs files are left as they are (no babel).
  const jest = { testEnvironment: 'node', testMatch: ['<rootDir>/jest/**/*.jest.mjs'] };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'sfjwt-package-test', private: true, type: 'module', dependencies: rootDeps, jest }, null, 2)}\n`);
  const installed = await phase('npm ci --offline (tarball, jest, vitest, msw)', () =>
    run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, timeoutMs: 120_000 }),
  );
  if (installed.code !== 0) throw new Error(`npm ci in ${project} failed:\n${installed.stdout}${installed.stderr}`);

  mkdirSync(join(project, 'jest'));
  mkdirSync(join(project, 'vitest'));
  writeFileSync(join(project, 'app.mjs'), ESM_SCRIPT);
  writeFileSync(join(project, 'jest', 'catalogue.jest.mjs'), suite('@jest/globals'));
  writeFileSync(join(project, 'vitest', 'catalogue.test.mjs'), suite('vitest'));
}, 150_000);

afterAll(() => {
  const ms = (n: number) => `${(n / 1000).toFixed(1)} s`.padStart(7);
  const lines = phases.sort((a, b) => a.start - b.start).map((p) => `  ${p.name.padEnd(46)} ${ms(p.start)} → ${ms(p.end)}  (${ms(p.end - p.start).trim()})`);
  console.log(`package test phases (from the file's start; total ${ms(performance.now() - t0).trim()}); tarball ${tarballSummary}:\n${lines.join('\n')}`);
  rmSync(work, { recursive: true, force: true });
});

describe.concurrent('the tarball', () => {
  const paths = () => packed.files.map((f) => f.path);

  it('holds the compiled package, the catalogue and the config schema, no sources, tests or build state', ({ expect }) => {
    expect(paths()).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'docs/knobs.md',
        'bin/sfjwt.js',
        'sfjwt.config.schema.json',
        'dist/src/cli/main.js',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/mock-server/adapters/msw.d.ts',
      ]),
    );
    expect(
      paths()
        .filter((p) => p.startsWith('scenarios/'))
        .sort(),
    ).toEqual(catalogueFiles.map((f) => `scenarios/catalogue/${f}`).sort());
    const unwanted = paths().filter((p) => /\.test\.|__golden__|__snapshots__|\/testing\/|\/fuzz\/|(^|\/)fixtures\/|tsbuildinfo|(?<!\.d)\.ts$/.test(p));
    expect(unwanted).toEqual([]);
    expect(
      paths().filter((p) => !/^(dist\/.+\.(js|d\.ts)|scenarios\/catalogue\/[^/]+\.json|bin\/sfjwt\.js|docs\/[a-z-]+\.md|package\.json|README\.md|sfjwt\.(config|world)\.schema\.json)$/.test(p)),
    ).toEqual([]);
  });

  it('publint finds nothing, suggestions included (--strict)', async ({ expect }) => {
    const r = await publint;
    expect(`${r.stdout}${r.stderr}`).toContain('All good!');
    expect(r.code).toBe(0);
  });

  // The package is ESM only (`type: module`, no `require` condition, Node >= 20.19), so the profile
  // is esm-only: it checks node16 from ESM and bundler resolution, and leaves out node10 (which has no
  // exports map, so no subpath resolves) and node16 from CommonJS (where TypeScript reports any ESM
  // package as "dynamic import only"). The JSON lists those two too; anything else is a problem.
  it('arethetypeswrong finds no problem in any entry point (ESM-only profile)', async ({ expect }) => {
    const r = await attw;
    const report = JSON.parse(r.stdout) as { analysis: { entrypoints: Record<string, unknown> }; problems: Record<string, { kind: string; entrypoint?: string; resolutionKind?: string }[]> };
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(['.', './mock-server', './mock-server/msw', './package.json', './runner', './scenarios']);
    const problems = Object.values(report.problems)
      .flat()
      .filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs');
    expect(problems).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe.concurrent('installed in a project with no TypeScript tooling', () => {
  it('has neither tsx, typescript, testcontainers nor @salesforce/core (optional peers)', ({ expect }) => {
    for (const name of ['tsx', 'typescript', 'testcontainers', '@salesforce/core']) expect(existsSync(join(project, 'node_modules', name)), name).toBe(false);
    expect(existsSync(join(project, 'node_modules', 'sfjwt', 'dist', 'src', 'cli', 'main.js'))).toBe(true);
  });

  it('npx sfjwt serve --json --http --port 0 prints its line and answers a JWT bearer grant with 200', async ({ expect }) => {
    await phase('npx sfjwt serve + token request', async () => {
      // Its own process group: npx and the node it starts stop together.
      const child = spawn('npx', ['sfjwt', 'serve', '--json', '--http', '--port', '0'], {
        cwd: project,
        env: { ...ENV, SFJWT_HOME: join(work, 'state-serve') },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const line = await Promise.race([
          new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve)),
          exited.then((code) => Promise.reject(new Error(`npx sfjwt serve exited (${code}) before its JSON line:\n${stderr}`))),
        ]);
        const d = JSON.parse(line) as { login: string; consumerKey: string; username: string; privateKeyFile: string; ca: string | null };
        expect(d.login).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(d.ca).toBeNull();
        const jwt = assertion({ iss: d.consumerKey, sub: d.username, aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 180 }, readFileSync(d.privateKeyFile, 'utf8'));
        const res = await fetch(`${d.login}/services/oauth2/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: JWT_BEARER, assertion: jwt }),
        });
        const body = (await res.json()) as Record<string, unknown>;
        expect(res.status).toBe(200);
        expect(body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), instance_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
      } finally {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        } catch {
          // Already gone: the race above has said why.
        }
      }
      await exited;
    });
  }, 60_000);

  it('a plain ESM script: a token through the msw handlers, the baseline scenario through the runner, a clear error for a container', async ({ expect }) => {
    const r = await phase('node app.mjs (ESM, in-process)', () => run(process.execPath, ['app.mjs'], { cwd: project, env: { ...ENV, SFJWT_HOME: join(work, 'state-app') } }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { version: string; rootExports: number; scenarios: number; token: { status: number; body: unknown }; baseline: unknown; container: unknown };
    expect(out.version).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    expect(out.rootExports).toBeGreaterThan(20);
    expect(out.scenarios).toBe(catalogueFiles.length);
    expect(out.token.status).toBe(200);
    expect(out.token.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), instance_url: expect.stringMatching(/^https:\/\//) });
    expect(out.baseline).toEqual({ verdict: 'pass', actual: { status: 200, body: 'json', hasToken: true }, decidedBy: null });
    expect(out.container).toEqual({
      name: 'ResourceError',
      code: 'ERR_RESOURCE',
      message: 'SalesforceMockContainer needs the testcontainers package, which is not installed',
      actions: ['Install it next to sfjwt (an optional peer dependency): npm install --save-dev testcontainers@^11'],
    });
  }, 60_000);

  it('doctor --evidence sf:<alias> without @salesforce/core (an optional peer): exit 2, naming the package to install', async ({ expect }) => {
    const keyFile = join(work, 'doctor.key');
    writeFileSync(keyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const r = await phase('npx sfjwt doctor --evidence sf:…', () =>
      run('npx', ['sfjwt', 'doctor', '--login', 'https://127.0.0.1:9', '--client-id', '3MVG9x', '--username', 'u@acme.com', '--key', keyFile, '--evidence', 'sf:admin'], {
        cwd: project,
        env: { ...ENV, SFJWT_HOME: join(work, 'state-doctor') },
      }),
    );
    expect([r.code, r.stderr]).toEqual([
      2,
      'sfjwt: --evidence sf:<alias> reads the sf CLI’s stored auth with the @salesforce/core package, which is not installed\n  → Install it next to sfjwt (an optional peer dependency): npm install --save-dev @salesforce/core@^8\n  → Or pass the session yourself: --evidence <instance URL> with SFJWT_EVIDENCE_TOKEN (sf org display --target-org <alias>).\n',
    ]);
  }, 60_000);

  it('a jest suite (ESM) runs the catalogue through the package and passes', async ({ expect }) => {
    const r = await phase('jest (catalogue)', () =>
      run(join(project, 'node_modules', '.bin', 'jest'), ['--ci'], { cwd: project, env: { ...ENV, NODE_OPTIONS: '--experimental-vm-modules', SFJWT_HOME: join(work, 'state-jest') } }),
    );
    const [, passed, total] = /Tests:\s+(\d+) passed, (\d+) total/.exec(r.stderr) ?? [];
    expect({ passed: Number(passed), total: Number(total), code: r.code }, r.stderr).toEqual({ passed: Number(total), total: Number(total), code: 0 });
    expect(Number(total)).toBeGreaterThan(1);
  }, 60_000);

  it('a vitest suite runs the catalogue through the package and passes', async ({ expect }) => {
    const r = await phase('vitest (catalogue)', () =>
      run(join(project, 'node_modules', '.bin', 'vitest'), ['run', '--dir', 'vitest', '--reporter', 'json'], { cwd: project, env: { ...ENV, SFJWT_HOME: join(work, 'state-vitest') } }),
    );
    const report = JSON.parse(r.stdout) as { numPassedTests: number; numTotalTests: number; success: boolean };
    expect({ ...report, code: r.code }).toMatchObject({ success: true, numPassedTests: report.numTotalTests, code: 0 });
    expect(report.numTotalTests).toBeGreaterThan(1);
  }, 60_000);

  /**
   * A new user's walk through the README: every example it shows, in its order, in the project that
   * installed the package, with the state folder where a user's would be (the project's `.sfjwt/`).
   * Each block must exit 0 and print what the README says it prints. A server a block starts in the
   * background is stopped by the README's own stop step; whatever is still running afterwards is a
   * defect of the README, so the walk fails and stops it.
   */
  describe('the README, walked as a new user would', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const examples = readmeExamples(readme);

    it('has examples to run, and says why of each one it does not run', ({ expect }) => {
      expect(examples.filter((e) => e.notRun === undefined).length).toBeGreaterThanOrEqual(5);
      for (const e of examples.filter((x) => x.notRun !== undefined)) expect(e.notRun, `line ${e.line}`).toMatch(/\w{3,}/);
    });

    it('runs every example as written', async ({ expect }) => {
      const walk = join(work, 'walk');
      mkdirSync(walk);
      // The user's own project: the installed package, nothing else of this repository.
      for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(project, f), join(walk, f));
      symlinkSync(join(project, 'node_modules'), join(walk, 'node_modules'));
      const env = { ...ENV, HOME: work };
      let walked = false;
      try {
        for (const [i, e] of examples.entries()) {
          if (e.notRun !== undefined) continue;
          const file = join(walk, `.readme-example-${i}.${e.lang === 'sh' ? 'sh' : 'mjs'}`);
          writeFileSync(file, e.lang === 'sh' ? `set -euo pipefail\n${e.code}\n` : `${e.code}\n`);
          const r = await phase(`README example at line ${e.line}`, () => run(e.lang === 'sh' ? 'bash' : process.execPath, [file], { cwd: walk, env, timeoutMs: 60_000 }));
          const said = `README line ${e.line} (${e.lang}):\n${e.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
          expect(r.code, said).toBe(e.exits);
          expect(missingLines(r.stdout, e.prints), said).toEqual([]);
          expect(r.stderr, said).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
        }
        walked = true;
      } finally {
        // A server the README forgot to stop: stop it, and (when the walk itself went through) say so.
        const left = await run('pkill', ['-f', '-e', `${work}/.*sfjwt`], { cwd: work });
        if (walked) expect(left.stdout, 'a server the README started is still running').toBe('');
      }
    }, 300_000);
  });
});
