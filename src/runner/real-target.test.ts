/**
 * The real-org target, end to end against the only org reachable here: the mock over HTTPS,
 * configured through a config file exactly as a real org would be. Proves the protections: the
 * request budget, the opt-in for negative scenarios, the cap on failed logins per user, the pause
 * between requests, mock-only scenarios skipped, divergences recorded as findings, no tokens kept.
 */
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ResourceError } from '../../lib/errors.ts';
import { HAS_FIFOS, makeFifo, underWatchdog } from '../../lib/testing/fifo.ts';
import { type StartedMockOrg, startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { NOW, testKeys, testStateDir, testWorld } from '../../mock-server/testing/fixtures.ts';
import { catalogue, parseScenario } from '../../scenarios/load.ts';
import { isNegative, type Scenario } from '../../scenarios/schema.ts';
import { ConfigError, loadConfig } from './config.ts';
import { type RealTargetOptions, realTarget as realTargetAt } from './real-target.ts';
import { runCatalogue as runCatalogueAt, runScenario } from './run.ts';

const dir = testStateDir('sfjwt-real-');
let mock: StartedMockOrg;
/** The org's clock and the client's are the same frozen instant. */
const realTarget = (config: Parameters<typeof realTargetAt>[0], options: RealTargetOptions = {}) => realTargetAt(config, { now: () => NOW, ...options });
const runCatalogue = (...[scenarios, targets]: Parameters<typeof runCatalogueAt>) => runCatalogueAt(scenarios, targets, { now: () => new Date(NOW) });

function writeConfig(overrides: Record<string, unknown>): string {
  const world = mock.org.index.world;
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      targets: {
        org: {
          loginUrl: mock.login,
          hosts: { test: mock.test, 'my-domain': mock.myDomain['acme'], 'sandbox-my-domain': mock.myDomain['acme-uat'] },
          consumerKey: { env: 'SFJWT_TEST_CONSUMER_KEY' },
          username: 'integration@acme.com',
          keyFile: 'server.key',
          caFile: 'ca.pem',
          users: { unapproved: 'unapproved@acme.com', frozen: 'frozen@acme.com', sandbox: 'integration@acme.com.uat' },
          delayMs: 0,
          ...overrides,
        },
      },
    }),
  );
  process.env['SFJWT_TEST_CONSUMER_KEY'] = world.apps[0]?.consumerKey ?? '';
  return file;
}

beforeAll(async () => {
  mock = await startMockOrg({ world: testWorld(), stateDir: dir, strict: true, clock: frozenClock(NOW) });
  writeFileSync(join(dir, 'server.key'), testKeys().privateKeyPem);
  writeFileSync(join(dir, 'ca.pem'), mock.caPem ?? '');
});
afterAll(async () => mock.close());
beforeEach(() => mock.org.reset());

