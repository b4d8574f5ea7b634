/**
 * The real-org target, end to end against the only org reachable here: the mock over HTTPS,
 * configured through a config file exactly as a real org would be. Proves the protections: the
 * request budget, the opt-in for negative scenarios, the cap on failed logins per user, the pause
 * between requests, mock-only scenarios skipped, divergences recorded as findings, no tokens kept.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockOrg, type StartedMockOrg } from '../../mock-server/adapters/node-server.ts';
import { testKeys, testWorld } from '../../mock-server/testing/fixtures.ts';
import { catalogue, parseScenario } from '../../scenarios/load.ts';
import { isNegative } from '../../scenarios/schema.ts';
import { loadConfig } from './config.ts';
import { realTarget } from './real-target.ts';
import { runCatalogue } from './run.ts';

const dir = mkdtempSync(join(tmpdir(), 'sfjwt-real-'));
let mock: StartedMockOrg;

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
  mock = await startMockOrg({ world: testWorld(), stateDir: dir, strict: true });
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
    const sent = report.results.filter((r) => r.verdict !== 'skip');
    expect(sent.length).toBeGreaterThan(0);
    expect(mock.org.journal.total).toBe(sent.length);
    expect(sent.every((r) => r.verdict === 'pass')).toBe(true);
  });

  it('stops at the budget: exactly that many requests reach the org', async () => {
    const [config] = loadConfig(writeConfig({ budget: 3, allowNegative: true }));
    if (config === undefined) throw new Error('no target');
    const report = await runCatalogue(catalogue(), [realTarget(config)]);
    expect(mock.org.journal.total).toBe(3);
    expect(report.results.filter((r) => r.reason === 'the request budget of 3 for this run is used up').length).toBeGreaterThan(0);
  });

  it('never more failed logins per user than maxFailuresPerUser, and pauses between requests', async () => {
    const [config] = loadConfig(writeConfig({ budget: 1000, allowNegative: true, maxFailuresPerUser: 2, delayMs: 250 }));
    if (config === undefined) throw new Error('no target');
    const waits: number[] = [];
    const report = await runCatalogue(catalogue(), [realTarget(config, { wait: async (ms) => void waits.push(ms) })]);
    const failedByUser = new Map<string, number>();
    for (const t of mock.org.journal.list()) if (t.response.status !== 200 && t.username !== undefined) failedByUser.set(t.username, (failedByUser.get(t.username) ?? 0) + 1);
    for (const count of failedByUser.values()) expect(count).toBeLessThanOrEqual(2);
    expect(report.results.some((r) => r.reason === '2 failed logins for integration@acme.com in this run already')).toBe(true);
    expect(waits.length).toBe(mock.org.journal.total - 1);
    expect(new Set(waits)).toEqual(new Set([250]));
  });

  it('records a different answer as a divergence, a finding and not a crash; keeps no token', async () => {
    mock.org.setKnobs({ expLeewaySeconds: 0, expMaxFutureSeconds: 60 });
    const [config] = loadConfig(writeConfig({ budget: 1000, allowNegative: true, maxFailuresPerUser: 10 }));
    if (config === undefined) throw new Error('no target');
    const report = await runCatalogue(catalogue(), [realTarget(config)]);
    const farFuture = report.results.find((r) => r.scenario === 'exp.far-future' || r.scenario === 'exp.milliseconds');
    if (farFuture !== undefined) {
      expect(farFuture.verdict).toBe('divergence');
      expect(farFuture.reason).toContain('status 400, expected 200');
    }
    expect(report.results.some((r) => r.verdict === 'pass')).toBe(true);
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/![A-Za-z0-9._]{20,}/);
    expect(text).not.toContain('PRIVATE KEY');
  });

  it('a scenario file cannot carry its own budget or opt-in', () => {
    expect(() => parseScenario({ ...catalogue()[0], budget: 1000 }, 'evil.json')).toThrow(/evil\.json is not a valid scenario:\n {2}\(the scenario\): Unrecognized key: "budget"/);
    expect(() => parseScenario({ ...catalogue()[0], realOrg: { safe: true, allowNegative: true } }, 'evil.json')).toThrow(/realOrg: Unrecognized key: "allowNegative"/);
  });

  it('a scenario that needs the mock\'s state is refused by a real target whatever its runsOn says', async () => {
    const [config] = loadConfig(writeConfig({ allowNegative: true }));
    if (config === undefined) throw new Error('no target');
    const forced = parseScenario({ ...catalogue().find((s) => s.id === 'transient.unknown-error'), runsOn: ['real'] }, 'forced.json');
    expect(await realTarget(config).prepare(forced)).toBe("needs the mock's state (knobs, forced outcomes or Setup changes)");
    const unsafe = parseScenario({ ...catalogue().find((s) => s.id === 'user.frozen'), realOrg: { safe: false, needs: [] } }, 'unsafe.json');
    expect(await realTarget(config).prepare(unsafe)).toBe('not safe to send to a real org');
  });

  it('config mistakes name the file and the field', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ targets: { org: { loginUrl: 'login.salesforce.com', consumerKey: 'x', username: 'u', keyFile: 'k', budget: 0 } } }));
    expect(() => loadConfig(bad)).toThrow(`${bad} is not a valid sfjwt config:\n  targets.org.loginUrl: expected a URL such as https://login.salesforce.com\n  targets.org.budget: Too small: expected number to be >=1`);
    writeFileSync(bad, JSON.stringify({ targets: { org: { loginUrl: 'https://x.example', consumerKey: { env: 'SFJWT_UNSET_VARIABLE' }, username: 'u', keyFile: 'k' } } }));
    expect(() => loadConfig(bad)).toThrow('targets.org.consumerKey reads the environment variable SFJWT_UNSET_VARIABLE, which is not set');
  });
});
