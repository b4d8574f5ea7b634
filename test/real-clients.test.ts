/**
 * Real Salesforce clients against the mock over HTTPS: jsforce 3 (`@jsforce/jsforce-node`) logs in
 * with the JWT Bearer flow from an assertion signed here, queries users and 2,500 generated
 * Accounts page by page, reads its limits, has its token revoked and logs in again; and
 * `@salesforce/core` (the sf CLI's core) makes an AuthInfo with its own JWT and queries through its
 * Connection. Both fall back to the real login.salesforce.com / test.salesforce.com on a failure,
 * so a loopback guard is installed before either loads: every look-up of another name and every
 * connection off 127.0.0.1 is refused and recorded, and the last test fails if there was one. The
 * clients reach the mock through node's https.globalAgent, which is made to trust the mock's CA
 * (the file runs in its own process, so the change stays here). A client that is not installed
 * skips its tests, saying so.
 */
import { createSign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../mock-server/adapters/node-server.ts';
import { frozenClock } from '../mock-server/core/clock.ts';
import { testStateDir } from '../mock-server/testing/fixtures.ts';
import { DEFAULT_APPS } from '../mock-server/world/default-world.ts';
import { prepareWorld } from '../mock-server/world/prepare.ts';
import type { World } from '../mock-server/world/schema.ts';
import { main } from '../src/cli/main.ts';
import { installLoopbackGuard, type Refusal, refusedAttempts } from './loopback-guard.ts';

installLoopbackGuard();

// @salesforce/core reads and may write ~/.sfdx and ~/.sf, and logs to a file there: a HOME of its
// own, set before it loads, keeps the real one untouched; restored when the file ends.
const home = mkdtempSync(join(tmpdir(), 'sfjwt-real-clients-home-'));
const ENV: Record<string, string> = {
  HOME: home,
  SF_DISABLE_LOG_FILE: 'true',
  SFDX_DISABLE_LOG_FILE: 'true',
  SF_DISABLE_TELEMETRY: 'true',
  SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  SFDX_USE_GENERIC_UNIX_KEYCHAIN: 'true',
};
const savedEnv = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
Object.assign(process.env, ENV);

async function load<T>(name: string, load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    console.log(`skipping the ${name} tests: ${name} cannot be loaded (${(error as Error).message})`);
    return null;
  }
}
const jsforce = await load('@jsforce/jsforce-node', () => import('@jsforce/jsforce-node'));
const sfCore = await load('@salesforce/core', () => import('@salesforce/core'));

const USERNAME = 'integration@acme.com';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
// The users of the acme org in the default world, as SOQL orders them by Username.
const ACME_USERS = [
  { Id: '0055g0000000003AAA', Username: 'analyst@acme.com' },
  { Id: '0055g0000000004AAA', Username: 'former.employee@acme.com' },
  { Id: '0055g0000000005AAA', Username: 'frozen@acme.com' },
  { Id: '0055g0000000001AAA', Username: 'integration@acme.com' },
  { Id: '0055g0000000006AAA', Username: 'remote@acme.com' },
  { Id: '0055g0000000002AAA', Username: 'unapproved@acme.com' },
];

let mock: StartedMockOrg;
let world: World;
let privateKeyPem: string;
let privateKeyFile: string;
let consumerKey: string;
const stateDir = testStateDir('sfjwt-real-clients-');
const startedAt = Date.now();
const previousDispatcher = getGlobalDispatcher();
// The refusals tests cause on purpose (each checks its own); the last test allows these and no other.
const deliberate: Refusal[] = [];
const previousCa = https.globalAgent.options.ca;

beforeAll(async () => {
  const prepared = prepareWorld({ stateDir });
  if (prepared.appKey === undefined) throw new Error('the default world comes with its app key');
  world = { ...prepared.world, objects: { Account: { fields: { Name: 'string' }, records: [], generate: { count: 2500, seed: 7 } } } };
  privateKeyPem = prepared.appKey.privateKeyPem;
  privateKeyFile = join(home, 'server.key');
  writeFileSync(privateKeyFile, privateKeyPem, { mode: 0o600 });
  const app = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized);
  if (app === undefined) throw new Error(`the default world has the app ${DEFAULT_APPS.selfAuthorized}`);
  consumerKey = app.consumerKey;
  // The integration's own Apex REST service, as a fixtures folder.
  const fixtures = join(home, 'fixtures');
  mkdirSync(join(fixtures, 'services', 'apexrest', 'orders'), { recursive: true });
  writeFileSync(join(fixtures, 'services', 'apexrest', 'orders', 'GET.json'), '[{"id":"A-1","total":12.5}]');
  mock = await startMockOrg({ world, port: 0, stateDir, fixtures, clock: frozenClock(startedAt), knobs: { loginRatePerHour: null } });
  const ca = mock.caPem;
  if (ca === null) throw new Error('the mock serves HTTPS');
  // node-fetch (jsforce) uses https.globalAgent; fetch and undici use the global dispatcher.
  https.globalAgent.options.ca = ca;
  setGlobalDispatcher(new Agent({ connect: { ca } }));
});

