/**
 * `sfjwt postman` end to end, in this process through `main(argv, io)`: a mock served over HTTPS on
 * 127.0.0.1 (free ports, its ready file), the export made for it, then newman 6.2.2 (its JS API, no
 * reporter) running the collection with the environment and trusting the mock's CA: every request
 * answers as its test says (one assertion per exported scenario, none failing), the pre-request
 * scripts putting the mock in each scenario's state. An export made a minute later re-signs every
 * assertion (another exp), the collection itself unchanged, and still passes. Usage errors exit 2.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStateDir } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';

const home = testStateDir('sfjwt-postman-');
const dir = mkdtempSync(join(tmpdir(), 'sfjwt-postman-'));
// The mock's clock stands still at the export's time; its TLS certificates are real-time valid.
const T0 = Math.floor(Date.now() / 1000) * 1000;
const env = { SFJWT_HOME: home, NO_COLOR: '1' };

async function run(argv: string[], now = T0) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env, now: () => now, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

interface NewmanSummary {
  run: {
    stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number }; prerequestScripts: { failed: number }; testScripts: { failed: number } };
    failures: { error: { message: string }; source?: { name?: string } }[];
    executions: { item: { name: string }; response: { code: number }; assertions: { assertion: string; error?: { message: string } }[] }[];
  };
}

const newman = createRequire(import.meta.url)('newman') as { run(options: object, done: (error: Error | null, summary: NewmanSummary) => void): void };

function newmanRun(ca: string, more: object = {}): Promise<NewmanSummary> {
  return new Promise((resolve, reject) =>
    newman.run(
      { collection: join(dir, 'postman', 'sfjwt.postman_collection.json'), environment: join(dir, 'postman', 'sfjwt.postman_environment.json'), sslExtraCaCerts: ca, reporters: [], ...more },
      (error, summary) => (error === null ? resolve(summary) : reject(error)),
    ),
  );
}

const stop = new AbortController();
let served: Promise<number>;
let line: { ca: string; adminToken: string; hosts: Record<string, string> };

beforeAll(async () => {
  let listening: (text: string) => void = () => {};
  const first = new Promise<string>((resolve) => (listening = resolve));
  const stdout = collector((text) => text.includes('\n') && listening(text.slice(0, text.indexOf('\n'))));
  const stderr = collector();
  served = main(['serve', '--json', '--port', '0', '--ready-file', 'mock.json'], { stdout, stderr, env, now: () => T0, cwd: dir, signal: stop.signal });
  line = JSON.parse(await Promise.race([first, served.then(() => Promise.reject(new Error(stderr.text)))])) as typeof line;
}, 60_000);

afterAll(async () => {
  stop.abort();
  expect(await served).toBe(0);
});

/**
 * What each request's test said: 'passed' or newman's message. newman lists an execution for every
 * request an item sends, its pre-request script's admin calls too, each with the item's assertions:
 * one per item is kept.
 */
const verdicts = (summary: NewmanSummary) => [...new Map(summary.run.executions.map((e) => [e.item.name, e.assertions.map((a) => a.error?.message ?? 'passed').join('; ')])).entries()];

