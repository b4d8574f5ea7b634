/**
 * The user's own endpoints behind a real session: a fixtures folder read into routes (each refusal
 * with the file named and what to do), and the answers the mock gives on the org's My Domain:
 * the fixture's bytes and Content-Type to a live session with the REST envelope and
 * Sforce-Limit-Info, 401 INVALID_SESSION_ID otherwise, Apex REST's 404 and 405 around the routes,
 * each call journalled and spending one DailyApiRequest. In process with time frozen, and over HTTPS
 * through `startMockOrg({ fixtures })` and `serve --fixtures`. The answers are written out here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ResourceError } from '../lib/errors.ts';
import { main } from '../src/cli/main.ts';
import { collector } from '../src/cli/testing/collector.ts';
import { fetchTrusting } from '../src/client/https-fetch.ts';
import { startMockOrg } from './adapters/node-server.ts';
import { frozenClock } from './core/clock.ts';
import { MockOrg } from './core/mock-org.ts';
import { setApiRequestsUsed } from './core/rest/api-usage.ts';
import { loadFixtures } from './fixtures.ts';
import { formBody, goodClaims, JWT_GRANT, NOW, signAssertion, testStateDir, testWorld, tokenRequest } from './testing/fixtures.ts';

const INVALID_SESSION = '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]';
const NO_MATCH = '[{"errorCode":"NOT_FOUND","message":"Could not find a match for URL"}]';
const LIMIT_EXCEEDED = '[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]';
const ACME = 'https://acme.my.salesforce.com';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** A fixtures folder holding `files` (path → content). */
function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfjwt-fixtures-'));
  folders.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const ORDERS = '[{"id":"A-1","total":12.5}]';
const FILES = {
  'services/apexrest/orders/GET.json': ORDERS,
  'services/apexrest/orders/POST.201.json': '{"id":"A-2"}',
  'services/apexrest/orders/[id]/GET.json': '{"id":"any"}',
  'services/apexrest/orders/open/GET.json': '{"id":"open"}',
  'services/apexrest/ping/ANY.txt': 'pong',
  'services/apexrest/ping/DELETE.204.txt': '',
  'services/apexrest/report/GET.csv': 'a,b\n1,2\n',
  'services/apexrest/feed/GET.xml': '<feed/>',
  'services/data/v60.0/custom/GET.json': '{"custom":true}',
  'services/apexrest/.hidden/GET.json': 'not json at all',
  'README.md': 'how these fixtures work',
  '.gitkeep': '',
};

