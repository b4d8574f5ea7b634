/**
 * The web-server flow and the token endpoint's authorization_code and refresh_token grants, through
 * MockOrg.handle (time frozen, seeded): the code in the callback's query, its exchange with PKCE's
 * code_verifier or the client secret (once, within 15 minutes), the refresh token only when the
 * approval granted refresh_token, a refresh that issues a new access token, and revocation (Revoke
 * OAuth Tokens with the refresh token, or the approval revoked in Setup). Salesforce's answers are
 * written out here.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { revokeApp } from '../../setup/actions.ts';
import { formBody, NOW, testWorld } from '../../testing/fixtures.ts';
import { DEFAULT_APPS } from '../../world/default-world.ts';
import { realHostUrls } from '../../world/hosts.ts';
import { frozenClock } from '../clock.ts';
import { MockOrg } from '../mock-org.ts';

const world = testWorld();
const clock = frozenClock(NOW);
const mock = new MockOrg({ world, clock, seed: 21 });
const LOGIN = 'login.salesforce.com';
const CALLBACK = 'http://localhost:1717/OauthRedirect';
const USER = 'unapproved@acme.com';
const PASSWORD = world.users.find((u) => u.username === USER)?.password ?? '';
const app = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized);
const KEY = app?.consumerKey ?? '';
const SECRET = app?.consumerSecret ?? '';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

beforeEach(() => {
  mock.reset();
  clock.set(NOW);
});

async function send(request: Request) {
  const res = await mock.handle(request, { host: new URL(request.url).hostname, secure: true, clientIp: '127.0.0.1', urls: realHostUrls('https') });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}
const form = (url: string, fields: Record<string, string>) => send(new Request(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody(fields) }));
const token = (fields: Record<string, string>) => form(`https://${LOGIN}/services/oauth2/token`, fields);

/** The web-server flow up to the callback: the code (and the whole Location). */
async function code(params: Record<string, string> = {}): Promise<{ code: string; location: string }> {
  const start = await send(
    new Request(`https://${LOGIN}/services/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: KEY, redirect_uri: CALLBACK, scope: 'api refresh_token', ...params })}`),
  );
  const flow = /name="flow" value="([^"]+)"/.exec(start.body)?.[1] ?? '';
  const login = await form(`https://${LOGIN}/services/oauth2/authorize`, { flow, action: 'login', username: USER, password: PASSWORD });
  // A user who approved the app before is sent back at once; otherwise the Allow page's Allow.
  const allowed = login.status === 302 ? login : await form(`https://${LOGIN}/services/oauth2/authorize`, { flow, action: 'allow' });
  return { code: new URL(allowed.location ?? '').searchParams.get('code') ?? '', location: allowed.location ?? '' };
}

const error = (e: string, d: string) => `{"error":"${e}","error_description":"${d}"}`;

