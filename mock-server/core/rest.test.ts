/**
 * What a client does after the token, end to end over HTTPS on 127.0.0.1:0: the identity URL from the
 * token response, OpenID userinfo, the REST version list, limits and an Organization query, with
 * Salesforce's exact answers to a bad, expired or misplaced access token. Also the release labels of
 * API versions.
 */
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../adapters/node-server.ts';
import { formBody, goodClaims, JWT_GRANT, NOW, signAssertion, testStateDir, testWorld } from '../testing/fixtures.ts';
import { frozenClock } from './clock.ts';
import { apiVersions, LATEST_API_VERSION, releaseLabel } from './rest.ts';

const INVALID_SESSION = '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]';
const NOT_FOUND = '[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]';
const SESSION_TIMEOUT_MS = 7200 * 1000;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface TokenResponse {
  access_token: string;
  scope: string;
  instance_url: string;
  id: string;
  token_type: string;
}

const world = testWorld();
const clock = frozenClock(NOW);
let started: StartedMockOrg;

function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers = { ...init.headers };
    if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body));
    const r = httpsRequest({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: init.method ?? 'GET', headers, ca: started.caPem ?? '', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    if (init.body !== undefined) r.write(init.body);
    r.end();
  });
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function login(claims: Record<string, unknown> = goodClaims(world), base = started.login): Promise<TokenResponse> {
  const res = await call(`${base}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: formBody({ grant_type: JWT_GRANT, assertion: await signAssertion({ claims }) }),
  });
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as TokenResponse;
}

const user = (username: string) => {
  const found = world.users.find((u) => u.username === username);
  if (found === undefined) throw new Error(`no user ${username}`);
  return found;
};
const orgNamed = (name: string) => {
  const found = world.orgs.find((o) => o.name === name);
  if (found === undefined) throw new Error(`no org ${name}`);
  return found;
};

beforeAll(async () => {
  started = await startMockOrg({ world, clock, seed: 7, stateDir: testStateDir(), tls: true });
});
afterAll(async () => started.close());
beforeEach(() => {
  started.org.reset();
  clock.set(NOW);
});

describe('happy path over HTTPS', () => {
  it('the token response points at the mock: instance_url is the My Domain, id is on the login host', async () => {
    const token = await login();
    const integration = user('integration@acme.com');
    const acme = orgNamed('acme');
    expect(token.instance_url).toBe(started.myDomain['acme']);
    expect(token.id).toBe(`${started.login}/id/${acme.id}/${integration.id}`);
    expect(token.token_type).toBe('Bearer');
    expect(token.scope).toBe('api web openid id');
  });

  it('GET the id URL with the token: 200 identity of the user', async () => {
    const token = await login();
    const integration = user('integration@acme.com');
    const acme = orgNamed('acme');
    const res = await call(token.id, { headers: bearer(token.access_token) });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: token.id,
      asserted_user: true,
      user_id: integration.id,
      organization_id: acme.id,
      username: 'integration@acme.com',
      nick_name: 'integration',
      display_name: `${integration.firstName} ${integration.lastName}`,
      email: integration.email,
      first_name: integration.firstName,
      last_name: integration.lastName,
      active: true,
      user_type: 'STANDARD',
    });
    const urls = body['urls'] as Record<string, string>;
    expect(urls['custom_domain']).toBe(started.myDomain['acme']);
    // Without ?version= the API URLs carry the literal {version}, as documented.
    expect(urls['rest']).toBe(`${started.myDomain['acme']}/services/data/v{version}/`);
    expect(urls['enterprise']).toBe(`${started.myDomain['acme']}/services/Soap/c/{version}/${acme.id}`);
    const latest = JSON.parse((await call(`${token.id}?version=latest`, { headers: bearer(token.access_token) })).body) as { urls: Record<string, string> };
    expect(latest.urls['rest']).toBe(`${started.myDomain['acme']}/services/data/v${LATEST_API_VERSION}.0/`);
  });

  it('the identity URL also takes the token as ?oauth_token= and as "OAuth <token>"', async () => {
    const token = await login();
    expect((await call(`${token.id}?oauth_token=${encodeURIComponent(token.access_token)}`)).status).toBe(200);
    expect((await call(token.id, { headers: { Authorization: `OAuth ${token.access_token}` } })).status).toBe(200);
  });

  it('GET /services/oauth2/userinfo: 200 OpenID claims of the user', async () => {
    const token = await login();
    const integration = user('integration@acme.com');
    const res = await call(`${started.login}/services/oauth2/userinfo`, { headers: bearer(token.access_token) });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      sub: token.id,
      user_id: integration.id,
      organization_id: orgNamed('acme').id,
      preferred_username: 'integration@acme.com',
      nickname: 'integration',
      email: integration.email,
      email_verified: true,
      given_name: integration.firstName,
      family_name: integration.lastName,
      active: true,
    });
  });

  it.each(['/services/data/', '/services/data'])('GET %s without a token: 200 version list, oldest first, ending at v68.0', async (path) => {
    const res = await call(`${started.myDomain['acme']}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    const list = JSON.parse(res.body) as { label: string; url: string; version: string }[];
    // 7.0-30.0 are retired (Summer '25): the list starts at 31.0.
    expect(list).toHaveLength(LATEST_API_VERSION - 31 + 1);
    expect(list[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(list.at(-1)).toMatchObject({ url: '/services/data/v68.0', version: '68.0' });
    expect(list.map((v) => v.version)).toEqual(apiVersions().map((v) => v.version));
    expect(list.map((v) => v.label)).toEqual(apiVersions().map((v) => v.label));
  });

  it('the last item of the version list is exactly v68.0 "Winter \'27"', async () => {
    const res = await call(`${started.myDomain['acme']}/services/data/`);
    expect(res.body.endsWith(`{"label":"Winter '27","url":"/services/data/v68.0","version":"68.0"}]`)).toBe(true);
  });
});