afterAll(async () => {
  await mock?.close();
  https.globalAgent.options.ca = previousCa;
  setGlobalDispatcher(previousDispatcher);
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(home, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** A JWT Bearer assertion as jsforce's documentation has the caller make it, signed with node:crypto. */
function assertion(jti: string): string {
  const now = Math.floor(startedAt / 1000);
  const input = `${b64url(JSON.stringify({ alg: 'RS256' }))}.${b64url(JSON.stringify({ iss: consumerKey, sub: USERNAME, aud: 'https://login.salesforce.com', iat: now, exp: now + 300, jti }))}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKeyPem, 'base64url')}`;
}

describe.skipIf(jsforce === null)('jsforce 3 (@jsforce/jsforce-node 3.10.16)', () => {
  type Conn = InstanceType<NonNullable<typeof jsforce>['Connection']>;
  let conn: Conn;

  async function login(jti: string): Promise<Conn> {
    const c = new (jsforce as NonNullable<typeof jsforce>).Connection({ loginUrl: mock.login });
    const info = await c.authorize({ grant_type: JWT_BEARER, assertion: assertion(jti) });
    expect(info).toMatchObject({ id: '0055g0000000001AAA', organizationId: '00D5g0000000001EAA' });
    return c;
  }

  it('logs in with the JWT Bearer flow and queries the users of its org', async () => {
    conn = await login('first');
    expect(conn.instanceUrl).toBe(mock.myDomain.acme);
    const result = await conn.query<{ Id: string; Username: string }>('SELECT Id, Username FROM User ORDER BY Username');
    expect(result.totalSize).toBe(6);
    expect(result.done).toBe(true);
    expect(result.records.map(({ Id, Username }) => ({ Id, Username }))).toEqual(ACME_USERS);
  });

  it('fetches 2,500 Accounts page by page, each once', async () => {
    const result = await conn.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Account').run({ autoFetch: true, maxFetch: 5000 });
    expect(result.totalSize).toBe(2500);
    expect(result.done).toBe(true);
    expect(result.records).toHaveLength(2500);
    expect(new Set(result.records.map((r) => r.Id)).size).toBe(2500);
    // The first page of 2,000 came with the query; the rest took one queryMore (GET of its nextRecordsUrl).
    const more = mock.org.journal.list().filter((e) => e.kind === 'rest' && /\/query\/[^/?]+$/.test(e.request.path));
    expect(more.map((e) => [e.request.method, e.response.status])).toEqual([['GET', 200]]);
  });

  it('reads its limits: DailyApiRequests.Remaining goes down between two calls', async () => {
    const first = (await conn.limits()).DailyApiRequests;
    const second = (await conn.limits()).DailyApiRequests;
    // Developer Edition's allocation (the dailyApiRequests knob's default), less the four calls so far:
    // the users query, the Accounts' first page and queryMore, and this /limits call itself.
    expect(first).toEqual({ Max: 15_000, Remaining: 14_996 });
    expect(second).toEqual({ Max: 15_000, Remaining: 14_995 });
  });

  it('after its token is revoked a query fails with INVALID_SESSION_ID, and a new JWT login works', async () => {
    await conn.oauth2.revokeToken(conn.accessToken as string);
    const failure = await conn.query('SELECT Id FROM User').then(
      () => null,
      (error: Error & { errorCode?: string }) => error,
    );
    expect(failure?.errorCode).toBe('INVALID_SESSION_ID');
    expect(failure?.message).toBe('Session expired or invalid');
    conn = await login('again');
    const result = await conn.query<{ Id: string }>('SELECT Id FROM User ORDER BY Username');
    expect(result.records.map((r) => r.Id)).toEqual(ACME_USERS.map((u) => u.Id));
  });

  it("calls the integration's own Apex REST service (a fixture) through conn.apex, behind the session", async () => {
    expect(await conn.apex.get('/orders')).toEqual([{ id: 'A-1', total: 12.5 }]);
    const missing = await conn.apex.get('/nothing').then(
      () => null,
      (error: Error & { errorCode?: string }) => error,
    );
    expect([missing?.errorCode, missing?.message]).toEqual(['NOT_FOUND', 'Could not find a match for URL']);
  });
});

describe.skipIf(sfCore === null)('@salesforce/core 8.28.0', () => {
  it('AuthInfo.create with a JWT (privateKeyFile) logs in, and its Connection queries', async () => {
    const { AuthInfo, Connection } = sfCore as NonNullable<typeof sfCore>;
    const authInfo = await AuthInfo.create({ username: USERNAME, oauth2Options: { clientId: consumerKey, loginUrl: mock.login, privateKeyFile } });
    expect(authInfo.getFields()).toMatchObject({ username: USERNAME, orgId: '00D5g0000000001EAA', instanceUrl: mock.myDomain.acme, loginUrl: mock.login, clientId: consumerKey });
    const conn = await Connection.create({ authInfo });
    const result = await conn.query<{ Id: string }>('SELECT Id FROM User ORDER BY Username');
    expect(result.records.map((r) => r.Id)).toEqual(ACME_USERS.map((u) => u.Id));
  });

  it("doctor --evidence sf:<alias> reads the org's evidence with the login the sf CLI stored, and confirms the cause", async () => {
    const { AuthInfo, StateAggregator } = sfCore as NonNullable<typeof sfCore>;
    // As `sf org login jwt --alias acme-admin` leaves it: the auth file in ~/.sfdx (token encrypted with the keychain) and the alias.
    const authInfo = await AuthInfo.create({ username: USERNAME });
    await authInfo.save();
    const state = await StateAggregator.getInstance();
    await state.aliases.setAndSave('acme-admin', USERNAME);
    const caFile = join(home, 'mock-ca.crt');
    writeFileSync(caFile, mock.caPem ?? '');
    let stdout = '';
    let stderr = '';
    const code = await main(
      ['doctor', '--login', mock.login, '--client-id', consumerKey, '--username', 'nobody@acme.com', '--key', privateKeyFile, '--ca', caFile, '--evidence', 'sf:acme-admin', '--json'],
      { stdout: { write: (c) => ((stdout += c), true) }, stderr: { write: (c) => ((stderr += c), true) }, env: { ...process.env, NO_COLOR: '1' }, now: () => startedAt },
    );
    expect([code, stderr]).toEqual([1, '']);
    const report = JSON.parse(stdout) as { rootCause: { check: string; confidence: string; evidence: string[] }; evidence: { source: string; queries: unknown[] } };
    expect(report.evidence.source).toBe(`the sf CLI's login acme-admin (${USERNAME}) at ${mock.myDomain.acme}`);
    expect(report.rootCause).toMatchObject({ check: 'user', confidence: 'confirmed' });
    expect(report.rootCause.evidence).toContain('the org: no user has the username nobody@acme.com');
    expect(stdout).not.toContain(authInfo.getFields(true).accessToken ?? 'no token');
  });

  it('a JWT login the mock refuses falls back to the real login hosts, and the guard refuses both', async () => {
    const { AuthInfo } = sfCore as NonNullable<typeof sfCore>;
    const before = refusedAttempts().length;
    // Another user: the AuthInfo made above stays in @salesforce/core's memory, and a second one for it is refused (AuthInfoOverwriteError).
    const failure = await AuthInfo.create({ username: 'analyst@acme.com', oauth2Options: { clientId: '3MVG9noSuchApp', loginUrl: mock.login, privateKeyFile } }).then(
      () => null,
      (error: Error) => error,
    );
    const refusal = (host: string) => `request to https://${host}/services/oauth2/token failed, reason: loopback guard: connect ${host}:443 refused (nothing may leave 127.0.0.1)`;
    // The order of getLoginAudienceCombos: (mock, mock), (test, test), (login, login), (mock, login aud), (mock, test aud).
    expect(failure?.name).toBe('JwtAuthError');
    expect(failure?.message).toBe(
      [
        'Error authenticating with JWT.',
        'Errors encountered:',
        'client identifier invalid',
        refusal('test.salesforce.com'),
        refusal('login.salesforce.com'),
        'client identifier invalid',
        'client identifier invalid',
      ].join('\n'),
    );
    const tried: Refusal[] = [
      { kind: 'connect', host: 'test.salesforce.com', port: 443 },
      { kind: 'connect', host: 'login.salesforce.com', port: 443 },
    ];
    expect(refusedAttempts().slice(before)).toEqual(tried);
    deliberate.push(...tried);
  });
});

describe('the loopback guard', () => {
  const OWN: Refusal[] = [
    { kind: 'lookup', host: 'login.salesforce.com' },
    { kind: 'connect', host: '192.0.2.1', port: 443 },
  ];

  it('refuses a look-up of a real host and a connection off loopback', async () => {
    const before = refusedAttempts().length;
    const { promises } = await import('node:dns');
    await expect(promises.lookup('login.salesforce.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    const { connect } = await import('node:net');
    const socket = connect(443, '192.0.2.1');
    await expect(new Promise((_, reject) => socket.once('error', reject))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(refusedAttempts().slice(before)).toEqual(OWN);
    deliberate.push(...OWN);
  });

  // Last in the file: any client that fell back to a real host while the tests above ran shows here.
  it('refused nothing else: no client tried to leave loopback', () => {
    expect(refusedAttempts()).toEqual(deliberate);
  });
});