describe('loadFixtures', () => {
  it('reads each file as a route: path from the folders, method and status from the name, Content-Type from the extension', () => {
    const routes = loadFixtures(folder(FILES)).map((r) => [r.method, `/${r.segments.map((s) => ('literal' in s ? s.literal : `[${s.param}]`)).join('/')}`, r.status, r.contentType, r.body]);
    expect(routes).toEqual([
      ['GET', '/services/apexrest/feed', 200, 'application/xml;charset=UTF-8', '<feed/>'],
      ['GET', '/services/apexrest/orders', 200, 'application/json;charset=UTF-8', ORDERS],
      ['POST', '/services/apexrest/orders', 201, 'application/json;charset=UTF-8', '{"id":"A-2"}'],
      ['GET', '/services/apexrest/orders/[id]', 200, 'application/json;charset=UTF-8', '{"id":"any"}'],
      ['GET', '/services/apexrest/orders/open', 200, 'application/json;charset=UTF-8', '{"id":"open"}'],
      ['ANY', '/services/apexrest/ping', 200, 'text/plain;charset=UTF-8', 'pong'],
      ['DELETE', '/services/apexrest/ping', 204, 'text/plain;charset=UTF-8', ''],
      ['GET', '/services/apexrest/report', 200, 'text/csv;charset=UTF-8', 'a,b\n1,2\n'],
      ['GET', '/services/data/v60.0/custom', 200, 'application/json;charset=UTF-8', '{"custom":true}'],
    ]);
  });

  it.each<[string, Record<string, string | Buffer>, string, string[]]>([
    [
      'a file not named METHOD[.status].ext',
      { 'services/apexrest/a/orders.json': '{}' },
      'services/apexrest/a/orders.json is not named <METHOD>[.<status>].<ext>, such as GET.json or POST.201.json',
      ['Methods: GET, POST, PUT, PATCH, DELETE, ANY. Extensions: json, xml, txt, csv, html.'],
    ],
    [
      'an unknown method',
      { 'services/apexrest/a/FETCH.json': '{}' },
      'services/apexrest/a/FETCH.json is not named <METHOD>[.<status>].<ext>, such as GET.json or POST.201.json',
      ['Methods: GET, POST, PUT, PATCH, DELETE, ANY. Extensions: json, xml, txt, csv, html.'],
    ],
    [
      'an extension with no Content-Type',
      { 'services/apexrest/a/GET.png': 'x' },
      'services/apexrest/a/GET.png has the extension .png, which gives no Content-Type',
      ['Use one of: json, xml, txt, csv, html.'],
    ],
    ['a status outside 200..599', { 'services/apexrest/a/GET.600.json': '{}' }, 'services/apexrest/a/GET.600.json asks for status 600; a fixture answers with 200 to 599', []],
    [
      'a 204 with a body',
      { 'services/apexrest/a/DELETE.204.json': '{}' },
      'services/apexrest/a/DELETE.204.json is a 204 answer, which has no body, but the file is not empty',
      ['Empty the file, or give it another status.'],
    ],
    ['a file at the top', { 'GET.json': '{}' }, 'GET.json is at the top of the folder, which would answer the path /', ['Put it in the folders of its path: services/apexrest/orders/GET.json.']],
    [
      'the token endpoint',
      { 'services/oauth2/token/POST.json': '{}' },
      'services/oauth2/token/POST.json answers /services/oauth2/token, a path the mock keeps as its own (/services/oauth2/, /id/, /__sfjwt)',
      [],
    ],
    ['the admin API', { '__sfjwt/journal/GET.json': '{}' }, '__sfjwt/journal/GET.json answers /__sfjwt/journal, a path the mock keeps as its own (/services/oauth2/, /id/, /__sfjwt)', []],
    [
      'two answers to one method and path',
      { 'services/apexrest/a/GET.json': '{}', 'services/apexrest/a/GET.200.json': '{}' },
      'services/apexrest/a/GET.json and services/apexrest/a/GET.200.json both answer GET /services/apexrest/a',
      ['Keep one of them.'],
    ],
    ['a .json file that does not parse', { 'services/apexrest/a/GET.json': '{"a":' }, 'services/apexrest/a/GET.json is not JSON: ', ['Fix the file, or name it .txt to serve it as it is.']],
    ['a file that is not UTF-8', { 'services/apexrest/a/GET.txt': Buffer.from([0xff, 0xfe, 0x00]) }, 'services/apexrest/a/GET.txt is not UTF-8 text', []],
    [
      'a folder with a bracket that is no parameter',
      { 'services/apexrest/[a-b]/GET.json': '{}' },
      'the folder services/apexrest/[a-b] is neither a path segment nor a parameter',
      ['Name a parameter folder [name], with letters, digits and _ only.'],
    ],
  ])('refuses %s, naming the file and what to do', (_name, files, message, actions) => {
    const dir = folder(files);
    let thrown: unknown;
    try {
      loadFixtures(dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResourceError);
    expect((thrown as ResourceError).message.startsWith(`cannot use the fixtures folder ${dir}: ${message}`)).toBe(true);
    expect((thrown as ResourceError).actions).toEqual(actions);
  });

  it('refuses a folder that does not exist, and a file in place of the folder', () => {
    const missing = join(tmpdir(), 'sfjwt-no-such-fixtures');
    const refusal = (dir: string) => {
      try {
        loadFixtures(dir);
      } catch (error) {
        return error instanceof ResourceError ? [error.message, error.actions] : error;
      }
      return 'no refusal';
    };
    expect(refusal(missing)).toEqual([`cannot use the fixtures folder ${missing}: it does not exist`, ['Give --fixtures the folder that mirrors your URL paths (services/apexrest/…/GET.json).']]);
    const file = join(folder({ 'a.txt': 'x' }), 'a.txt');
    expect(refusal(file)).toEqual([`cannot use the fixtures folder ${file}: it is not a folder`, ['Give --fixtures a folder whose sub-folders mirror URL paths, with GET.json and the like in them.']]);
  });
});

describe('the routes behind a session, in process', () => {
  const world = testWorld();
  const clock = frozenClock(NOW);
  const mock = new MockOrg({ world, clock, seed: 3, routes: loadFixtures(folder(FILES)) });
  const sc = (host: string) => ({ host, secure: true, clientIp: '127.0.0.1', urls: { baseUrl: (h: string) => `https://${h}`, origins: (h: string) => [`https://${h}`] } });

  beforeEach(() => {
    mock.reset();
    clock.set(NOW);
  });

  async function login(): Promise<string> {
    const res = await mock.handle(
      tokenRequest('https://login.salesforce.com/services/oauth2/token', formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(world) }) })),
      sc('login.salesforce.com'),
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }
  async function call(method: string, url: string, token?: string) {
    const res = await mock.handle(new Request(url, { method, headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } }), sc(new URL(url).hostname));
    return { status: res.status, type: res.headers.get('content-type'), limit: res.headers.get('sforce-limit-info'), allow: res.headers.get('allow'), body: await res.text() };
  }

  it.each<[string, string, string, number, string, string]>([
    ['a route', 'GET', '/services/apexrest/orders', 200, 'application/json;charset=UTF-8', ORDERS],
    ['its status from the name', 'POST', '/services/apexrest/orders', 201, 'application/json;charset=UTF-8', '{"id":"A-2"}'],
    ['a parameter folder', 'GET', '/services/apexrest/orders/a0B5g000001', 200, 'application/json;charset=UTF-8', '{"id":"any"}'],
    ['a literal over a parameter', 'GET', '/services/apexrest/orders/open', 200, 'application/json;charset=UTF-8', '{"id":"open"}'],
    ['ANY for a method without its own file', 'PATCH', '/services/apexrest/ping', 200, 'text/plain;charset=UTF-8', 'pong'],
    ["a method's own file before ANY", 'DELETE', '/services/apexrest/ping', 204, 'text/plain;charset=UTF-8', ''],
    ['HEAD as GET, without the body', 'HEAD', '/services/apexrest/orders', 200, 'application/json;charset=UTF-8', ''],
    ['a route under /services/data, before the REST API', 'GET', '/services/data/v60.0/custom', 200, 'application/json;charset=UTF-8', '{"custom":true}'],
    ['an Apex REST path no route has', 'GET', '/services/apexrest/nothing/here', 404, 'application/json;charset=UTF-8', NO_MATCH],
    [
      'a route without the method asked',
      'PUT',
      '/services/apexrest/orders',
      405,
      'application/json;charset=UTF-8',
      `[{"errorCode":"METHOD_NOT_ALLOWED","message":"HTTP Method 'PUT' not allowed. Allowed are GET,POST,HEAD"}]`,
    ],
  ])('%s: %s %s -> %i with the bytes of the file', async (_name, method, path, status, type, body) => {
    mock.reset();
    const token = await login();
    const res = await call(method, `${ACME}${path}`, token);
    expect([res.status, res.type, res.body]).toEqual([status, type, body]);
    expect(res.limit).toBe('api-usage=1/15000');
    expect(res.allow).toBe(status === 405 ? 'GET, POST, HEAD' : null);
  });

  it.each<[string, () => Promise<string | undefined>, string]>([
    ['no token', async () => undefined, 'no access token'],
    ['an unknown token', async () => '00D000000000001!AQnope', 'unknown access token'],
    [
      'an expired token (3 hours idle)',
      async () => {
        const token = await login();
        clock.advance(3 * 3_600_000);
        return token;
      },
      'expired access token',
    ],
  ])('%s: 401 INVALID_SESSION_ID, on a route and on an Apex REST path with none, journalled with why', async (_name, make, why) => {
    mock.reset();
    clock.set(NOW);
    const token = await make();
    for (const path of ['/services/apexrest/orders', '/services/apexrest/nothing']) {
      const res = await call('GET', `${ACME}${path}`, token);
      expect([res.status, res.body, res.limit]).toEqual([401, INVALID_SESSION, null]);
    }
    const [last] = mock.journal.list(1);
    expect(last).toMatchObject({
      kind: 'rest',
      request: { method: 'GET', path: '/services/apexrest/nothing' },
      response: { status: 401 },
      checks: [{ check: 'session', verdict: 'fail', actual: why }],
    });
  });

  it("a token on another org's My Domain: 401, as the REST API answers", async () => {
    mock.reset();
    const res = await call('GET', 'https://initech.my.salesforce.com/services/apexrest/orders', await login());
    expect([res.status, res.body]).toEqual([401, INVALID_SESSION]);
  });

  it('journals the call with the user and the route that answered, and spends one DailyApiRequest each', async () => {
    mock.reset();
    const token = await login();
    await call('GET', `${ACME}/services/apexrest/orders/a0B`, token);
    const [entry] = mock.journal.list(1);
    expect(entry).toMatchObject({
      kind: 'rest',
      username: 'integration@acme.com',
      request: { host: 'acme.my.salesforce.com', path: '/services/apexrest/orders/a0B' },
      response: { status: 200 },
      checks: [{ check: 'session', verdict: 'pass', actual: 'valid access token', note: 'answered by the route GET /services/apexrest/orders/[id] (services/apexrest/orders/[id]/GET.json)' }],
    });
    expect((await call('GET', `${ACME}/services/apexrest/ping`, token)).limit).toBe('api-usage=2/15000');
    const limits = JSON.parse((await call('GET', `${ACME}/services/data/v60.0/limits`, token)).body) as { DailyApiRequests: { Max: number; Remaining: number } };
    expect(limits.DailyApiRequests).toEqual({ Max: 15_000, Remaining: 15_000 - 3 });
  });

  it('once the DailyApiRequests are spent: 403 REQUEST_LIMIT_EXCEEDED, the route not answered', async () => {
    mock.reset();
    const token = await login();
    const acme = world.orgs.find((o) => o.name === 'acme');
    setApiRequestsUsed(mock, acme?.id ?? '', 15_000);
    const res = await call('GET', `${ACME}/services/apexrest/orders`, token);
    expect([res.status, res.body, res.limit]).toEqual([403, LIMIT_EXCEEDED, 'api-usage=15000/15000']);
  });

  it('leaves other paths as they were: the 404 page outside Apex REST, the token endpoint and identity', async () => {
    mock.reset();
    const token = await login();
    const page = await call('GET', `${ACME}/services/custom/orders`, token);
    expect([page.status, page.type]).toEqual([404, 'text/html;charset=UTF-8']);
    const login2 = await login();
    expect(login2).not.toBe(token);
  });
});

