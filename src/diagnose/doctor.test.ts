/**
 * The doctor against the mock (HTTPS, strict: no trace header, so it sees only what a real org
 * shows): the right root cause for every broken setup of the default world, and for every
 * client-side mistake of the catalogue handed to it as a captured request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { ecPrivateKey, NOW, otherPrivateKey, testKeys, testStateDir, testWorld } from '../../mock-server/testing/fixtures.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { buildRequest } from '../client/build-request.ts';
import { fetchTrusting } from '../client/https-fetch.ts';
import { catalogue, httpsTarget, isNegative, type Target } from '../runner/index.ts';
import { type DoctorInput, runDoctor } from './doctor.ts';

const dir = testStateDir('sfjwt-doctor-');
const world = testWorld();
const key = (a: string = DEFAULT_APPS.selfAuthorized) => world.apps.find((x) => x.name === a)?.consumerKey ?? '';
let mock: StartedMockOrg;
let plain: StartedMockOrg;

beforeAll(async () => {
  mock = await startMockOrg({ world, clock: frozenClock(NOW), strict: true, stateDir: dir });
  plain = await startMockOrg({ world, clock: frozenClock(NOW), strict: true, stateDir: dir, tls: false, knobs: { requireTls: true } });
});
afterAll(async () => {
  await mock.close();
  await plain.close();
});

const input = (over: Partial<DoctorInput>): DoctorInput => ({
  loginUrl: mock.login,
  consumerKey: key(),
  username: 'integration@acme.com',
  key: { data: Buffer.from(testKeys().privateKeyPem), source: 'server.key' },
  hosts: { login: mock.login, test: mock.test },
  fetch: fetchTrusting(mock.caPem),
  now: () => NOW,
  ...over,
});

describe("the doctor on the default world's broken setups", () => {
  const otherKeyPem = () => Buffer.from(otherPrivateKey().export({ type: 'pkcs8', format: 'pem' }));
  // Each row: the broken setup, the check the doctor must name, the fix it must give, and how many
  // extra token requests (probes) it needed to tell.
  it.each([
    ['a user who never approved the app', () => input({ username: 'unapproved@acme.com' }), 'app-access', /^Self-authorize apps: approve once as the user /, 1],
    [
      'a profile the admin-approved app does not admit',
      () => input({ username: 'analyst@acme.com', consumerKey: key(DEFAULT_APPS.adminApproved) }),
      'app-access',
      /Admin-approved apps: Setup > App Manager > \(app\) > Manage > Profiles or Permission Sets\./,
      0,
    ],
    ['an inactive user', () => input({ username: 'former.employee@acme.com' }), 'user-state', /^Reactivate or unfreeze the user \(Setup > Users\)/, 0],
    ['a frozen user', () => input({ username: 'frozen@acme.com' }), 'user-state', /^Reactivate or unfreeze the user \(Setup > Users\)/, 0],
    ['a locked org', () => input({ username: 'admin@initech.com' }), 'user-state', /a locked org needs its admin or Salesforce support\.$/, 0],
    ['an IP-restricted user', () => input({ username: 'remote@acme.com' }), 'ip-restriction', /^Add the caller's IP to the profile's Login IP Ranges/, 0],
    // The username's sandbox suffix says it before any probe (the setup lint username-sandbox-at-production).
    [
      'a sandbox user sent to login',
      () => input({ username: 'integration@acme.com.uat' }),
      'user',
      /^Log integration@acme\.com\.uat in at https:\/\/127\.0\.0\.1:\d+ with aud https:\/\/test\.salesforce\.com\.$/,
      0,
    ],
    [
      'an External Client App not installed in the sandbox',
      () => input({ loginUrl: mock.myDomain['acme-uat'] ?? '', username: 'integration@acme.com.uat', consumerKey: key(DEFAULT_APPS.externalClientApp), audience: mock.myDomain['acme-uat'] }),
      'app-access',
      /External Client Apps: install the app in this org\.$/,
      0,
    ],
    [
      'a key whose certificate is not on the app (certificate given)',
      () => input({ key: { data: otherKeyPem(), source: 'other.key' }, certificate: { data: Buffer.from(testKeys().certificatePem), source: 'server.crt' } }),
      'signature',
      /Upload the certificate made from this key \(openssl req -new -x509 -key server\.key\)/,
      0,
    ],
    [
      'a key whose certificate is not on the app (no certificate given)',
      () => input({ key: { data: otherKeyPem(), source: 'other.key' } }),
      'signature',
      /^Upload the certificate made from the key you sign with/,
      0,
    ],
    ['the sandbox audience at login', () => input({ audience: 'https://test.salesforce.com' }), 'audience', /^Set aud to https:\/\/login\.salesforce\.com\.$/, 1],
    ['the consumer secret as the client id', () => input({ consumerKey: world.apps[0]?.consumerSecret ?? '' }), 'issuer', /^Use the consumer key \(3MVG9…\), not the secret, as iss/, 0],
    ['an unknown consumer key', () => input({ consumerKey: '3MVG9unknownKey' }), 'issuer', /^Copy the consumer key from Setup > App Manager > \(app\) > View > Manage Consumer Details/, 0],
    ['the lightning host as the login URL', () => input({ loginUrl: mock.hosts['acme.lightning.force.com'] ?? '' }), 'host', /^Post to the My Domain host/, 0],
    ['plain http', () => input({ loginUrl: plain.login, fetch: fetchTrusting(null) }), 'tls', /^Use https:\/\/\.$/, 0],
    // The user's EC key still signs a request (ES256 bytes under an RS256 header), so Salesforce's answer is seen.
    [
      'an EC key (Salesforce verifies RS256 only)',
      () => input({ key: { data: Buffer.from(ecPrivateKey().export({ type: 'pkcs8', format: 'pem' })), source: 'ec.key' } }),
      'alg',
      /^Salesforce accepts RS256 only \(ECDSA is not accepted\)/,
      0,
    ],
  ] as const)('%s → %s', async (_name, make, check, fix, probes) => {
    const report = await runDoctor(make());
    expect(report.rootCause?.check).toBe(check);
    expect(report.rootCause?.fix).toMatch(fix);
    expect(report.probes).toHaveLength(probes);
  });

  it('a working setup: no root cause', async () => {
    const report = await runDoctor(input({}));
    expect(report).toMatchObject({ ok: true, rootCause: null, answer: '200 with an access token' });
  });

  it("sees a clock off by ten minutes in the server's Date header", async () => {
    const report = await runDoctor(input({ now: () => NOW - 600_000 }));
    expect(report.findings.find((f) => f.id === 'clock-skew')).toMatchObject({ severity: 'error', check: 'expiry' });
  });
});

/** Salesforce answers an unknown username exactly as an unapproved user: no probe tells them apart. */
const INDISTINGUISHABLE = new Set(['sub.typo', 'sub.email']);

