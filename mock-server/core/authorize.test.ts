/**
 * The user-agent flow's prior approval, step by step through MockOrg.handle (time frozen, seeded):
 * a JWT grant refused with `user hasn't approved this consumer`, the authorize URL's login page, a
 * wrong password, the Allow page, Allow's redirect with the token in the fragment, the same JWT grant
 * now accepted; an approval without refresh_token that does not count; Deny; and each error as an
 * error page (unknown app, a callback URL the app does not list) or on the redirect. Over HTTPS once.
 * The answers are written out here.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fetchTrusting } from '../../src/client/https-fetch.ts';
import { startMockOrg } from '../adapters/node-server.ts';
import { revokeApp, setUserState } from '../setup/actions.ts';
import { formBody, goodClaims, JWT_GRANT, NOW, signAssertion, testStateDir, testWorld, tokenRequest } from '../testing/fixtures.ts';
import { DEFAULT_APPS, trainingPassword } from '../world/default-world.ts';
import { realHostUrls } from '../world/hosts.ts';
import { BAD_LOGIN_MESSAGE } from './authorize.ts';
import { frozenClock } from './clock.ts';
import { MockOrg, type ServeContext } from './mock-org.ts';

const world = testWorld();
const clock = frozenClock(NOW);
const mock = new MockOrg({ world, clock, seed: 11 });
const LOGIN = 'login.salesforce.com';
const CALLBACK = 'http://localhost:1717/OauthRedirect';
const USER = 'unapproved@acme.com';
const PASSWORD = world.users.find((u) => u.username === USER)?.password ?? '';
const key = (name: string = DEFAULT_APPS.selfAuthorized) => world.apps.find((a) => a.name === name)?.consumerKey ?? '';
const ctx = (host = LOGIN): ServeContext => ({ host, secure: true, clientIp: '127.0.0.1', urls: realHostUrls('https') });

beforeEach(() => mock.reset());

async function send(request: Request) {
  const res = await mock.handle(request, ctx(new URL(request.url).hostname));
  return { status: res.status, type: res.headers.get('content-type'), location: res.headers.get('location'), body: await res.text() };
}

const jwtGrant = (username = USER) =>
  send(tokenRequest(`https://${LOGIN}/services/oauth2/token`, formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(world, { sub: username }) }) })));

function authorizeUrl(params: Record<string, string>): string {
  return `https://${LOGIN}/services/oauth2/authorize?${new URLSearchParams({ response_type: 'token', client_id: key(), redirect_uri: CALLBACK, ...params })}`;
}

const flowOf = (html: string) => /name="flow" value="([^"]+)"/.exec(html)?.[1] ?? '';
const post = (fields: Record<string, string>) =>
  send(new Request(`https://${LOGIN}/services/oauth2/authorize`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody(fields) }));

/** Start, log in and reach the Allow page: the flow id. */
async function toAllowPage(params: Record<string, string> = {}, username = USER, password = PASSWORD): Promise<{ flow: string; body: string; status: number }> {
  const start = await send(new Request(authorizeUrl(params)));
  const flow = flowOf(start.body);
  const login = await post({ flow, action: 'login', username, password });
  return { flow, body: login.body, status: login.status };
}