describe('over HTTPS', () => {
  const state = testStateDir('sfjwt-fixtures-https-');

  it('startMockOrg({ fixtures }) serves the folder on the My Domain, behind the session', async () => {
    const world = testWorld();
    await using started = await startMockOrg({ world, clock: frozenClock(NOW), seed: 7, stateDir: state, fixtures: folder(FILES) });
    const fetcher = fetchTrusting(started.caPem ?? '');
    const token = await fetcher(`${started.login}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(world) }) }),
    });
    expect(token.status).toBe(200);
    const { access_token, instance_url } = (await token.json()) as { access_token: string; instance_url: string };
    const orders = await fetcher(`${instance_url}/services/apexrest/orders`, { headers: { Authorization: `Bearer ${access_token}` } });
    expect([orders.status, orders.headers.get('content-type'), await orders.text()]).toEqual([200, 'application/json;charset=UTF-8', ORDERS]);
    const refused = await fetcher(`${instance_url}/services/apexrest/orders`);
    expect([refused.status, await refused.text()]).toEqual([401, INVALID_SESSION]);
  });

  it('serve --fixtures with a folder that is not there: exit 2, the folder named, no stack', async () => {
    const stdout = collector();
    const stderr = collector();
    const code = await main(['serve', '--http', '--port', '0', '--fixtures', 'no-such-folder'], {
      stdout,
      stderr,
      env: { SFJWT_HOME: state, NO_COLOR: '1' },
      now: () => NOW,
      signal: AbortSignal.abort(),
      cwd: state,
    });
    expect(code).toBe(2);
    expect(stderr.text).toBe(
      `sfjwt: cannot use the fixtures folder ${join(state, 'no-such-folder')}: it does not exist\n  → Give --fixtures the folder that mirrors your URL paths (services/apexrest/…/GET.json).\n`,
    );
  });
});
