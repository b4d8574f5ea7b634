/**
 * A mock elsewhere, driven through its admin API as the container is: the scenarios whose `mock`
 * section changes the mock's state (knobs, a forced outcome, a changed app, cleared certificates,
 * earlier logins) get on a remote mock target exactly what they get in process, and a mock that
 * refuses part of a `mock` section is a ResourceError naming the route, the refusal and its fix.
 * The mock runs in this process over HTTPS on 127.0.0.1; only its admin API and hosts are used.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceError } from '../../lib/errors.ts';
import { type StartedMockOrg, startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { testKeys, testWorld } from '../../mock-server/testing/fixtures.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { catalogue, mswTarget, remoteMockTarget, runScenario, type Target } from './index.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'sfjwt-remote-'));
const WITH_MOCK_SECTION = catalogue().filter((s) => s.mock !== undefined && s.runsOn.includes('mock-https'));
const remoteOf = (started: StartedMockOrg) =>
  remoteMockTarget(
    { hosts: started.hosts, admin: started.admin, adminToken: started.adminToken, caPem: started.caPem, world: testWorld(), privateKeyPem: testKeys().privateKeyPem },
    { name: 'mock (remote)' },
  );

describe('a remote mock target', () => {
  let started: StartedMockOrg;
  let remote: Target;
  let local: Target;
  beforeAll(async () => {
    started = await startMockOrg({ world: testWorld(), stateDir });
    remote = remoteOf(started);
    local = mswTarget({ world: testWorld(), privateKeyPem: testKeys().privateKeyPem, stateDir });
  });
  afterAll(async () => {
    await remote.close();
    await local.close();
    await started.close();
  });

  it('the catalogue has scenarios with each kind of mock section', () => {
    const kinds = new Set(WITH_MOCK_SECTION.flatMap((s) => Object.keys(s.mock ?? {})));
    expect([...kinds].sort()).toEqual(['clearCertificates', 'force', 'knobs', 'priorLogins', 'touchApp']);
  });

  it.each(WITH_MOCK_SECTION.map((s) => [s.id, s] as const))('%s: the same verdict and deciding check as in process', async (_id, scenario) => {
    const there = await runScenario(scenario, remote);
    const here = await runScenario(scenario, local);
    expect(there.reason ?? '').toBe('');
    expect(there.verdict).toBe('pass');
    expect(there.decidedBy).toBe(scenario.expect.decidedBy);
    expect({ verdict: here.verdict, decidedBy: here.decidedBy }).toEqual({ verdict: there.verdict, decidedBy: there.decidedBy });
  });
});

describe('a remote mock that refuses a mock section', () => {
  let started: StartedMockOrg;
  beforeAll(async () => {
    // The mock serves a world whose app has another name than the one the runner was given.
    const world = testWorld();
    const app = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized) ?? expect.fail('no app');
    app.name = 'Renamed App';
    for (const u of world.users) u.approvedApps = u.approvedApps.map((a) => (a === DEFAULT_APPS.selfAuthorized ? app.name : a));
    started = await startMockOrg({ world, stateDir });
  });
  afterAll(async () => started.close());

  it("without the mock's admin token: ResourceError with the 401, its fix and what to pass", async () => {
    const scenario = catalogue().find((s) => s.id === 'app.changed-minutes-ago') ?? expect.fail('no scenario');
    const anonymous = remoteMockTarget({ hosts: started.hosts, admin: started.admin, caPem: started.caPem, world: testWorld(), privateKeyPem: testKeys().privateKeyPem });
    const error = await anonymous.prepare(scenario).then(
      () => expect.fail('prepared'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResourceError);
    expect(error).toMatchObject({
      message: "the mock's admin API answered POST /reset with 401: a state change needs the admin token",
      actions: [
        'Send Authorization: Bearer <token> or x-sfjwt-admin-token: <token>; serve prints the token (--json: adminToken), startMockOrg() returns it as adminToken.',
        "Pass the mock's adminToken (serve --json prints it) to remoteMockTarget.",
      ],
    });
  });

  it('touchApp on an app the mock does not hold: ResourceError with the route, the refusal and its fix', async () => {
    const scenario = catalogue().find((s) => s.id === 'app.changed-minutes-ago') ?? expect.fail('no scenario');
    const error = await remoteOf(started)
      .prepare(scenario)
      .then(
        () => expect.fail('prepared'),
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ResourceError);
    expect(error).toMatchObject({
      message: `the mock's admin API answered POST /setup/touch-app with 404: no app "${DEFAULT_APPS.selfAuthorized}"`,
      actions: ['GET /__sfjwt/world lists the apps.', 'An older image without this admin action? Rebuild it: container/build.sh'],
    });
  });
});