describe('the prior approval through the user-agent flow', () => {
  it("turns `user hasn't approved this consumer` into a token, and revoking the approval brings it back", async () => {
    const refused = await jwtGrant();
    expect([refused.status, refused.body]).toEqual([400, '{"error":"invalid_grant","error_description":"user hasn\'t approved this consumer"}']);

    const start = await send(new Request(authorizeUrl({ scope: 'api refresh_token', state: 's1' })));
    expect([start.status, start.type]).toEqual([200, 'text/html;charset=UTF-8']);
    expect(start.body).toContain('<title>Login | Salesforce</title>');
    expect(start.body).toContain('<label for="username">Username</label>');
    expect(start.body).toContain('<label for="password">Password</label>');
    const flow = flowOf(start.body);
    expect(flow).toMatch(/^[A-Za-z0-9]{32}$/);

    const wrong = await post({ flow, action: 'login', username: USER, password: 'not-the-password' });
    expect(wrong.status).toBe(200);
    expect(wrong.body).toContain(`<p class="error" role="alert" id="error">Please check your username and password. If you still can&#39;t log in, contact your Salesforce administrator.</p>`);
    expect(BAD_LOGIN_MESSAGE).toBe("Please check your username and password. If you still can't log in, contact your Salesforce administrator.");

    const allowPage = await post({ flow, action: 'login', username: USER, password: PASSWORD });
    expect(allowPage.body).toContain(
      '<h1>Allow Access?</h1><p><strong>Acme Integration</strong> is asking to:</p><ul><li>Manage user data via APIs (api)</li><li>Perform requests at any time (refresh_token, offline_access)</li></ul>',
    );

    const allowed = await post({ flow, action: 'allow' });
    expect(allowed.status).toBe(302);
    const location = new URL(allowed.location ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect([...fragment.keys()]).toEqual(['access_token', 'instance_url', 'id', 'issued_at', 'signature', 'scope', 'token_type', 'state']);
    const acme = world.orgs.find((o) => o.name === 'acme');
    const user = world.users.find((u) => u.username === USER);
    expect(Object.fromEntries(fragment)).toMatchObject({
      access_token: expect.stringMatching(/^00D5g0000000001!AQ[A-Za-z0-9._]{94}$/),
      instance_url: 'https://acme.my.salesforce.com',
      id: `https://login.salesforce.com/id/${acme?.id}/${user?.id}`,
      issued_at: String(NOW),
      scope: 'api refresh_token',
      token_type: 'Bearer',
      state: 's1',
    });
    // The token is a live session, and the approval is the one the JWT flow needed.
    const limits = await send(new Request('https://acme.my.salesforce.com/services/data/v60.0/limits', { headers: { Authorization: `Bearer ${fragment.get('access_token')}` } }));
    expect(limits.status).toBe(200);
    expect((await jwtGrant()).status).toBe(200);
    expect(mock.loginHistory.forUser(user?.id ?? '').map((e) => [e.status, e.application])).toEqual([
      ['Success', 'Acme Integration'],
      ['Success', 'Acme Integration'],
      ['Invalid Password', 'Acme Integration'],
    ]);

    revokeApp(mock, { username: USER, app: DEFAULT_APPS.selfAuthorized });
    expect((await jwtGrant()).body).toBe('{"error":"invalid_grant","error_description":"user hasn\'t approved this consumer"}');
  });

  it('an approval without refresh_token (offline_access) gives a token but is not the approval the JWT flow needs', async () => {
    const { flow } = await toAllowPage({ scope: 'api' });
    const allowed = await post({ flow, action: 'allow' });
    expect(new URLSearchParams(new URL(allowed.location ?? '').hash.slice(1)).get('scope')).toBe('api');
    expect((await jwtGrant()).status).toBe(400);
  });

  it('offline_access is read as refresh_token; no scope asks for all of the app’s', async () => {
    const offline = await toAllowPage({ scope: 'api offline_access' });
    expect(offline.body).toContain('<li>Perform requests at any time (refresh_token, offline_access)</li>');
    const all = await toAllowPage();
    expect(all.body).toContain('<ul><li>Manage user data via APIs (api)</li><li>Manage user data via Web browsers (web)</li><li>Access unique user identifiers (openid)</li>');
  });

  it('Deny sends the browser back with access_denied, and approves nothing', async () => {
    const { flow } = await toAllowPage({ state: 'xyz' });
    const denied = await post({ flow, action: 'deny' });
    expect([denied.status, denied.location]).toEqual([302, `${CALLBACK}#error=access_denied&error_description=end-user+denied+authorization&state=xyz`]);
    expect((await jwtGrant()).status).toBe(400);
  });

  it('a flow is used once: Allow twice is an error page', async () => {
    const { flow } = await toAllowPage();
    expect((await post({ flow, action: 'allow' })).status).toBe(302);
    const again = await post({ flow, action: 'allow' });
    expect([again.status, again.type]).toEqual([400, 'text/html;charset=UTF-8']);
  });

  it('an earlier approval skips the Allow page, unless prompt=consent asks for it again', async () => {
    const first = await toAllowPage({ scope: 'api refresh_token' });
    expect((await post({ flow: first.flow, action: 'allow' })).status).toBe(302);
    const start = await send(new Request(authorizeUrl({ scope: 'api refresh_token', state: 'again' })));
    const login = await post({ flow: flowOf(start.body), action: 'login', username: USER, password: PASSWORD });
    expect(login.status).toBe(302);
    expect(login.location).toMatch(/^http:\/\/localhost:1717\/OauthRedirect#access_token=.*&state=again$/);
    const consent = await toAllowPage({ prompt: 'login consent' });
    expect(consent.body).toContain('<h1>Allow Access?</h1>');
  });

  it('keeps the password out of the journal', async () => {
    await toAllowPage();
    expect(JSON.stringify(mock.journal.list())).not.toContain(PASSWORD);
    expect(PASSWORD).toBe(trainingPassword(42, USER));
  });
});

describe('errors', () => {
  it.each<[string, Record<string, string>, string]>([
    ['an unknown client_id', { client_id: '3MVG9nope' }, '<code>invalid_client_id</code>: client identifier invalid'],
    ['no redirect_uri', { redirect_uri: '' }, '<code>redirect_uri_missing</code>: redirect_uri not provided'],
    ['a redirect_uri the app does not list', { redirect_uri: 'https://evil.example/cb' }, '<code>redirect_uri_mismatch</code>: redirect_uri must match configuration'],
  ])('%s: a 400 error page, no redirect', async (_name, params, text) => {
    const res = await send(new Request(authorizeUrl(params)));
    expect([res.status, res.type, res.location]).toEqual([400, 'text/html;charset=UTF-8', null]);
    expect(res.body).toContain('<title>OAuth Error | Salesforce</title>');
    expect(res.body).toContain(text);
  });

  it.each<[string, Record<string, string>, string]>([
    ['an unsupported response_type', { response_type: 'id_token', state: 'a' }, 'error=unsupported_response_type&error_description=response+type+not+supported&state=a'],
    ['a scope the app does not have', { scope: 'api full', state: 'b' }, 'error=invalid_scope&error_description=the+requested+scope+is+not+allowed&state=b'],
  ])('%s: back to the callback URL with the error', async (_name, params, fragment) => {
    const res = await send(new Request(authorizeUrl(params)));
    expect([res.status, res.location]).toEqual([302, `${CALLBACK}#${fragment}`]);
  });

  it('an inactive user: back with inactive_user after the login; a frozen user stays on the login page', async () => {
    setUserState(mock, { username: USER, active: false });
    const { flow } = await toAllowPage();
    expect(flow).not.toBe('');
    const inactive = await send(new Request(authorizeUrl({ state: 'c' })));
    const login = await post({ flow: flowOf(inactive.body), action: 'login', username: USER, password: PASSWORD });
    expect([login.status, login.location]).toEqual([302, `${CALLBACK}#error=inactive_user&error_description=user+is+inactive&state=c`]);
    mock.reset();
    setUserState(mock, { username: USER, frozen: true });
    const frozen = await toAllowPage();
    expect(frozen.body).toContain('<p class="error" role="alert" id="error">');
  });

  it('a user of another environment is not known on this host', async () => {
    const sandboxUser = world.users.find((u) => u.role === 'sandbox');
    const attempt = await toAllowPage({}, sandboxUser?.username ?? '', sandboxUser?.password ?? '');
    expect(attempt.body).toContain('<p class="error" role="alert" id="error">');
  });
});

describe('over HTTPS', () => {
  it('the start page and the redirect', async () => {
    await using started = await startMockOrg({ world: testWorld(), clock: frozenClock(NOW), seed: 5, stateDir: testStateDir('sfjwt-authorize-') });
    const https = fetchTrusting(started.caPem ?? '');
    const start = await https(`${started.login}/services/oauth2/authorize?${new URLSearchParams({ response_type: 'token', client_id: key(), redirect_uri: CALLBACK })}`);
    const flow = flowOf(await start.text());
    const form = (fields: Record<string, string>) =>
      https(`${started.login}/services/oauth2/authorize`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody(fields), redirect: 'manual' });
    expect((await form({ flow, action: 'login', username: USER, password: PASSWORD })).status).toBe(200);
    const allowed = await form({ flow, action: 'allow' });
    expect(allowed.status).toBe(302);
    expect(allowed.headers.get('location')).toMatch(/^http:\/\/localhost:1717\/OauthRedirect#access_token=00D5g0000000001%21AQ/);
  });
});