describe('the web-server flow and authorization_code', () => {
  it('a code in the callback query, exchanged with PKCE once: the token, a refresh token, Salesforce’s field order', async () => {
    const got = await code({ code_challenge: CHALLENGE, code_challenge_method: 'S256', state: 'w1' });
    expect(got.location).toMatch(/^http:\/\/localhost:1717\/OauthRedirect\?code=aPrx[A-Za-z0-9]{80}&state=w1$/);
    const res = await token({ grant_type: 'authorization_code', code: got.code, client_id: KEY, redirect_uri: CALLBACK, code_verifier: VERIFIER });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['access_token', 'refresh_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
    expect(body).toMatchObject({
      refresh_token: expect.stringMatching(/^5Aep/),
      scope: 'api refresh_token',
      instance_url: 'https://acme.my.salesforce.com',
      token_type: 'Bearer',
      issued_at: String(NOW),
    });
    const limits = await send(new Request('https://acme.my.salesforce.com/services/data/v60.0/limits', { headers: { Authorization: `Bearer ${body['access_token']}` } }));
    expect(limits.status).toBe(200);
    const again = await token({ grant_type: 'authorization_code', code: got.code, client_id: KEY, redirect_uri: CALLBACK, code_verifier: VERIFIER });
    expect([again.status, again.body]).toEqual([400, error('invalid_grant', 'invalid authorization code')]);
  });

  it.each<[string, Record<string, string>, Record<string, string>, string]>([
    ['a wrong code_verifier', { code_challenge: CHALLENGE }, { code_verifier: 'x'.repeat(43) }, error('invalid_grant', 'invalid code verifier')],
    ['no code_verifier for a PKCE code', { code_challenge: CHALLENGE }, {}, error('invalid_grant', 'invalid code verifier')],
    ['neither PKCE nor the client secret', {}, {}, error('invalid_client', 'invalid client credentials')],
    ['a wrong client secret', {}, { client_secret: 'not-the-secret' }, error('invalid_client', 'invalid client credentials')],
    ['another redirect_uri than the code’s', {}, { client_secret: SECRET, redirect_uri: 'https://elsewhere.example/cb' }, error('redirect_uri_mismatch', 'redirect_uri must match configuration')],
    ['an unknown client_id', {}, { client_id: '3MVG9nope' }, error('invalid_client_id', 'client identifier invalid')],
  ])('%s: 400 with Salesforce’s words', async (_name, start, exchange, body) => {
    const got = await code(start);
    const res = await token({ grant_type: 'authorization_code', code: got.code, client_id: KEY, redirect_uri: CALLBACK, ...exchange });
    expect([res.status, res.body]).toEqual([400, body]);
  });

  it('the client secret instead of PKCE; a code older than 15 minutes has expired', async () => {
    const ok = await token({ grant_type: 'authorization_code', code: (await code()).code, client_id: KEY, client_secret: SECRET, redirect_uri: CALLBACK });
    expect(ok.status).toBe(200);
    const late = await code();
    clock.advance(15 * 60_000 + 1);
    const res = await token({ grant_type: 'authorization_code', code: late.code, client_id: KEY, client_secret: SECRET, redirect_uri: CALLBACK });
    expect([res.status, res.body]).toEqual([400, error('invalid_grant', 'expired authorization code')]);
  });

  it('no refresh token without the refresh_token scope', async () => {
    const got = await code({ scope: 'api' });
    const res = await token({ grant_type: 'authorization_code', code: got.code, client_id: KEY, client_secret: SECRET, redirect_uri: CALLBACK });
    expect(Object.keys(JSON.parse(res.body) as object)).toEqual(['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
  });

  it('Deny: the error in the callback query', async () => {
    const start = await send(new Request(`https://${LOGIN}/services/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: KEY, redirect_uri: CALLBACK, state: 'd' })}`));
    const flow = /name="flow" value="([^"]+)"/.exec(start.body)?.[1] ?? '';
    await form(`https://${LOGIN}/services/oauth2/authorize`, { flow, action: 'login', username: USER, password: PASSWORD });
    const denied = await form(`https://${LOGIN}/services/oauth2/authorize`, { flow, action: 'deny' });
    expect(denied.location).toBe(`${CALLBACK}?error=access_denied&error_description=end-user+denied+authorization&state=d`);
  });
});

describe('refresh_token', () => {
  async function refreshToken(): Promise<{ refresh: string; access: string }> {
    const res = await token({ grant_type: 'authorization_code', code: (await code()).code, client_id: KEY, client_secret: SECRET, redirect_uri: CALLBACK });
    const body = JSON.parse(res.body) as Record<string, string>;
    return { refresh: body['refresh_token'] ?? '', access: body['access_token'] ?? '' };
  }
  const limits = (access: string) => send(new Request('https://acme.my.salesforce.com/services/data/v60.0/limits', { headers: { Authorization: `Bearer ${access}` } }));

  it('a new access token, without a new refresh token', async () => {
    const { refresh } = await refreshToken();
    const res = await token({ grant_type: 'refresh_token', refresh_token: refresh, client_id: KEY, client_secret: SECRET });
    const body = JSON.parse(res.body) as Record<string, string>;
    expect([res.status, Object.keys(body)]).toEqual([200, ['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']]);
    expect((await limits(body['access_token'] ?? '')).status).toBe(200);
  });

  it.each<[string, (refresh: string) => Promise<Record<string, string>>]>([
    ['an unknown refresh token', async () => ({ refresh_token: '5Aepnope' })],
    ['a refresh token of another app', async (refresh) => ({ refresh_token: refresh, client_id: world.apps.find((a) => a.name === DEFAULT_APPS.adminApproved)?.consumerKey ?? '' })],
    [
      'after the approval is revoked in Setup',
      async (refresh) => {
        revokeApp(mock, { username: USER, app: DEFAULT_APPS.selfAuthorized });
        return { refresh_token: refresh };
      },
    ],
  ])('%s: 400 expired access/refresh token', async (_name, make) => {
    const { refresh } = await refreshToken();
    const res = await token({ grant_type: 'refresh_token', client_id: KEY, ...(await make(refresh)) });
    expect([res.status, res.body]).toEqual([400, error('invalid_grant', 'expired access/refresh token')]);
  });

  it('revoking the refresh token ends it and every session it opened', async () => {
    const { refresh, access } = await refreshToken();
    const revoked = await form(`https://${LOGIN}/services/oauth2/revoke`, { token: refresh });
    expect([revoked.status, revoked.body]).toEqual([200, '']);
    expect((await limits(access)).status).toBe(401);
    const res = await token({ grant_type: 'refresh_token', refresh_token: refresh, client_id: KEY });
    expect(res.body).toBe(error('invalid_grant', 'expired access/refresh token'));
  });

  it('journals the grants with the user, never a token whole', async () => {
    const { refresh } = await refreshToken();
    const text = JSON.stringify(mock.journal.list());
    expect(text).not.toContain(refresh);
    expect(mock.journal.list(1)[0]).toMatchObject({ kind: 'token', outcome: 'success', username: USER, app: DEFAULT_APPS.selfAuthorized });
  });
});
