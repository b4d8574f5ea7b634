/**
 * The REST API surface past the token, as Salesforce answers it: the public version list, retired
 * (410) and unknown (404) versions, Resources by Version, Limits with the DailyApiRequests counter
 * that every authenticated call moves, Sforce-Limit-Info, REQUEST_LIMIT_EXCEEDED once spent, and the
 * identity service's version placeholder and formats. In process through MockOrg.handle with time
 * frozen, and one row of each over HTTPS. Salesforce's bytes are written out here, not derived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FetchLike, fetchTrusting } from '../../src/client/https-fetch.ts';
import { type StartedMockOrg, startMockOrg } from '../adapters/node-server.ts';
import { formBody, goodClaims, JWT_GRANT, NOW, signAssertion, testOrg, testStateDir, testWorld, tokenRequest } from '../testing/fixtures.ts';
import { frozenClock } from './clock.ts';
import type { MockOrg } from './mock-org.ts';
import { limitInfo, setApiRequestsUsed } from './rest/api-usage.ts';

const ctx = (host: string) => ({ host, secure: true, clientIp: '127.0.0.1', urls: { baseUrl: (h: string) => `https://${h}`, origins: (h: string) => [`https://${h}`] } });
const LOGIN = ctx('login.salesforce.com');
const ACME = 'https://acme.my.salesforce.com';
const NOT_FOUND = '[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]';
const INVALID_SESSION = '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]';
const LIMIT_EXCEEDED = '[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]';
const GONE = '[{"errorCode":"GONE","message":"The requested API version has been retired and is no longer available"}]';

async function tokenOf(org: MockOrg): Promise<{ access_token: string; id: string }> {
  const res = await org.handle(
    tokenRequest('https://login.salesforce.com/services/oauth2/token', formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(org.index.world) }) })),
    LOGIN,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; id: string };
}

async function get(org: MockOrg, url: string, headers: Record<string, string> = {}) {
  const u = new URL(url);
  const res = await org.handle(new Request(url, { headers }), ctx(u.host));
  return { status: res.status, headers: res.headers, body: await res.text() };
}

async function session() {
  const { org } = testOrg();
  const token = await tokenOf(org);
  return { org, token, auth: { Authorization: `Bearer ${token.access_token}` } };
}

describe('versions', () => {
  it.each([
    ['the list, no token', '/services/data/', false, 200, null],
    ['a retired version, no token', '/services/data/v30.0/limits', false, 410, GONE],
    ['a retired version, a good token', '/services/data/v21.0/', true, 410, GONE],
    ["the first version retired in Summer '22", '/services/data/v7.0/', true, 410, GONE],
    ['a version that never was (6.0)', '/services/data/v6.0/', true, 404, NOT_FOUND],
    ['a version not yet released (v99.0)', '/services/data/v99.0/', true, 404, NOT_FOUND],
    ['v99.0 without a token', '/services/data/v99.0/', false, 401, INVALID_SESSION],
    ['"latest" (no such alias under /services/data)', '/services/data/latest', true, 404, NOT_FOUND],
    ['the oldest served version', '/services/data/v31.0/limits', true, 200, null],
  ] as const)('%s: %s -> %i', async (_n, path, withToken, status, body) => {
    const { org, auth } = await session();
    const res = await get(org, `${ACME}${path}`, withToken ? auth : {});
    expect(res.status).toBe(status);
    if (body !== null) expect(res.body).toBe(body);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  });

  it("the version list is exact: oldest 31.0 (Summer '14) to 68.0 (Winter '27), no Sforce-Limit-Info", async () => {
    const { org } = await session();
    const res = await get(org, `${ACME}/services/data/`);
    expect(res.body.startsWith(`[{"label":"Summer '14","url":"/services/data/v31.0","version":"31.0"},{"label":"Winter '15","url":"/services/data/v32.0","version":"32.0"},`)).toBe(true);
    expect(res.body.endsWith(`{"label":"Summer '26","url":"/services/data/v67.0","version":"67.0"},{"label":"Winter '27","url":"/services/data/v68.0","version":"68.0"}]`)).toBe(true);
    expect((JSON.parse(res.body) as unknown[]).length).toBe(38);
    expect(res.headers.get('sforce-limit-info')).toBeNull();
  });

  it("retiredApiVersionsUpTo moves the line: 40 retires 31.0-40.0 (Summer '28)", async () => {
    const { org, auth } = await session();
    org.setKnobs({ retiredApiVersionsUpTo: 40 });
    expect((await get(org, `${ACME}/services/data/v40.0/`, auth)).status).toBe(410);
    expect((await get(org, `${ACME}/services/data/v41.0/`, auth)).status).toBe(200);
    expect((await get(org, `${ACME}/services/data/`)).body.startsWith(`[{"label":"Winter '18","url":"/services/data/v41.0","version":"41.0"},`)).toBe(true);
  });
});

describe('resources by version', () => {
  it("GET /services/data/v68.0/: the documented keys in order, each a URL, identity the caller's id URL", async () => {
    const { org, auth } = await session();
    const res = await get(org, `${ACME}/services/data/v68.0/`, auth);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as Record<string, string>;
    expect(Object.keys(body).slice(0, 4)).toEqual(['tooling', 'metadata', 'eclair', 'folders']);
    for (const k of ['sobjects', 'query', 'queryAll', 'limits', 'search', 'composite', 'recent', 'ui-api']) expect(body[k]).toBe(`/services/data/v68.0/${k}`);
    const user = org.index.userByUsername('integration@acme.com');
    expect(body['identity']).toBe(`${ACME}/id/${user?.org === 'acme' ? org.index.org('acme')?.id : ''}/${user?.id}`);
    expect(res.body.startsWith('{"tooling":"/services/data/v68.0/tooling","metadata":"/services/data/v68.0/metadata",')).toBe(true);
  });
});

describe('limits and API usage', () => {
  it('every authenticated REST call spends one: Sforce-Limit-Info counts 1, 2, 3 and /limits agrees', async () => {
    const { org, auth } = await session();
    const seen: (string | null)[] = [];
    for (const path of ['/services/data/v68.0/', '/services/data/v99.0/', '/services/data/v68.0/limits']) seen.push((await get(org, `${ACME}${path}`, auth)).headers.get('sforce-limit-info'));
    expect(seen).toEqual(['api-usage=1/15000', 'api-usage=2/15000', 'api-usage=3/15000']);
    const limits = JSON.parse((await get(org, `${ACME}/services/data/v68.0/limits`, auth)).body) as Record<string, { Max: number; Remaining: number }>;
    expect(limits['DailyApiRequests']).toEqual({ Max: 15000, Remaining: 14996 });
    expect(limits['DailyBulkApiBatches']).toEqual({ Max: 15000, Remaining: 15000 });
    expect(limits['ConcurrentAsyncGetReportInstances']).toEqual({ Max: 200, Remaining: 200 });
  });

  it.each([
    ['the version list', '/services/data/', {}],
    ['a call without a session', '/services/data/v68.0/limits', {}],
    ['a retired version', '/services/data/v30.0/', null],
  ] as const)('%s spends nothing and carries no Sforce-Limit-Info', async (_n, path, headers) => {
    const { org, auth } = await session();
    const res = await get(org, `${ACME}${path}`, headers ?? auth);
    expect(res.headers.get('sforce-limit-info')).toBeNull();
    expect((await get(org, `${ACME}/services/data/v68.0/`, auth)).headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
  });

  it('the identity service spends nothing', async () => {
    const { org, token, auth } = await session();
    await get(org, token.id, auth);
    await get(org, 'https://login.salesforce.com/services/oauth2/userinfo', auth);
    expect((await get(org, `${ACME}/services/data/v68.0/`, auth)).headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
  });

  it('once all are spent: 403 REQUEST_LIMIT_EXCEEDED, exact bytes, and the counter stays at its max', async () => {
    const { org, auth } = await session();
    org.setKnobs({ dailyApiRequests: 2 });
    expect((await get(org, `${ACME}/services/data/v68.0/`, auth)).headers.get('sforce-limit-info')).toBe('api-usage=1/2');
    expect((await get(org, `${ACME}/services/data/v68.0/`, auth)).status).toBe(200);
    for (const path of ['/services/data/v68.0/', '/services/data/v68.0/limits', '/services/data/v68.0/query?q=SELECT+Id+FROM+Organization']) {
      const res = await get(org, `${ACME}${path}`, auth);
      expect(res.status).toBe(403);
      expect(res.body).toBe(LIMIT_EXCEEDED);
      expect(res.headers.get('sforce-limit-info')).toBe('api-usage=2/2');
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    }
  });

  it('reset clears the count', async () => {
    const { org, auth } = await session();
    setApiRequestsUsed(org, org.index.org('acme')?.id ?? '', 14_999);
    expect((await get(org, `${ACME}/services/data/v68.0/`, auth)).headers.get('sforce-limit-info')).toBe('api-usage=15000/15000');
    org.reset();
    const fresh = await tokenOf(org);
    expect((await get(org, `${ACME}/services/data/v68.0/`, { Authorization: `Bearer ${fresh.access_token}` })).headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
  });

  it("the limit is per org: spending acme's allocation leaves initech's untouched", async () => {
    const { org, auth } = await session();
    setApiRequestsUsed(org, org.index.org('acme')?.id ?? '', 15_000);
    expect((await get(org, `${ACME}/services/data/v68.0/`, auth)).status).toBe(403);
    expect(limitInfo(org, org.index.org('initech')?.id ?? '')).toBe('api-usage=0/15000');
  });
});

describe('identity formats and version', () => {
  it.each([
    ['no parameter', '', '{version}'],
    ['?version=59.0', '?version=59.0', '59.0'],
    ['?version=59', '?version=59', '59.0'],
    ['?version=latest', '?version=latest', '68.0'],
  ])('%s: urls.rest and urls.enterprise carry %s', async (_n, query, v) => {
    const { org, token, auth } = await session();
    const orgId = org.index.org('acme')?.id ?? '';
    for (const url of [token.id, 'https://login.salesforce.com/services/oauth2/userinfo']) {
      const body = JSON.parse((await get(org, `${url}${query}`, auth)).body) as { urls: Record<string, string> };
      expect(body.urls['rest']).toBe(`${ACME}/services/data/v${v}/`);
      expect(body.urls['enterprise']).toBe(`${ACME}/services/Soap/c/${v}/${orgId}`);
    }
  });

  it.each([
    ['nothing', '', {}, 'application/json;charset=UTF-8', '{"id":"'],
    ['format=xml', '?format=xml', {}, 'application/xml;charset=UTF-8', '<?xml version="1.0" encoding="UTF-8"?><user xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><id>'],
    ['Accept: application/xml', '', { Accept: 'application/xml' }, 'application/xml;charset=UTF-8', '<?xml'],
    ['Accept list read left to right', '', { Accept: 'application/xml,application/json,application/html,*/*' }, 'application/xml;charset=UTF-8', '<?xml'],
    ['Accept: */*', '', { Accept: '*/*' }, 'application/json;charset=UTF-8', '{"id":"'],
    ['format wins over Accept', '?format=json', { Accept: 'application/xml' }, 'application/json;charset=UTF-8', '{"id":"'],
    ['Accept: urlencoded', '', { Accept: 'application/x-www-form-urlencoded' }, 'application/x-www-form-urlencoded;charset=UTF-8', 'id=https%3A%2F%2Flogin.salesforce.com%2Fid%2F'],
  ])('%s: %s', async (_n, query, headers, type, start) => {
    const { org, token, auth } = await session();
    const res = await get(org, `${token.id}${query}`, { ...auth, ...headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.body.startsWith(start)).toBe(true);
  });

  it('XML writes nulls as xsi:nil and nests urls', async () => {
    const { org, token, auth } = await session();
    const body = (await get(org, `${token.id}?format=xml&version=68.0`, auth)).body;
    expect(body).toContain('<addr_street xsi:nil="true"/>');
    expect(body).toContain(`<urls><enterprise>${ACME}/services/Soap/c/68.0/`);
    expect(body.endsWith('<is_app_installed>true</is_app_installed></user>')).toBe(true);
  });
});