describe('bad, expired and misplaced tokens', () => {
  const expectInvalidSession = (res: Answer) => {
    expect(res.status).toBe(401);
    expect(res.body).toBe(INVALID_SESSION);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.headers['www-authenticate']).toBe('Token');
  };

  it.each([
    ['a made-up token', { Authorization: 'Bearer 00D5g0000000001!AQnotarealtoken' }],
    ['no Authorization header', {}],
    ['a Basic header', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['Bearer with nothing after it', { Authorization: 'Bearer ' }],
  ])('REST with %s: 401 INVALID_SESSION_ID', async (_n, headers) => {
    await login();
    expectInvalidSession(await call(`${started.myDomain['acme']}/services/data/v67.0/limits`, { headers }));
  });

  it('the token of the session the clock ran past (7200 s): 401 INVALID_SESSION_ID', async () => {
    const token = await login();
    const url = `${token.instance_url}/services/data/v67.0/limits`;
    expect((await call(url, { headers: bearer(token.access_token) })).status).toBe(200);
    clock.advance(SESSION_TIMEOUT_MS);
    expectInvalidSession(await call(url, { headers: bearer(token.access_token) }));
  });

  it('the identity URL with an expired token: 403 Bad_OAuth_Token', async () => {
    const token = await login();
    clock.advance(SESSION_TIMEOUT_MS);
    const res = await call(token.id, { headers: bearer(token.access_token) });
    expect(res.status).toBe(403);
    expect(res.body).toBe('Bad_OAuth_Token');
  });

  it.each([
    ['a made-up token', { Authorization: 'Bearer 00D5g0000000001!AQnotarealtoken' }],
    ['no token', {}],
  ])('the identity URL with %s: 403 Bad_OAuth_Token as text/plain', async (_n, headers) => {
    const token = await login();
    const res = await call(token.id, { headers });
    expect(res.status).toBe(403);
    expect(res.body).toBe('Bad_OAuth_Token');
    expect(res.headers['content-type']).toBe('text/plain;charset=UTF-8');
  });

  it('userinfo with a made-up token: 403 Bad_OAuth_Token', async () => {
    const res = await call(`${started.login}/services/oauth2/userinfo`, { headers: { Authorization: 'Bearer nope' } });
    expect(res.status).toBe(403);
    expect(res.body).toBe('Bad_OAuth_Token');
  });

  it("another user's identity URL with a good token: 403 Bad_Id", async () => {
    const token = await login();
    const other = user('analyst@acme.com');
    const res = await call(`${started.login}/id/${orgNamed('acme').id}/${other.id}`, { headers: bearer(token.access_token) });
    expect(res.status).toBe(403);
    expect(res.body).toBe('Bad_Id');
  });

  it.each([
    ["another org's My Domain", () => `${started.myDomain['initech'] ?? ''}`],
    ["the sandbox's My Domain", () => `${started.myDomain['acme-uat'] ?? ''}`],
    ['the login host', () => started.login],
  ])('the token on %s: 401 INVALID_SESSION_ID', async (_n, base) => {
    const token = await login();
    expect((await call(`${token.instance_url}/services/data/v67.0/limits`, { headers: bearer(token.access_token) })).status).toBe(200);
    expectInvalidSession(await call(`${base()}/services/data/v67.0/limits`, { headers: bearer(token.access_token) }));
  });

  it("the identity URL works on another org's My Domain (identity is not tied to a host)", async () => {
    const token = await login();
    const path = new URL(token.id).pathname;
    const res = await call(`${started.myDomain['initech'] ?? ''}${path}`, { headers: bearer(token.access_token) });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as Record<string, unknown>)['username']).toBe('integration@acme.com');
  });

  it('an unknown path under /services/data: 404 NOT_FOUND JSON', async () => {
    const token = await login();
    const res = await call(`${token.instance_url}/services/data/latest`, { headers: bearer(token.access_token) });
    expect(res.status).toBe(404);
    expect(res.body).toBe(NOT_FOUND);
  });
});

describe('releaseLabel', () => {
  // Salesforce ships three releases a year, Winter first (Winter '26 in autumn 2025), one API version
  // each: v60.0 Spring '24, v64.0 Summer '25, v65.0 Winter '26, v66.0 Spring '26, v67.0 Summer '26,
  // v68.0 Winter '27.
  it.each([
    [68, "Winter '27"],
    [67, "Summer '26"],
    [66, "Spring '26"],
    [65, "Winter '26"],
    [64, "Summer '25"],
    [60, "Spring '24"],
  ] as const)('v%i.0 is %s', (version, label) => {
    expect(releaseLabel(version)).toBe(label);
  });

  it('going forward the seasons run Spring, Summer, Winter and the year goes up at each Winter', () => {
    const next = { Spring: 'Summer', Summer: 'Winter', Winter: 'Spring' } as const;
    for (let v = 21; v <= LATEST_API_VERSION; v += 1) {
      const [season, year] = releaseLabel(v).split(" '") as [keyof typeof next, string];
      const [prevSeason, prevYear] = releaseLabel(v - 1).split(" '") as [keyof typeof next, string];
      expect(season).toBe(next[prevSeason]);
      expect(Number(year)).toBe(Number(prevYear) + (season === 'Winter' ? 1 : 0));
    }
  });

  it('the version list labels every version with releaseLabel', () => {
    for (const v of apiVersions()) expect(v.label).toBe(releaseLabel(Number(v.version)));
  });
});