describe('a real-org target (the mock over HTTPS, configured as an org)', () => {
  it('runs only positive scenarios without the opt-in, within the budget', async () => {
    const [config] = loadConfig(writeConfig({ budget: 100 }));
    if (config === undefined) throw new Error('no target');
    const report = await runCatalogue(catalogue(), [realTarget(config)]);
    for (const r of report.results) {
      const s = catalogue().find((x) => x.id === r.scenario);
      if (s === undefined) throw new Error('unknown scenario');
      if (isNegative(s)) expect(r.verdict).toBe('skip');
      if (!s.runsOn.includes('real')) expect(r.reason).toBe('does not run on a real target');
      else if (isNegative(s)) expect(r.reason).toBe('a negative scenario (an expected failure): the target has not opted in with allowNegative');
    }
    // Exactly the positive scenarios meant for real orgs were sent, but for those that need what this
    // config does not describe (the admin-approved app, the External Client App, a site), which say so.
    const sent = report.results.filter((r) => r.verdict !== 'skip');
    const unconfigured = report.results.filter((r) => r.verdict === 'skip' && r.reason?.startsWith('needs the ') === true).map((r) => r.scenario);
    expect(unconfigured.sort()).toEqual(['app.eca-my-domain', 'baseline.admin-approved', 'baseline.site']);
    expect(sent.map((r) => r.scenario)).toEqual(
      catalogue()
        .filter((s) => !isNegative(s) && s.runsOn.includes('real') && !unconfigured.includes(s.id))
        .map((s) => s.id),
    );
    expect(mock.org.journal.total).toBe(sent.length);
    expect(sent.every((r) => r.verdict === 'pass')).toBe(true);
  });

  it('stops at the budget: exactly that many requests reach the org', async () => {
    const [config] = loadConfig(writeConfig({ budget: 3, allowNegative: true }));
    if (config === undefined) throw new Error('no target');
    const report = await runCatalogue(catalogue(), [realTarget(config)]);
    expect(mock.org.journal.total).toBe(3);
    // Of the scenarios this target can run at all, the first three went and every later one was held back.
    const cannotRun = (reason: string | undefined) =>
      reason === 'does not run on a real target' || reason?.startsWith('needs ') === true || reason?.startsWith('the target does not provide ') === true;
    const runnable = report.results.filter((r) => !cannotRun(r.reason));
    expect(runnable.slice(0, 3).map((r) => r.verdict)).toEqual(['pass', 'pass', 'pass']);
    expect(new Set(runnable.slice(3).map((r) => r.reason))).toEqual(new Set(['the request budget of 3 for this run is used up']));
  });

  it('never more failed logins per user than maxFailuresPerUser, and pauses between requests', async () => {
    const [config] = loadConfig(writeConfig({ budget: 1000, allowNegative: true, maxFailuresPerUser: 2, delayMs: 250 }));
    if (config === undefined) throw new Error('no target');
    const waits: number[] = [];
    const report = await runCatalogue(catalogue(), [realTarget(config, { wait: async (ms) => void waits.push(ms) })]);
    const failedByUser = new Map<string, number>();
    for (const t of mock.org.journal.list()) if (t.response.status !== 200 && t.username !== undefined) failedByUser.set(t.username, (failedByUser.get(t.username) ?? 0) + 1);
    for (const count of failedByUser.values()) expect(count).toBeLessThanOrEqual(2);
    expect(failedByUser.get('integration@acme.com')).toBe(2);
    expect(report.results.some((r) => r.reason === '2 failed logins for integration@acme.com in this run already')).toBe(true);
    expect(waits.length).toBe(mock.org.journal.total - 1);
    expect(new Set(waits)).toEqual(new Set([250]));
  });

  it('records a different answer as a divergence, a finding and not a crash; keeps no token', async () => {
    mock.org.setKnobs({ expLeewaySeconds: 0, expMaxFutureSeconds: 60 });
    const [config] = loadConfig(writeConfig({ budget: 1000, allowNegative: true, maxFailuresPerUser: 10 }));
    if (config === undefined) throw new Error('no target');
    // Two scenarios this org answers differently, and one it answers as expected (with a token: exp
    // is exactly the frozen now, which no leeway is needed for).
    const ids = ['exp.now', 'exp.far-future', 'exp.milliseconds'];
    const report = await runCatalogue(
      catalogue().filter((s) => ids.includes(s.id)),
      [realTarget(config)],
    );
    expect(report.results.map((r) => [r.scenario, r.verdict]).sort()).toEqual([
      ['exp.far-future', 'divergence'],
      ['exp.milliseconds', 'divergence'],
      ['exp.now', 'pass'],
    ]);
    expect(mock.org.journal.list().filter((t) => t.response.status === 200)).toHaveLength(1);
    for (const r of report.results.filter((x) => x.verdict === 'divergence')) expect(r.reason).toContain('status 400, expected 200');
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/![A-Za-z0-9._]{20,}/);
    expect(text).not.toContain('PRIVATE KEY');
  });

  it('a scenario file cannot carry its own budget or opt-in', () => {
    expect(() => parseScenario({ ...catalogue()[0], budget: 1000 }, 'evil.json')).toThrow(/evil\.json is not a valid scenario:\n {2}\(the scenario\): unknown field "budget"/);
    expect(() => parseScenario({ ...catalogue()[0], realOrg: { safe: true, allowNegative: true } }, 'evil.json')).toThrow(/realOrg: unknown field "allowNegative"/);
  });

  it("a scenario that needs the mock's state is refused by a real target whatever its runsOn says", async () => {
    const [config] = loadConfig(writeConfig({ allowNegative: true }));
    if (config === undefined) throw new Error('no target');
    const forced = parseScenario({ ...catalogue().find((s) => s.id === 'transient.unknown-error'), runsOn: ['real'] }, 'forced.json');
    expect(await realTarget(config).prepare(forced)).toBe("needs the mock's state (knobs, forced outcomes or Setup changes)");
    const unsafe = parseScenario({ ...catalogue().find((s) => s.id === 'user.frozen'), realOrg: { safe: false, needs: [] } }, 'unsafe.json');
    expect(await realTarget(config).prepare(unsafe)).toBe('not safe to send to a real org');
  });

  it('a role no schema checked (a scenario built in code) that every object has is a skip naming it, and nothing is sent', async () => {
    const [config] = loadConfig(writeConfig({ allowNegative: true, budget: 100 }));
    if (config === undefined) throw new Error('no target');
    const base = catalogue().find((s) => s.id === 'exp.now') ?? expect.fail('exp.now');
    const built = (changes: object) => ({ ...base, ...changes }) as unknown as Scenario;
    expect(await runScenario(built({ mistakes: [{ at: 'send', host: 'constructor' }] }), realTarget(config))).toMatchObject({
      verdict: 'skip',
      reason: 'the target does not provide the host "constructor"',
    });
    expect(await runScenario(built({ as: { ...base.as, host: 'toString' } }), realTarget(config))).toMatchObject({
      verdict: 'skip',
      reason: 'needs the host "toString" (hosts.toString in the config)',
    });
    expect(await runScenario(built({ as: { ...base.as, user: 'constructor' } }), realTarget(config))).toMatchObject({
      verdict: 'skip',
      reason: 'needs a user for the role "constructor" (users.constructor in the config)',
    });
    expect(await runScenario(built({ mistakes: [{ at: 'claims', set: { sub: { $: 'username', role: 'valueOf' } } }] }), realTarget(config))).toMatchObject({
      verdict: 'skip',
      reason: 'the target does not provide a user "valueOf"',
    });
    expect(mock.org.journal.total).toBe(0);
  });

  it('config mistakes name the file and the field', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ targets: { org: { loginUrl: 'login.salesforce.com', consumerKey: 'x', username: 'u', keyFile: 'k', budget: 0 } } }));
    expect(() => loadConfig(bad)).toThrow(
      `${bad} is not a valid sfjwt config:\n  targets.org.loginUrl: expected a URL such as https://login.salesforce.com, got "login.salesforce.com"\n  targets.org.budget: expected at least 1, got 0`,
    );
    writeFileSync(bad, JSON.stringify({ targets: { org: { loginUrl: 'https://x.example', consumerKey: { env: 'SFJWT_UNSET_VARIABLE' }, username: 'u', keyFile: 'k' } } }));
    expect(() => loadConfig(bad)).toThrow('targets.org.consumerKey reads the environment variable SFJWT_UNSET_VARIABLE, which is not set');
  });
});

