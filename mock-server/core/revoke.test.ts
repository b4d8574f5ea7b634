/**
 * Sessions as Salesforce keeps them, end to end through MockOrg.handle (and one row over HTTPS): a
 * session ends after the timeout of inactivity, refreshed by use only once half of it has passed,
 * the time moved by the admin API's clock; `/services/oauth2/revoke` ends a session and answers as
 * documented; deactivating or freezing a user through Setup or the admin API ends the user's
 * sessions at once; and reset forgets all of it. Salesforce's answers are literals here.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchTrusting } from '../../src/client/https-fetch.ts';
import { type StartedMockOrg, startMockOrg } from '../adapters/node-server.ts';
import { setUserState } from '../setup/actions.ts';
import { formBody, goodClaims, JWT_GRANT, NOW, signAssertion, testStateDir, testWorld, tokenRequest } from '../testing/fixtures.ts';
import { realHostUrls } from '../world/hosts.ts';
import { manualClock } from './clock.ts';
import { MockOrg, type ServeContext } from './mock-org.ts';

const INVALID_SESSION = '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]';
const UNSUPPORTED_TOKEN = '{"error":"unsupported_token_type","error_description":"this token type is not supported"}';
const INVALID_TOKEN = '{"error":"invalid_token","error_description":"the token is invalid"}';
const MY_DOMAIN = 'acme.my.salesforce.com';
const LOGIN = 'login.salesforce.com';

const world = testWorld();
const clock = manualClock(NOW);
const org = new MockOrg({ world, clock, seed: 7 });
const ctx = (host: string): ServeContext => ({ host, secure: true, clientIp: '127.0.0.1', urls: realHostUrls('https') });

async function send(request: Request): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await org.handle(request, ctx(new URL(request.url).hostname));
  return { status: res.status, headers: res.headers, body: await res.text() };
}

async function login(username = 'integration@acme.com'): Promise<string> {
  const res = await send(tokenRequest(`https://${LOGIN}/services/oauth2/token`, formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(world, { sub: username }) }) })));
  expect(res.status, res.body).toBe(200);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
}

const limits = (token: string, host = MY_DOMAIN) => send(new Request(`https://${host}/services/data/v60.0/limits`, { headers: { Authorization: `Bearer ${token}` } }));
const identity = (token: string) => send(new Request(`https://${LOGIN}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${token}` } }));
const revoke = (token: string, host = LOGIN, init: { method?: string; accept?: string } = {}) =>
  init.method === 'GET'
    ? send(new Request(`https://${host}/services/oauth2/revoke?${formBody({ token })}`))
    : send(
        new Request(`https://${host}/services/oauth2/revoke`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(init.accept === undefined ? {} : { Accept: init.accept }) },
          body: formBody({ token }),
        }),
      );
/** PUT /__sfjwt/clock, as a test rehearses time passing on a served mock. */
async function offsetMinutes(minutes: number): Promise<void> {
  const res = await send(new Request(`https://${LOGIN}/__sfjwt/clock`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ offsetSeconds: minutes * 60 }) }));
  expect(res.status, res.body).toBe(200);
}

async function expectInvalidSession(token: string): Promise<void> {
  const res = await limits(token);
  expect(res.status).toBe(401);
  expect(res.body).toBe(INVALID_SESSION);
  expect(res.headers.get('www-authenticate')).toBe('Token');
}

beforeEach(() => {
  org.reset();
  clock.set(NOW);
});

describe('session timeout of inactivity (15-minute org setting)', () => {
  beforeEach(() => org.setKnobs({ sessionTimeoutSeconds: 900 }));

  // Minutes on the admin clock at which the token is used (each use must succeed), then the minute of the last call and its status.
  it.each<[string, number[], number, number]>([
    ['unused: live at 14:59', [], 14.98, 200],
    ['unused: ended at 15:00', [], 15, 401],
    ['idle 16 minutes: ended', [], 16, 401],
    ['used at 14 min (past half the timeout): live at 16, 28', [14], 28, 200],
    ['used at 14 min: ended at 29 (15 minutes after that use)', [14], 29, 401],
    ['used at 5 min (before half): no refresh, ended at 15', [5], 15, 401],
    ['used at 5 min: still live at 14', [5], 14, 200],
    ['used at 8 and 16 min: live at 30, ended at 31', [8, 16], 30.5, 200],
    ['used at 8 and 16 min: ended at 31', [8, 16], 31, 401],
    ['used at 8 and 12 min (12 is under half past 8): ended at 23', [8, 12], 23, 401],
  ])('%s', async (_name, uses, last, status) => {
    const token = await login();
    for (const at of uses) {
      await offsetMinutes(at);
      expect((await limits(token)).status).toBe(200);
    }
    await offsetMinutes(last);
    const res = await limits(token);
    expect(res.status).toBe(status);
    if (status === 401) expect(res.body).toBe(INVALID_SESSION);
  });

  it('an ended session answers the identity service 403 Bad_OAuth_Token, and identity use is activity too', async () => {
    const token = await login();
    await offsetMinutes(10);
    expect((await identity(token)).status).toBe(200);
    await offsetMinutes(24);
    expect((await limits(token)).status).toBe(200);
    await offsetMinutes(40);
    const res = await identity(token);
    expect([res.status, res.body]).toEqual([403, 'Bad_OAuth_Token']);
  });

  it("the org's own setting applies without the knob (2 hours in the default world): used at 59 (no refresh), 61 (ends at 181) and 180 (ends at 300)", async () => {
    org.setKnobs({ sessionTimeoutSeconds: null });
    const token = await login();
    await offsetMinutes(59);
    expect((await limits(token)).status).toBe(200);
    await offsetMinutes(61);
    expect((await limits(token)).status).toBe(200);
    await offsetMinutes(180);
    expect((await limits(token)).status).toBe(200);
    await offsetMinutes(180 + 120);
    await expectInvalidSession(token);
  });
});