describe('sfjwt postman against the served mock, run by newman', () => {
  let firstEnvironment: string;
  let firstCollection: string;
  let exported: number;

  it('exports every scenario the served mock runs, and newman passes every test', async () => {
    const r = await run(['postman', '--from-serve', 'mock.json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    exported = Number(/\((\d+) requests in \d+ folders/.exec(r.stdout)?.[1]);
    expect(lines.slice(2, 5)).toEqual([
      'Left out (2):',
      '  claims.iss-consumer-secret: its request carries the consumer secret of app Acme Integration, and no secret goes into an exported file',
      '  send.plain-http: does not run on a mock-https target',
    ]);
    expect(lines[5]).toBe(
      `The assertions were signed at ${new Date(T0).toISOString().replace('.000Z', 'Z')} and get their expected answers until ${new Date(T0 + 80_000).toISOString().replace('.000Z', 'Z')} (80 s: exp.within-leeway is the first past exp plus Salesforce's 180 s leeway); each one's exp is in the environment.`,
    );
    expect(lines.slice(6)).toEqual([
      'Running the export again re-signs them.',
      `Run it: npx newman run ${join(dir, 'postman', 'sfjwt.postman_collection.json')} -e ${join(dir, 'postman', 'sfjwt.postman_environment.json')} --ssl-extra-ca-certs ${line.ca}`,
      '',
    ]);
    firstEnvironment = readFileSync(join(dir, 'postman', 'sfjwt.postman_environment.json'), 'utf8');
    firstCollection = readFileSync(join(dir, 'postman', 'sfjwt.postman_collection.json'), 'utf8');
    expect(statSync(join(dir, 'postman', 'sfjwt.postman_environment.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'postman', '.gitignore'), 'utf8')).toBe(
      '# Written by sfjwt: this folder holds a Postman export with signed assertions and the mock admin token; nothing in it belongs in git.\n*\n',
    );
    // The admin token is the environment's, as a secret; the collection names only its variable.
    expect(firstCollection).not.toContain(line.adminToken);
    expect(JSON.parse(firstEnvironment).values).toContainEqual({ key: 'admin_token', value: line.adminToken, type: 'secret', enabled: true });

    const summary = await newmanRun(line.ca);
    expect(summary.run.failures.map((f) => `${f.source?.name ?? ''}: ${f.error.message}`)).toEqual([]);
    expect(verdicts(summary).filter(([, v]) => v !== 'passed')).toEqual([]);
    expect(exported).toBe(77);
    expect(verdicts(summary)).toHaveLength(exported);
    // newman counts the pre-request scripts' admin calls as requests too: a reset before each request,
    // and the 7 calls of the 4 scenarios that need state (2 knobs, a forced answer, touch-app,
    // record-logins, GET /world and a remove-certificate).
    expect([summary.run.stats.requests, summary.run.stats.assertions]).toEqual([
      { total: 2 * exported + 7, pending: 0, failed: 0 },
      { total: exported, pending: 0, failed: 0 },
    ]);
    // The deciding answers really came: a 302 not followed, the rate limit and the forced answer set by the pre-request scripts.
    const status = Object.fromEntries(summary.run.executions.filter((e) => e.assertions.length > 0).map((e) => [e.item.name, e.response.code]));
    expect([status['send.lightning-host'], status['user.login-rate-exceeded'], status['transient.unknown-error'], status['baseline.login']]).toEqual([302, 400, 400, 200]);
  }, 60_000);

  it('a minute later, the export re-signs every assertion (another exp); the collection is the same file, and newman still passes', async () => {
    const r = await run(['postman', '--from-serve', 'mock.json'], T0 + 60_000);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'postman', 'sfjwt.postman_collection.json'), 'utf8')).toBe(firstCollection);
    const before = new Map((JSON.parse(firstEnvironment).values as { key: string; value: string }[]).map((v) => [v.key, v.value]));
    const after = JSON.parse(readFileSync(join(dir, 'postman', 'sfjwt.postman_environment.json'), 'utf8')).values as { key: string; value: string; type: string }[];
    const assertions = after.filter((v) => v.key.startsWith('assertion_') && !v.key.endsWith('_exp'));
    expect(assertions.length).toBeGreaterThan(exported - 5);
    expect(assertions.every((a) => a.type === 'secret')).toBe(true);
    // RS256 signs the same claims the same way: only an assertion without a time in it is the same.
    expect(assertions.filter((a) => a.value === before.get(a.key)).map((a) => a.key)).toEqual(['assertion_exp_missing', 'assertion_exp_text']);
    expect(after.find((v) => v.key === 'assertion_baseline_login_exp')?.value).toBe(`${T0 / 1000 + 240} (${new Date(T0 + 240_000).toISOString()})`);
    const summary = await newmanRun(line.ca);
    expect(verdicts(summary).filter(([, v]) => v !== 'passed')).toEqual([]);
    expect(summary.run.stats.assertions).toEqual({ total: exported, pending: 0, failed: 0 });
  }, 60_000);

  it("with a wrong admin token, a request fails on the mock's state, naming the call the mock refused", async () => {
    const summary = await newmanRun(line.ca, { folder: 'user', envVar: [{ key: 'admin_token', value: 'not-the-admin-token-0123456789' }] });
    const [first] = verdicts(summary);
    expect(first?.[0]).toBe('user.frozen');
    expect(first?.[1]).toMatch(/^the mock's state \(the pre-request script\): expected 'POST \/reset: 401 \{.*' to equal ''$/);
    expect(summary.run.stats.assertions.failed).toBe(verdicts(summary).length);
  }, 60_000);
});

describe('sfjwt postman: usage errors, exit 2', () => {
  it.each([
    [['postman', '--from-serve', 'missing.json'], `sfjwt: cannot read the serve line file ${join(dir, 'missing.json')}: ENOENT`],
    [['postman', '--target', 'mock-msw'], 'sfjwt: the export is made for a served mock or a real org, not for --target mock-msw'],
    [['postman', '--target', 'uat', '--from-serve', 'mock.json'], 'sfjwt: --from-serve and --target are two targets: give one of them'],
    [['postman', '--target', 'uat'], 'sfjwt: no target "uat" (no sfjwt.config.json here)'],
    [['postman', '--config', 'sfjwt.config.json'], 'sfjwt: --config goes with --target NAME (a real org of the config)'],
    [['postman', '--from-serve', 'mock.json', '--tag', 'nope'], 'sfjwt: no scenario has the tag "nope"'],
    [['postman', '--from-serve', 'mock.json', '--scenario', 'send.plain-http'], 'sfjwt: nothing to export: every scenario chosen is left out'],
    [['postman', '--bogus'], "sfjwt: Unknown option '--bogus'"],
  ])('%j: %s', async (argv, first) => {
    const r = await run(argv);
    expect([r.code, r.stdout, r.stderr.split('\n')[0]]).toEqual([2, '', first]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