describe('over HTTPS', () => {
  const clock = frozenClock(NOW);
  let started: StartedMockOrg;
  let https: FetchLike;
  beforeAll(async () => {
    started = await startMockOrg({ world: testWorld(), clock, seed: 7, stateDir: testStateDir(), tls: true });
    https = fetchTrusting(started.caPem ?? '');
  });
  afterAll(async () => started.close());

  it('a token, then versions, retired, limits with Sforce-Limit-Info, spent limit and identity XML', async () => {
    const tokenRes = await https(`${started.login}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(started.org.index.world) }) }),
    });
    const token = (await tokenRes.json()) as { access_token: string; instance_url: string; id: string };
    const auth = { Authorization: `Bearer ${token.access_token}` };
    const versions = await https(`${token.instance_url}/services/data/`);
    expect(versions.status).toBe(200);
    expect((await versions.text()).endsWith(`{"label":"Winter '27","url":"/services/data/v68.0","version":"68.0"}]`)).toBe(true);
    const gone = await https(`${token.instance_url}/services/data/v30.0/`, { headers: auth });
    expect([gone.status, await gone.text()]).toEqual([410, GONE]);
    const unknown = await https(`${token.instance_url}/services/data/v99.0/`, { headers: auth });
    expect([unknown.status, await unknown.text()]).toEqual([404, NOT_FOUND]);
    const limits = await https(`${token.instance_url}/services/data/v68.0/limits`, { headers: auth });
    expect(limits.headers.get('sforce-limit-info')).toBe('api-usage=2/15000');
    expect((JSON.parse(await limits.text()) as Record<string, unknown>)['DailyApiRequests']).toEqual({ Max: 15000, Remaining: 14998 });
    started.org.setKnobs({ dailyApiRequests: 2 });
    const spent = await https(`${token.instance_url}/services/data/v68.0/`, { headers: auth });
    expect([spent.status, await spent.text(), spent.headers.get('sforce-limit-info')]).toEqual([403, LIMIT_EXCEEDED, 'api-usage=2/2']);
    const xml = await https(`${token.id}?format=xml`, { headers: auth });
    expect(xml.headers.get('content-type')).toBe('application/xml;charset=UTF-8');
    expect((await xml.text()).startsWith('<?xml version="1.0" encoding="UTF-8"?><user ')).toBe(true);
  });
});

describe('a path with two leading slashes (as @salesforce/core sends after its login)', () => {
  it.each([
    ['served as the path with one (collapseLeadingSlashes, the default)', true, 200],
    ['an unknown path with the knob off', false, 404],
  ])('%s', async (_name, collapse, status) => {
    const { org, auth } = await session();
    org.setKnobs({ collapseLeadingSlashes: collapse });
    const res = await get(org, `${ACME}//services/data/v51.0/query?q=${encodeURIComponent('SELECT Id FROM Organization')}`, auth);
    expect(res.status).toBe(status);
    if (status === 200) expect(JSON.parse(res.body)).toMatchObject({ totalSize: 1, done: true, records: [{ attributes: { type: 'Organization' }, Id: org.index.world.orgs[0]?.id }] });
    else expect(res.body).toContain('URL No Longer Exists');
  });
});