/**
 * The guard sees the request as it will be sent, not the scenario that asked for it: what a scenario
 * file changes (the scheme, the username in sub or prn) cannot steer a real org's protections. The
 * fetch here records what would have left the machine and answers as an org refusing the user.
 */
describe('a real-org target judges the request it would send, not the scenario file', () => {
  const guardDir = mkdtempSync(join(tmpdir(), 'sfjwt-real-guard-'));
  writeFileSync(join(guardDir, 'server.key'), testKeys().privateKeyPem);
  const REFUSED = { error: 'invalid_grant', error_description: "user hasn't approved this consumer" };

  const targetWith = (overrides: Record<string, unknown>) => {
    const file = join(guardDir, `config-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        targets: {
          org: {
            loginUrl: 'https://127.0.0.1:9',
            consumerKey: 'k'.repeat(20),
            username: 'integration@acme.com',
            keyFile: 'server.key',
            users: { unapproved: 'unapproved@acme.com', frozen: 'frozen@acme.com', inactive: 'inactive@acme.com' },
            delayMs: 0,
            allowNegative: true,
            maxFailuresPerUser: 2,
            ...overrides,
          },
        },
      }),
    );
    const [config] = loadConfig(file);
    if (config === undefined) throw new Error('no target');
    /** What would have been sent: the URL and the username the assertion names. */
    const sent: { url: string; sub: unknown }[] = [];
    const record = async (input: string | URL, init?: RequestInit): Promise<Response> => {
      const assertion = new URLSearchParams(String(init?.body ?? '')).get('assertion') ?? '';
      const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as Record<string, unknown>;
      sent.push({ url: String(input), sub: payload['prn'] ?? payload['sub'] });
      return new Response(JSON.stringify(REFUSED), { status: 400, headers: { 'Content-Type': 'application/json' } });
    };
    // Loopback addresses all the same: had the guard a hole, nothing could leave the machine.
    const target = realTarget(config, { fetch: record });
    return { target, sent };
  };
  const scenario = (id: string, mistakes: unknown[], options: { status?: number; user?: string } = {}) =>
    parseScenario(
      {
        id,
        title: id,
        level: 'MUST',
        as: { user: options.user ?? 'default', app: 'default', host: 'login' },
        mistakes,
        expect: options.status === 200 ? { status: 200, decidedBy: null } : { status: 400, ...REFUSED, decidedBy: 'user' },
        explanation: 'A test of the real-org guard.',
        fix: 'None.',
        confidence: 'INF',
        runsOn: ['real'],
        realOrg: { safe: true, needs: [] },
      },
      `${id}.json`,
    );
  const PLAIN_HTTP = 'not sent: http://127.0.0.1:9 is plain http, and a real org is sent requests over HTTPS only (the signed assertion would cross the network in clear text)';

  it.each([
    ['expects a token', 200],
    ['expects a refusal', 400],
  ])('refuses a scenario that sends over plain http and %s: a skip, nothing sent', async (_name, status) => {
    const { target, sent } = targetWith({});
    const result = await runScenario(scenario('send.http-mistake', [{ at: 'send', scheme: 'http' }], { status }), target);
    expect(result.verdict).toBe('skip');
    expect(result.reason).toBe(PLAIN_HTTP);
    expect(sent).toEqual([]);
  });

  it('refuses plain http that comes from the config (an http:// login URL): nothing is sent', async () => {
    const { target, sent } = targetWith({ loginUrl: 'http://127.0.0.1:9' });
    const result = await runScenario(scenario('baseline', [], { status: 200 }), target);
    expect(result.verdict).toBe('skip');
    expect(result.reason).toBe(PLAIN_HTTP);
    // The target's own fetch refuses too, for a caller that would skip admit().
    await expect(target.fetch('http://127.0.0.1:9/services/oauth2/token', { method: 'POST' })).rejects.toThrow(PLAIN_HTTP);
    expect(sent).toEqual([]);
  });

  it('counts failed logins by the username in the assertion sent, not by the role that built it', async () => {
    const { target, sent } = targetWith({});
    const roles = ['default', 'unapproved', 'frozen', 'inactive'];
    const results = [];
    for (const user of roles) results.push(await runScenario(scenario(`sub.victim-as-${user}`, [{ at: 'claims', set: { sub: 'victim@acme.com' } }], { user }), target));
    expect(sent.map((s) => s.sub)).toEqual(['victim@acme.com', 'victim@acme.com']);
    expect(results.map((r) => r.verdict)).toEqual(['pass', 'pass', 'skip', 'skip']);
    expect(results[2]?.reason).toBe('2 failed logins for victim@acme.com in this run already');
  });

  it.each([
    ['sub in other letter case (usernames are case-insensitive)', [{ at: 'claims', set: { sub: 'VICTIM@ACME.COM' } }], 200],
    ['sub put in by a payload text edit', [{ at: 'payload', replace: { find: '"sub":"integration@acme.com"', with: '"sub":"victim@acme.com"' } }], 400],
    ['prn, which wins over sub', [{ at: 'claims', set: { prn: 'victim@acme.com' } }], 400],
    ['a second sub key after the first', [{ at: 'payload', replace: { find: '"sub":"integration@acme.com"', with: '"sub":"integration@acme.com","sub":"victim@acme.com"' } }], 400],
    ['a scenario that expects a token', [{ at: 'claims', set: { sub: 'victim@acme.com' } }], 200],
    ['an escaped key name ("s\\u0075b")', [{ at: 'payload', replace: { find: '"sub":"integration@acme.com"', with: '"s\\u0075b":"victim@acme.com"' } }], 400],
    [
      'the assertion moved into a JSON body',
      [
        { at: 'claims', set: { sub: 'victim@acme.com' } },
        { at: 'form', encoding: 'json' },
      ],
      400,
    ],
    [
      'the assertion under another parameter name',
      [
        { at: 'claims', set: { sub: 'victim@acme.com' } },
        { at: 'form', rename: { assertion: 'jwt' } },
      ],
      400,
    ],
  ])('once a user has failed maxFailuresPerUser times, refuses %s', async (_name, mistakes, status) => {
    const { target, sent } = targetWith({});
    for (const user of ['unapproved', 'frozen']) await runScenario(scenario(`sub.victim-as-${user}`, [{ at: 'claims', set: { sub: 'victim@acme.com' } }], { user }), target);
    expect(sent.length).toBe(2);
    const result = await runScenario(scenario('sub.victim-again', mistakes, { status }), target);
    expect(result.verdict).toBe('skip');
    expect(result.reason).toMatch(/^2 failed logins for victim@acme\.com in this run already$/i);
    expect(sent.length).toBe(2);
  });

  it.skipIf(!HAS_FIFOS)('refuses a key file, CA file or config file that is a FIFO or a device at once, naming it', () => {
    const fifo = makeFifo(join(guardDir, 'key.fifo'));
    symlinkSync('/dev/zero', join(guardDir, 'zero.pem'));
    const attempt = (fn: () => unknown) =>
      underWatchdog(fifo, () => {
        try {
          fn();
        } catch (error) {
          return error;
        }
        return undefined;
      });
    const key = attempt(() => targetWith({ keyFile: 'key.fifo' }));
    expect(key).toBeInstanceOf(ResourceError);
    expect((key as ResourceError).message).toBe(`target "org": cannot read the key file ${fifo}: it is a FIFO (named pipe), not a regular file`);
    expect((key as ResourceError).actions).toContain('Check keyFile in the config (relative to the config file).');
    expect(() => targetWith({ caFile: 'zero.pem' })).toThrow(`target "org": cannot read the CA file ${join(guardDir, 'zero.pem')}: it is a character device, not a regular file`);
    const config = attempt(() => loadConfig(fifo));
    expect(config).toBeInstanceOf(ConfigError);
    expect((config as ConfigError).message).toBe(`cannot read the config file ${fifo}: it is a FIFO (named pipe), not a regular file`);
  });
});
