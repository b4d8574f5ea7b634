/**
 * The doctor with the org's own evidence, against the mock over HTTPS (strict, time frozen): for each
 * broken setup of the default world, the root cause the org's records confirm, with the record
 * quoted, including the two causes Salesforce answers with the same words (a username it does not
 * know, a user who never approved the app: `user hasn't approved this consumer`). The evidence is
 * read through the mock's admin API (`GET /__sfjwt/query`) and, as for a real org, through an access
 * token on the REST API. Without evidence the cause stays inferred and names the query to confirm it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { formBody, goodClaims, JWT_GRANT, NOW, otherPrivateKey, signAssertion, testKeys, testStateDir, testWorld } from '../../mock-server/testing/fixtures.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { buildRequest } from '../client/build-request.ts';
import { fetchTrusting } from '../client/https-fetch.ts';
import { catalogue, httpsTarget, isNegative, type Target } from '../runner/index.ts';
import { type DoctorInput, runDoctor } from './doctor.ts';
import { checkOfLoginStatus, confirmingQuery, gatherEvidence, mockEvidenceSource, restEvidenceSource, soqlString, weighEvidence, withoutEvidence } from './evidence.ts';

const dir = testStateDir('sfjwt-evidence-');
const world = testWorld();
const key = (a: string = DEFAULT_APPS.selfAuthorized) => world.apps.find((x) => x.name === a)?.consumerKey ?? '';
let mock: StartedMockOrg;

beforeAll(async () => {
  mock = await startMockOrg({ world, clock: frozenClock(NOW), strict: true, stateDir: dir });
});
afterAll(async () => mock.close());

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

async function diagnose(over: Partial<DoctorInput>) {
  const i = input(over);
  const report = await runDoctor(i);
  const evidence = await gatherEvidence(mockEvidenceSource({ admin: mock.admin, fetch: i.fetch, user: i.username }), { username: i.username, at: NOW, consumerKey: i.consumerKey });
  return { inferred: report.rootCause, weighed: weighEvidence(report, evidence, { username: i.username }) };
}

describe('confirmed by the org: every broken setup of the default world', () => {
  const otherKey = () => Buffer.from(otherPrivateKey().export({ type: 'pkcs8', format: 'pem' }));
  it.each<[string, Partial<DoctorInput>, string, string, string]>([
    ['a username the org does not know', { username: 'nobody@acme.com' }, 'user', 'The username is not a user of this org', 'the org: no user has the username nobody@acme.com'],
    [
      'the e-mail address where the username goes',
      { username: world.users[0]?.email ?? '' },
      'user',
      'The username is not a user of this org',
      `the org: ${world.users[0]?.email ?? ''} is the e-mail address of integration@acme.com`,
    ],
    [
      'a user who never approved the app',
      { username: 'unapproved@acme.com' },
      'app-access',
      'The user has never approved the app',
      'the org: unapproved@acme.com has no OAuth token of Acme Integration',
    ],
    [
      'a profile the admin-approved app does not admit',
      { username: 'analyst@acme.com', consumerKey: key(DEFAULT_APPS.adminApproved) },
      'app-access',
      'The app admits neither the user’s profile nor any of the user’s permission sets',
      `the org: ${DEFAULT_APPS.adminApproved}: admin approved users are pre-authorized`,
    ],
    [
      'an inactive user',
      { username: 'former.employee@acme.com' },
      'user-state',
      'The user or the org is not active',
      `the org: Login History at 2026-03-01T12:00:00.000+0000: "User is inactive" (${DEFAULT_APPS.selfAuthorized})`,
    ],
    [
      'a frozen user',
      { username: 'frozen@acme.com' },
      'user-state',
      'The user or the org is not active',
      `the org: Login History at 2026-03-01T12:00:00.000+0000: "User is frozen" (${DEFAULT_APPS.selfAuthorized})`,
    ],
    [
      'an IP-restricted user',
      { username: 'remote@acme.com' },
      'ip-restriction',
      "The caller is outside the profile's login IP ranges or hours",
      `the org: Login History at 2026-03-01T12:00:00.000+0000: "Restricted IP" (${DEFAULT_APPS.selfAuthorized})`,
    ],
    [
      'a key that is not the certificate’s',
      { key: { data: otherKey(), source: 'other.key' } },
      'signature',
      "The signature does not verify with the app's certificate",
      `the org: Login History at 2026-03-01T12:00:00.000+0000: "Failed: Signature Invalid" (${DEFAULT_APPS.selfAuthorized})`,
    ],
    [
      'a locked org',
      { username: 'admin@initech.com' },
      'user-state',
      'The user or the org is not active',
      'the org: Login History at 2026-03-01T12:00:00.000+0000: "Organization is inactive" (Acme Integration)',
    ],
    [
      'a sandbox user sent to the production login',
      { username: 'integration@acme.com.uat' },
      'user',
      'The username is not a user of this org',
      'the org: no user has the username integration@acme.com.uat',
    ],
  ])('%s', async (_name, over, check, title, quote) => {
    const { weighed } = await diagnose(over);
    expect(weighed.rootCause).toMatchObject({ check, title, confidence: 'confirmed' });
    expect(weighed.rootCause?.evidence).toContain(quote);
    expect(weighed.evidence?.queries.length).toBeLessThanOrEqual(8);
    expect(weighed.evidence?.source).toBe(`the mock's admin API at ${mock.admin}`);
  });

  it('tells apart the two causes Salesforce answers with the same words', async () => {
    const unknown = await diagnose({ username: 'nobody@acme.com' });
    const unapproved = await diagnose({ username: 'unapproved@acme.com' });
    // On the wire: the same answer, the same inferred cause with the other as an alternative.
    expect([unknown.inferred?.check, unapproved.inferred?.check]).toEqual(['app-access', 'app-access']);
    expect(unknown.inferred?.alternatives).toEqual(['user']);
    // In the org: a different confirmed cause each, and nothing else left possible.
    expect([unknown.weighed.rootCause?.check, unapproved.weighed.rootCause?.check]).toEqual(['user', 'app-access']);
    expect([unknown.weighed.rootCause?.alternatives, unapproved.weighed.rootCause?.alternatives]).toEqual([[], []]);
  });

  it('lists each query with what it showed, bounded', async () => {
    const { weighed } = await diagnose({ username: 'unapproved@acme.com' });
    expect(weighed.evidence?.queries.map((q) => [q.purpose, q.showed])).toEqual([
      ['Does a user have this username?', 'user 0055g0000000002AAA, active, profile Standard User'],
      ['What did Login History record for the attempt?', 'no login of the user in the ten minutes before the attempt'],
      ['Is the user frozen?', 'not frozen'],
      ["Which permission sets (the profile's included) does the user hold?", 'Standard User'],
      ['Which connected apps are there, with their policy?', expect.stringContaining(`${DEFAULT_APPS.selfAuthorized} (all users may self-authorize)`)],
      ["Which apps admit the user's profile or permission sets?", 'none'],
      ['Which apps has the user approved (OAuth tokens)?', 'none'],
    ]);
  });

  it('a working setup stays working; the evidence changes nothing', async () => {
    const { weighed } = await diagnose({});
    expect([weighed.ok, weighed.rootCause]).toEqual([true, null]);
  });
});

describe('confirmed by the org: every client-side mistake of the catalogue that reaches the wire', () => {
  let target: Target;
  beforeAll(async () => {
    target = await httpsTarget({ world, privateKeyPem: testKeys().privateKeyPem, stateDir: dir, clock: frozenClock(NOW) });
  });
  afterAll(async () => target.close());
  const clientSide = catalogue().filter((s) => isNegative(s) && s.mock === undefined && s.as.user === 'default' && s.as.app === 'default' && s.runsOn.includes('mock-https'));
  // What Login History records for the default user (Salesforce's status vocabulary), or, for a username the org does not have, the User query.
  const CONFIRMED_BY: Record<string, string> = { 'sub.typo': 'no user', 'sub.email': 'no user', 'sub.user-id': 'no user' };

  it.each(clientSide.map((s) => [s.id, s] as const))('%s', async (_id, s) => {
    await target.prepare(s);
    const ctx = target.context(s);
    if ('skip' in ctx) throw new Error(ctx.skip);
    const r = buildRequest(ctx, s.mistakes);
    const i: DoctorInput = {
      loginUrl: ctx.hostUrl(s.as.host) ?? '',
      consumerKey: ctx.consumerKey,
      username: ctx.username,
      key: { data: Buffer.from(testKeys().privateKeyPem), source: 'server.key' },
      hosts: { login: ctx.hostUrl('login'), test: ctx.hostUrl('test') },
      request: { method: r.method, url: r.url, headers: r.headers, body: r.body },
      fetch: target.fetch,
      now: () => NOW,
    };
    const report = await runDoctor(i);
    const sub = typeof r.claims?.['sub'] === 'string' ? (r.claims['sub'] as string) : ctx.username;
    const evidence = await gatherEvidence(mockEvidenceSource({ admin: `${ctx.hostUrl('login') ?? ''}/__sfjwt`, fetch: target.fetch, user: sub }), {
      username: sub,
      at: NOW,
      consumerKey: ctx.consumerKey,
    });
    const weighed = weighEvidence(report, evidence, { username: sub }).rootCause;
    const expected = CONFIRMED_BY[s.id] === 'no user' ? 'user' : s.expect.decidedBy;
    expect(weighed?.check).toBe(expected);
    const status = evidence.facts.attempt?.status;
    const confirmed = CONFIRMED_BY[s.id] !== undefined || (status !== undefined && status !== 'Success');
    expect(weighed?.confidence).toBe(confirmed ? 'confirmed' : 'inferred');
  });
});

describe('through an access token on the REST API, as against a real org', () => {
  it('confirms the unknown username with the same queries', async () => {
    const https = fetchTrusting(mock.caPem);
    const res = await https(`${mock.login}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(world) }) }),
    });
    const { access_token, instance_url } = (await res.json()) as { access_token: string; instance_url: string };
    const i = input({ username: 'nobody@acme.com' });
    const report = await runDoctor(i);
    const evidence = await gatherEvidence(restEvidenceSource({ instanceUrl: instance_url, accessToken: access_token, fetch: https }), { username: i.username, at: NOW });
    expect(evidence.source).toBe(`an access token for ${instance_url}`);
    expect(weighEvidence(report, evidence, { username: i.username }).rootCause).toMatchObject({ check: 'user', confidence: 'confirmed' });
  });

  it('a token the org refuses: each query says so, and the cause stays inferred', async () => {
    const i = input({ username: 'nobody@acme.com' });
    const report = await runDoctor(i);
    const evidence = await gatherEvidence(restEvidenceSource({ instanceUrl: mock.myDomain['acme'] ?? '', accessToken: 'expired', fetch: i.fetch }), { username: i.username, at: NOW });
    expect(evidence.queries).toEqual([
      {
        purpose: 'Does a user have this username?',
        soql: "SELECT Id, Username, IsActive, Profile.Name FROM User WHERE Username = 'nobody@acme.com'",
        showed: 'refused: 401 INVALID_SESSION_ID: Session expired or invalid',
      },
    ]);
    expect(weighEvidence(report, evidence, { username: i.username }).rootCause).toMatchObject({ check: 'app-access', confidence: 'inferred' });
  });
});

describe('without evidence', () => {
  it.each<[string, string]>([
    ['user', "SELECT Id, IsActive FROM User WHERE Username = 'o\\'brien@acme.com'"],
    ['app-access', "SELECT AppName, UseCount FROM OauthToken WHERE User.Username = 'o\\'brien@acme.com'"],
    ['user-state', "SELECT IsFrozen FROM UserLogin WHERE User.Username = 'o\\'brien@acme.com'"],
    ['signature', "SELECT LoginTime, Status, Application FROM LoginHistory WHERE UserId = '<the user's Id>' ORDER BY LoginTime DESC LIMIT 5"],
  ])('a %s cause names the single query that would confirm it', (check, soql) => {
    expect(confirmingQuery(check as never, "o'brien@acme.com")?.soql).toBe(soql);
  });

  it('marks the cause inferred and carries the query', async () => {
    const i = input({ username: 'nobody@acme.com' });
    const report = withoutEvidence(await runDoctor(i), i.username);
    expect(report.rootCause).toMatchObject({
      check: 'app-access',
      confidence: 'inferred',
      alternatives: ['user'],
      confirmWith: { soql: "SELECT AppName, UseCount FROM OauthToken WHERE User.Username = 'nobody@acme.com'" },
    });
  });

  it('has no query for what no org record shows (a consumer key the org does not know)', () => {
    expect(confirmingQuery('issuer', 'u@acme.com')).toBeUndefined();
  });
});

describe('pieces', () => {
  it.each([
    ['Failed: Signature Invalid', 'signature'],
    ['Failed: Audience Invalid', 'audience'],
    ['Failed: Assertion Expired', 'expiry'],
    ['User is frozen', 'user-state'],
    ['User is inactive', 'user-state'],
    ['Restricted IP', 'ip-restriction'],
    ['Login rate exceeded', 'rate-limit'],
    ['Success', undefined],
  ])('Login History "%s" speaks for %s', (status, check) => {
    expect(checkOfLoginStatus(status)).toBe(check);
  });

  it('escapes SOQL string literals', () => {
    expect(soqlString("o'brien\\x")).toBe("'o\\'brien\\\\x'");
  });
});
