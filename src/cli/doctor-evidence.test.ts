/**
 * `doctor --evidence` as a user meets it, in this process through `main(argv, io)` against the mock
 * over HTTPS (time frozen): `--evidence mock` reads the mock's admin API and prints the confirmed
 * cause and each query; an instance URL reads with SFJWT_EVIDENCE_TOKEN; without --evidence the cause
 * is inferred and names the query that would confirm it; a bad --evidence or a missing token is exit 2
 * with what to do, never a stack.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { formBody, goodClaims, JWT_GRANT, NOW, signAssertion, testKeys, testStateDir, testWorld } from '../../mock-server/testing/fixtures.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { fetchTrusting } from '../client/https-fetch.ts';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';

const home = testStateDir('sfjwt-doctor-evidence-');
const world = testWorld();
const consumerKey = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized)?.consumerKey ?? '';
let mock: StartedMockOrg;
const keyFile = join(home, 'server.key');
const caFile = join(home, 'ca.crt');

beforeAll(async () => {
  mock = await startMockOrg({ world, clock: frozenClock(NOW), strict: true, stateDir: home });
  writeFileSync(keyFile, testKeys().privateKeyPem, { mode: 0o600 });
  writeFileSync(caFile, mock.caPem ?? '');
});
afterAll(async () => mock.close());

async function doctor(args: string[], env: Record<string, string> = {}) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(['doctor', '--login', mock.login, '--client-id', consumerKey, '--key', keyFile, '--ca', caFile, ...args], {
    stdout,
    stderr,
    env: { SFJWT_HOME: home, NO_COLOR: '1', ...env },
    now: () => NOW,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('doctor --evidence', () => {
  it('mock: the unknown username confirmed, each query listed', async () => {
    const r = await doctor(['--username', 'nobody@acme.com', '--evidence', 'mock']);
    expect([r.code, r.stderr]).toEqual([1, '']);
    expect(r.stdout).toContain('Root cause: The username is not a user of this org (check: user, confirmed)\n');
    expect(r.stdout).toContain('  - the org: no user has the username nobody@acme.com\n');
    expect(r.stdout).toContain(
      `The org's evidence (the mock's admin API at ${mock.admin}):\n  Does a user have this username?\n    SELECT Id, Username, IsActive, Profile.Name FROM User WHERE Username = 'nobody@acme.com'\n    → no user has the username nobody@acme.com\n`,
    );
  });

  it('mock, --json: the never-approving user confirmed as app-access, the queries in the report', async () => {
    const r = await doctor(['--username', 'unapproved@acme.com', '--evidence', 'mock', '--json']);
    const report = JSON.parse(r.stdout) as { rootCause: { check: string; confidence: string; alternatives: string[] }; evidence: { queries: unknown[] } };
    expect([r.code, report.rootCause.check, report.rootCause.confidence, report.rootCause.alternatives]).toEqual([1, 'app-access', 'confirmed', []]);
    expect(report.evidence.queries).toHaveLength(7);
  });

  it('an instance URL with SFJWT_EVIDENCE_TOKEN: the same evidence through the REST API', async () => {
    const res = await fetchTrusting(mock.caPem)(`${mock.login}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(world) }) }),
    });
    const { access_token, instance_url } = (await res.json()) as { access_token: string; instance_url: string };
    const r = await doctor(['--username', 'nobody@acme.com', '--evidence', instance_url, '--json'], { SFJWT_EVIDENCE_TOKEN: access_token });
    const report = JSON.parse(r.stdout) as { rootCause: { check: string; confidence: string }; evidence: { source: string } };
    expect([report.rootCause.check, report.rootCause.confidence, report.evidence.source]).toEqual(['user', 'confirmed', `an access token for ${instance_url}`]);
    expect(r.stdout).not.toContain(access_token);
  });

  it('without --evidence: inferred, with the query that would confirm it', async () => {
    const r = await doctor(['--username', 'nobody@acme.com']);
    expect(r.stdout).toContain('(check: app-access, inferred)\n');
    expect(r.stdout).toContain("  to confirm it (--evidence, or as an admin): SELECT AppName, UseCount FROM OauthToken WHERE User.Username = 'nobody@acme.com'\n");
  });

  it('--from-serve: the served mock gives the login URL, CA, app, user and key; --username still wins', async () => {
    const line = join(home, 'mock.json');
    writeFileSync(line, `${JSON.stringify({ login: mock.login, test: mock.test, ca: caFile, consumerKey, username: 'integration@acme.com', privateKeyFile: keyFile })}\n`);
    const run = async (args: string[]) => {
      const stdout = collector();
      const stderr = collector();
      const code = await main(['doctor', '--from-serve', line, ...args], { stdout, stderr, env: { SFJWT_HOME: home, NO_COLOR: '1' }, now: () => NOW });
      return { code, stdout: stdout.text, stderr: stderr.text };
    };
    const works = await run([]);
    expect([works.code, works.stderr]).toEqual([0, '']);
    expect(works.stdout).toBe('answer: 200 with an access token\n\nThe setup works.\n');
    const confirmed = await run(['--username', 'unapproved@acme.com', '--evidence', 'mock']);
    expect(confirmed.code).toBe(1);
    expect(confirmed.stdout).toContain(
      "Root cause: The user has never approved the app (check: app-access, confirmed)\n  - Salesforce answered 400 invalid_grant: user hasn't approved this consumer\n",
    );
    const both = await run(['--target', 'uat']);
    expect([both.code, both.stderr]).toEqual([2, 'sfjwt: --from-serve and --target are two sources: give one of them\n']);
  });

  it.each<[string, string[], Record<string, string>, string]>([
    [
      'an --evidence that is neither mock nor a URL',
      ['--evidence', 'uat'],
      {},
      'sfjwt: --evidence takes "mock", sf:<alias> or an instance URL, got "uat"\n  → Against a real org: --evidence https://<domain>.my.salesforce.com with SFJWT_EVIDENCE_TOKEN set to an access token of a session you have (sf org display --target-org <alias>).\n',
    ],
    [
      'an instance URL without SFJWT_EVIDENCE_TOKEN',
      ['--evidence', 'https://acme.my.salesforce.com'],
      {},
      'sfjwt: --evidence https://acme.my.salesforce.com needs the access token of a session of that org in SFJWT_EVIDENCE_TOKEN\n  → Take it from sf org display --target-org <alias> (Access Token) or your own login; never the credentials being diagnosed.\n',
    ],
  ])('%s: exit 2, what to do, nothing sent', async (_name, args, env, stderr) => {
    const before = mock.org.journal.total;
    const r = await doctor(['--username', 'nobody@acme.com', ...args], env);
    expect([r.code, r.stderr, r.stdout]).toEqual([2, stderr, '']);
    expect(mock.org.journal.total).toBe(before);
  });
});