describe('POST /services/oauth2/revoke', () => {
  it('revoking an access token: 200, empty body; the REST API then answers 401 INVALID_SESSION_ID', async () => {
    const token = await login();
    expect((await limits(token)).status).toBe(200);
    const res = await revoke(token);
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
    expect(res.headers.get('cache-control')).toBe('no-cache,must-revalidate,max-age=0,no-store,private');
    await expectInvalidSession(token);
    expect((await identity(token)).body).toBe('Bad_OAuth_Token');
  });

  it.each<[string, string, { method?: string; accept?: string }]>([
    ['on My Domain', MY_DOMAIN, {}],
    ['on test.salesforce.com', 'test.salesforce.com', {}],
    ['as a blind GET ?token=', LOGIN, { method: 'GET' }],
  ])('revoking %s ends the session too', async (_name, host, init) => {
    const token = await login();
    const res = await revoke(token, host, init);
    expect([res.status, res.body]).toEqual([200, '']);
    await expectInvalidSession(token);
  });

  it.each<[string, () => Promise<string>]>([
    ['an unknown token', async () => '00D000000000001!AQnotissued'],
    ['an empty token', async () => ''],
    [
      'a token revoked already',
      async () => {
        const t = await login();
        await revoke(t);
        return t;
      },
    ],
    [
      'an expired token',
      async () => {
        org.setKnobs({ sessionTimeoutSeconds: 900 });
        const t = await login();
        await offsetMinutes(15);
        return t;
      },
    ],
  ])('%s: 400 unsupported_token_type', async (_name, make) => {
    const res = await revoke(await make());
    expect(res.status).toBe(400);
    expect(res.body).toBe(UNSUPPORTED_TOKEN);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  });

  it('the revokeUnknownToken knob answers invalid_token instead; Accept asks for urlencoded', async () => {
    org.setKnobs({ revokeUnknownToken: 'invalid_token' });
    expect((await revoke('nope')).body).toBe(INVALID_TOKEN);
    org.setKnobs({ revokeUnknownToken: 'unsupported_token_type' });
    const res = await revoke('nope', LOGIN, { accept: 'application/x-www-form-urlencoded' });
    expect(res.body).toBe('error=unsupported_token_type&error_description=this+token+type+is+not+supported');
  });

  it("ends that session only: the user's other session and the app approval stay, a new JWT grant works", async () => {
    const first = await login();
    const second = await login();
    await revoke(first);
    await expectInvalidSession(first);
    expect((await limits(second)).status).toBe(200);
    const third = await login();
    expect((await limits(third)).status).toBe(200);
  });

  it('journals a trace of kind token with the token redacted, never whole', async () => {
    const token = await login();
    const res = await revoke(token);
    const trace = org.journal.get(res.headers.get('x-sfjwt-trace') ?? '');
    expect(trace).toMatchObject({
      kind: 'token',
      request: { method: 'POST', host: LOGIN, path: '/services/oauth2/revoke' },
      response: { status: 200 },
      outcome: 'success',
      username: 'integration@acme.com',
    });
    expect(trace?.checks).toEqual([
      { check: 'session', title: 'Token to revoke is a live session', verdict: 'pass', expected: 'an access token of a live session', actual: `${token.split('!')[0]}![redacted]: session ended` },
    ]);
    expect(JSON.stringify(org.journal.list())).not.toContain(token);
    const refused = org.journal.get((await revoke(token)).headers.get('x-sfjwt-trace') ?? '');
    expect(refused).toMatchObject({ response: { status: 400, error: 'unsupported_token_type', errorDescription: 'this token type is not supported' } });
  });
});

