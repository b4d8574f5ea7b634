/**
 * MockOrg.reset: every Setup change undone (each action, and all of them at once), the world the org
 * was given never changed, and a reset of a big world cheap in memory: it must not copy the world
 * (the org keeps one pristine world and its index shares the lookup maps with every fresh index).
 * Memory is compared with generous ceilings against the world's own size, never against a time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { generateRsaKeyPair, issueCertificate } from '../../lib/pki/generate.ts';
import { SETUP_ACTIONS, type SetupActionName } from '../setup/actions.ts';
import { formBody, goodClaims, JWT_GRANT, NOW, signAssertion, testKeys, testOrg, testWorld, tokenRequest } from '../testing/fixtures.ts';
import { DEFAULT_APPS } from '../world/default-world.ts';
import { generateWorld } from '../world/generate.ts';
import { frozenClock } from './clock.ts';
import { MockOrg } from './mock-org.ts';

const APP = DEFAULT_APPS.selfAuthorized;
const secondPem = (() => {
  const pair = generateRsaKeyPair(2048);
  return issueCertificate(pair, { subject: [{ shortName: 'CN', value: 'uploaded later' }], notBefore: new Date(NOW - 86_400_000) });
})();
const fingerprint = (org: MockOrg, app = APP) => org.index.certificates(org.index.app(app) ?? expect.fail('no app'))[0]?.sha256 ?? expect.fail('no certificate');

/** Each Setup action, with input that changes the default world. */
const CHANGES: [SetupActionName, (org: MockOrg) => unknown][] = [
  ['approve', () => ({ username: 'unapproved@acme.com', app: APP })],
  ['revoke', () => ({ username: 'integration@acme.com', app: APP })],
  ['assign-profile', () => ({ username: 'analyst@acme.com', profile: 'Integration User' })],
  ['assign-permission-set', () => ({ username: 'analyst@acme.com', permissionSet: 'JWT Integration' })],
  ['upload-certificate', () => ({ app: APP, pem: secondPem })],
  ['remove-certificate', (org) => ({ app: APP, sha256: fingerprint(org) })],
  ['touch-app', () => ({ app: APP })],
  ['user-state', () => ({ username: 'integration@acme.com', frozen: true, active: false })],
  ['org-state', () => ({ org: 'acme', status: 'locked' })],
  ['record-logins', () => ({ username: 'integration@acme.com', count: 5 })],
];

function snapshot(org: MockOrg) {
  return {
    world: structuredClone(org.index.world),
    describe: org.describe(),
    certificates: org.index.world.apps.map((a) => org.index.certificates(a).map((c) => c.sha256)),
    logins: org.loginHistory.recentSuccesses(org.index.userByUsername('integration@acme.com')?.id ?? '', org.now()),
  };
}

const LOGIN = { host: 'login.salesforce.com', secure: true, clientIp: '127.0.0.1', urls: { baseUrl: (h: string) => `https://${h}`, origins: (h: string) => [`https://${h}`] } };
const grant = async (org: MockOrg, sub: string) => {
  const response = await org.handle(
    tokenRequest('https://login.salesforce.com/services/oauth2/token', formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(org.index.world, { sub }) }) })),
    LOGIN,
  );
  return { status: response.status, body: await response.text() };
};

describe('MockOrg.reset undoes Setup', () => {
  it.each(CHANGES)('%s: changed, then reset to the world as it was', (name, input) => {
    const { org } = testOrg();
    const before = snapshot(org);
    const result = SETUP_ACTIONS[name](org, input(org));
    expect(result.ok).toBe(true);
    expect(snapshot(org)).not.toEqual(before);
    org.reset();
    expect(snapshot(org)).toEqual(before);
  });

  it('every change at once, twice over: each reset returns to the same world, and the given world never changes', async () => {
    const world = testWorld();
    const given = structuredClone(world);
    const org = new MockOrg({ world, clock: frozenClock(NOW), seed: 7 });
    const before = snapshot(org);
    expect((await grant(org, 'integration@acme.com')).status).toBe(200);
    for (let round = 0; round < 2; round += 1) {
      for (const [name, input] of CHANGES) expect(SETUP_ACTIONS[name](org, input(org)).ok).toBe(true);
      // Frozen, revoked, org locked: the happy user is refused until the reset.
      expect((await grant(org, 'integration@acme.com')).status).toBe(400);
      expect(world).toEqual(given);
      org.reset();
      expect(snapshot(org)).toEqual(before);
      expect(org.journal.list(10)).toEqual([]);
      expect((await grant(org, 'integration@acme.com')).status).toBe(200);
      expect((await grant(org, 'unapproved@acme.com')).body).toBe('{"error":"invalid_grant","error_description":"user hasn\'t approved this consumer"}');
    }
    expect(world).toEqual(given);
  });

  it('a change made straight on an object the index handed out is undone too', () => {
    const { org } = testOrg();
    const before = snapshot(org);
    const app = org.index.app(APP) ?? expect.fail('no app');
    app.lastModified = new Date(NOW).toISOString();
    const user = org.index.userByUsername('integration@acme.com') ?? expect.fail('no user');
    user.approvedApps.length = 0;
    org.reset();
    expect(snapshot(org)).toEqual(before);
  });
});

describe('MockOrg with a big world', () => {
  // A full GC makes heapUsed the live heap; --expose-gc set at run time gives a context its gc().
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heapMb = () => {
    gc();
    return process.memoryUsage().heapUsed / 1_048_576;
  };

  it('keeps no copy of a 100,000-user world, and its reset copies none', () => {
    const base = heapMb();
    const world = generateWorld({ seed: 42, orgs: 1, usersPerOrg: 100_000, apps: 1, certificatePem: testKeys().certificatePem });
    const worldMb = heapMb() - base;
    // A sanity floor for the ceilings below: 100,000 users take tens of MB.
    expect(worldMb).toBeGreaterThan(20);
    const org = new MockOrg({ world, clock: frozenClock(NOW) });
    const withOrg = heapMb();
    // The index (three maps of positions, a list of pointers) but no copy of the users: a copy was
    // at least the world's size again (two of them before, about 3.5 times the world).
    expect(withOrg - base - worldMb).toBeLessThan(worldMb * 0.6);
    const last = world.users.at(-1) ?? expect.fail('no users');
    expect(SETUP_ACTIONS['user-state'](org, { username: last.username, frozen: true }).ok).toBe(true);
    expect(SETUP_ACTIONS['upload-certificate'](org, { app: world.apps[0]?.name ?? '', pem: secondPem }).ok).toBe(true);
    const beforeReset = heapMb();
    org.reset();
    // No GC between: what reset allocated is still counted, garbage or not. A copy of the world is
    // tens of MB however it is made; the user list reset copies is one pointer per user (0.8 MB).
    const allocated = process.memoryUsage().heapUsed / 1_048_576 - beforeReset;
    expect(allocated).toBeLessThan(worldMb * 0.25);
    expect(org.index.userByUsername(last.username)?.frozen).toBe(false);
    expect(org.index.certificates(org.index.world.apps[0] ?? expect.fail('no app'))).toHaveLength(1);
  });
});