describe('the doctor on every client-side mistake of the catalogue', () => {
  let target: Target;
  beforeAll(async () => {
    target = await httpsTarget({ world, privateKeyPem: testKeys().privateKeyPem, stateDir: dir, clock: frozenClock(NOW) });
  });
  afterAll(async () => target.close());
  const clientSide = catalogue().filter((s) => isNegative(s) && s.mock === undefined && s.as.user === 'default' && s.as.app === 'default' && s.runsOn.includes('mock-https'));

  it.each(clientSide.map((s) => [s.id, s] as const))('%s', async (_id, s) => {
    await target.prepare(s);
    const ctx = target.context(s);
    if ('skip' in ctx) throw new Error(ctx.skip);
    const r = buildRequest(ctx, s.mistakes);
    const report = await runDoctor({
      loginUrl: ctx.hostUrl(s.as.host) ?? '',
      consumerKey: ctx.consumerKey,
      username: ctx.username,
      key: { data: Buffer.from(testKeys().privateKeyPem), source: 'server.key' },
      hosts: { login: ctx.hostUrl('login'), test: ctx.hostUrl('test') },
      request: { method: r.method, url: r.url, headers: r.headers, body: r.body },
      fetch: target.fetch,
      now: () => NOW,
    });
    if (INDISTINGUISHABLE.has(s.id)) {
      expect(report.rootCause?.check).toBe('app-access');
      expect(report.rootCause?.alternatives).toContain(s.expect.decidedBy);
    } else expect(report.rootCause?.check).toBe(s.expect.decidedBy);
  });
});