describe('revoke over plain http', () => {
  const overHttp = (token: string) =>
    org.handle(new Request(`http://${LOGIN}/services/oauth2/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody({ token }) }), {
      ...ctx(LOGIN),
      secure: false,
    });

  it("answers the token endpoint's HTTPS required, revokes nothing, and journals the tls check", async () => {
    const token = await login();
    const res = await overHttp(token);
    expect([res.status, await res.text()]).toEqual([400, '{"error":"invalid_request","error_description":"HTTPS required"}']);
    expect((await limits(token)).status).toBe(200);
    expect(org.journal.list(3).find((t) => t.request.path === '/services/oauth2/revoke')).toMatchObject({ decidedBy: 'tls', outcome: 'httpsRequired', response: { status: 400 } });
  });

  it('revokes with the requireTls knob off (serve --http)', async () => {
    org.setKnobs({ requireTls: false });
    const token = await login();
    expect((await overHttp(token)).status).toBe(200);
    await expectInvalidSession(token);
  });
});

describe('a deactivated or frozen user: sessions end at once', () => {
  it.each<[string, { active?: boolean; frozen?: boolean }, Parameters<MockOrg['setKnobs']>[0], number]>([
    ['deactivated', { active: false }, {}, 401],
    ['frozen', { frozen: true }, {}, 401],
    ['frozen, freezeEndsSessions off: the token keeps working', { frozen: true }, { freezeEndsSessions: false }, 200],
    ['deactivated, deactivationEndsSessions off', { active: false }, { deactivationEndsSessions: false }, 200],
    ['active: true again changes nothing', { active: true }, {}, 200],
  ])('%s (Setup)', async (_name, state, knobs, status) => {
    org.setKnobs(knobs);
    const token = await login();
    // A second user of the org, whose session must live on: the default world's frozen user, thawed.
    setUserState(org, { username: 'frozen@acme.com', frozen: false });
    const other = await login('frozen@acme.com');
    expect(setUserState(org, { username: 'integration@acme.com', ...state })).toEqual({ ok: true, value: {} });
    expect((await limits(token)).status).toBe(status);
    expect((await limits(other)).status).toBe(200);
  });

  it('through the admin API (POST /__sfjwt/setup/user-state): 401 INVALID_SESSION_ID, and no new login until unfrozen', async () => {
    const token = await login();
    const res = await send(
      new Request(`https://${LOGIN}/__sfjwt/setup/user-state`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'integration@acme.com', frozen: true }),
      }),
    );
    expect(res.status, res.body).toBe(200);
    await expectInvalidSession(token);
    setUserState(org, { username: 'integration@acme.com', frozen: false });
    expect((await limits(await login())).status).toBe(200);
  });
});

describe('reset', () => {
  it('forgets sessions (live or revoked), knobs and the clock offset', async () => {
    org.setKnobs({ sessionTimeoutSeconds: 900, revokeUnknownToken: 'invalid_token' });
    const token = await login();
    await offsetMinutes(10);
    org.reset();
    expect([org.sessions.size, org.clockOffsetMs, org.knobs.revokeUnknownToken, org.knobs.sessionTimeoutSeconds]).toEqual([0, 0, 'unsupported_token_type', null]);
    await expectInvalidSession(token);
  });
});

describe('over HTTPS on 127.0.0.1:0', () => {
  let started: StartedMockOrg;
  beforeAll(async () => {
    started = await startMockOrg({ world, clock: manualClock(NOW), seed: 7, stateDir: testStateDir(), tls: true });
  });
  afterAll(async () => started.close());

  it('grant, revoke on My Domain, then 401 INVALID_SESSION_ID; an unknown token 400', async () => {
    const f = fetchTrusting(started.caPem);
    const tokenRes = await f(`${started.login}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(world) }) }),
    });
    const { access_token: token, instance_url: instance } = (await tokenRes.json()) as { access_token: string; instance_url: string };
    const revoked = await f(`${instance}/services/oauth2/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody({ token }) });
    expect([revoked.status, await revoked.text()]).toEqual([200, '']);
    const rest = await f(`${instance}/services/data/v60.0/limits`, { headers: { Authorization: `Bearer ${token}` } });
    expect([rest.status, await rest.text(), rest.headers.get('www-authenticate')]).toEqual([401, INVALID_SESSION, 'Token']);
    const again = await f(`${started.login}/services/oauth2/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody({ token }) });
    expect([again.status, await again.text()]).toEqual([400, UNSUPPORTED_TOKEN]);
  });
});
