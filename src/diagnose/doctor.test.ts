/**
 * The doctor against the mock (HTTPS, strict: no trace header, so it sees only what a real org
 * shows): the right root cause for every broken setup of the default world, and for every
 * client-side mistake of the catalogue handed to it as a captured request.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOrg, type StartedMockOrg } from '../../mock-server/adapters/node-server.ts';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { NOW, otherPrivateKey, testKeys, testWorld } from '../../mock-server/testing/fixtures.ts';
import { catalogue, httpsTarget, isNegative, type Target } from '../runner/index.ts';
import { buildRequest } from '../client/build-request.ts';
import { fetchTrusting } from '../client/https-fetch.ts';
import { runDoctor, type DoctorInput } from './doctor.ts';

const dir = mkdtempSync(join(tmpdir(), 'sfjwt-doctor-'));
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

describe('the doctor on the default world\'s broken setups', () => {
  const otherKeyPem = () => Buffer.from(otherPrivateKey().export({ type: 'pkcs8', format: 'pem' }));
  it.each([
    ['a user who never approved the app', () => input({ username: 'unapproved@acme.com' }), 'app-access'],
    ['a profile the admin-approved app does not admit', () => input({ username: 'analyst@acme.com', consumerKey: key(DEFAULT_APPS.adminApproved) }), 'app-access'],
    ['an inactive user', () => input({ username: 'former.employee@acme.com' }), 'user-state'],
    ['a frozen user', () => input({ username: 'frozen@acme.com' }), 'user-state'],
    ['a locked org', () => input({ username: 'admin@initech.com' }), 'user-state'],
    ['an IP-restricted user', () => input({ username: 'remote@acme.com' }), 'ip-restriction'],
    ['a sandbox user sent to login', () => input({ username: 'integration@acme.com.uat' }), 'user'],
    ['an External Client App not installed in the sandbox', () => input({ loginUrl: mock.myDomain['acme-uat'] ?? '', username: 'integration@acme.com.uat', consumerKey: key(DEFAULT_APPS.externalClientApp), audience: mock.myDomain['acme-uat'] }), 'app-access'],
    ['a key whose certificate is not on the app (certificate given)', () => input({ key: { data: otherKeyPem(), source: 'other.key' }, certificate: { data: Buffer.from(testKeys().certificatePem), source: 'server.crt' } }), 'signature'],
    ['a key whose certificate is not on the app (no certificate given)', () => input({ key: { data: otherKeyPem(), source: 'other.key' } }), 'signature'],
    ['the sandbox audience at login', () => input({ audience: 'https://test.salesforce.com' }), 'audience'],
    ['the consumer secret as the client id', () => input({ consumerKey: world.apps[0]?.consumerSecret ?? '' }), 'issuer'],
    ['an unknown consumer key', () => input({ consumerKey: '3MVG9unknownKey' }), 'issuer'],
    ['the lightning host as the login URL', () => input({ loginUrl: mock.hosts['acme.lightning.force.com'] ?? '' }), 'host'],
    ['plain http', () => input({ loginUrl: plain.login, fetch: fetchTrusting(null) }), 'tls'],
  ] as const)('%s → %s', async (_name, make, check) => {
    const report = await runDoctor(make());
    expect(report.rootCause?.check).toBe(check);
    expect(report.rootCause?.fix).not.toBe('');
    expect(report.probes.length).toBeLessThanOrEqual(4);
  });

  it('a working setup: no root cause', async () => {
    const report = await runDoctor(input({}));
    expect(report).toMatchObject({ ok: true, rootCause: null, answer: '200 with an access token' });
  });

  it('sees a clock off by ten minutes in the server\'s Date header', async () => {
    const report = await runDoctor(input({ now: () => NOW - 600_000 }));
    expect(report.findings.find((f) => f.id === 'clock-skew')).toMatchObject({ severity: 'error', check: 'expiry' });
  });
});

/** Salesforce answers an unknown username exactly as an unapproved user: no probe tells them apart. */
const INDISTINGUISHABLE = new Set(['sub.typo', 'sub.email']);

describe('the doctor on every client-side mistake of the catalogue', () => {
  let target: Target;
  beforeAll(async () => {
    target = await httpsTarget({ world, privateKeyPem: testKeys().privateKeyPem, stateDir: dir });
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
      now: Date.now,
    });
    if (INDISTINGUISHABLE.has(s.id)) {
      expect(report.rootCause?.check).toBe('app-access');
      expect(report.rootCause?.alternatives).toContain(s.expect.decidedBy);
    } else expect(report.rootCause?.check).toBe(s.expect.decidedBy);
  });
});
