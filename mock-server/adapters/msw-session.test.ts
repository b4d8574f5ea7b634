/**
 * A suite's own endpoint behind a real session, in-process with msw: `withSession` answers the REST
 * API's 401 INVALID_SESSION_ID (the same bytes as /services/data) to a missing, unknown, expired or
 * revoked token and to a token of another org's host, and calls the handler with the session's user
 * otherwise; `extra` handlers come before the mock's own, which would answer its 404 page.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { frozenClock } from '../core/clock.ts';
import { MockOrg } from '../core/mock-org.ts';
import { setApiRequestsUsed } from '../core/rest/api-usage.ts';
import { formBody, goodClaims, JWT_GRANT, NOW, signAssertion, testWorld, tokenRequest } from '../testing/fixtures.ts';
import { salesforceHandlers, withSession } from './msw.ts';

const INVALID_SESSION = '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]';
const ORDERS = 'https://acme.my.salesforce.com/services/apexrest/orders';

const world = testWorld();
const clock = frozenClock(NOW);
const org = new MockOrg({ world, clock, seed: 7 });
const server = setupServer(
  ...salesforceHandlers(org, {
    extra: [
      http.get(
        'https://*.my.salesforce.com/services/apexrest/orders',
        withSession(org, ({ live }) => HttpResponse.json({ owner: live.user.username, org: live.org.id, app: live.session.app })),
      ),
    ],
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  org.reset();
  clock.set(NOW);
});

async function login(): Promise<string> {
  const res = await fetch(tokenRequest('https://login.salesforce.com/services/oauth2/token', formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(world) }) })));
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const orders = (token?: string, url = ORDERS) => fetch(url, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });

async function expect401(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(await res.text()).toBe(INVALID_SESSION);
  expect(res.headers.get('www-authenticate')).toBe('Token');
  expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
}

describe('withSession', () => {
  it('a live token: 200 from the handler, with the session user', async () => {
    const res = await orders(await login());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ owner: 'integration@acme.com', org: world.orgs.find((o) => o.name === 'acme')?.id, app: world.apps[0]?.name });
  });

  it.each<[string, () => Promise<string | undefined>]>([
    ['no token', async () => undefined],
    ['an unknown token', async () => '00D000000000001!AQnope'],
    [
      'a revoked token',
      async () => {
        const token = await login();
        const res = await fetch('https://login.salesforce.com/services/oauth2/revoke', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody({ token }) });
        expect(res.status).toBe(200);
        return token;
      },
    ],
    [
      'an expired token (2 hours idle)',
      async () => {
        const token = await login();
        clock.advance(7_200_000);
        return token;
      },
    ],
  ])('%s: 401 INVALID_SESSION_ID, the REST API bytes', async (_name, make) => {
    await expect401(await orders(await make()));
  });

  it("the 401 is byte for byte the REST API's", async () => {
    const mine = await orders('bad');
    const rest = await fetch('https://acme.my.salesforce.com/services/data/v60.0/limits', { headers: { Authorization: 'Bearer bad' } });
    expect([mine.status, await mine.text(), mine.headers.get('www-authenticate')]).toEqual([rest.status, await rest.text(), rest.headers.get('www-authenticate')]);
  });

  it("a live token on another org's My Domain: 401, as the REST API answers", async () => {
    await expect401(await orders(await login(), 'https://initech.my.salesforce.com/services/apexrest/orders'));
  });

  it('use through withSession is activity: used at 61 minutes, the session lives past 2 hours', async () => {
    const token = await login();
    clock.advance(61 * 60_000);
    expect((await orders(token)).status).toBe(200);
    clock.advance(100 * 60_000);
    expect((await orders(token)).status).toBe(200);
  });

  it("an Apex REST path no extra handler serves: 401 without a session, Apex REST's 404 with one; other paths the mock's 404 page", async () => {
    await expect401(await fetch('https://acme.my.salesforce.com/services/apexrest/other'));
    const token = await login();
    const res = await orders(token, 'https://acme.my.salesforce.com/services/apexrest/other');
    expect([res.status, await res.text()]).toEqual([404, '[{"errorCode":"NOT_FOUND","message":"Could not find a match for URL"}]']);
    const page = await orders(token, 'https://acme.my.salesforce.com/services/custom/other');
    expect([page.status, page.headers.get('content-type')]).toEqual([404, 'text/html;charset=UTF-8']);
  });

  it('journals each call with its status and why a session was refused, and spends one DailyApiRequest per live call', async () => {
    const token = await login();
    expect((await orders(token)).status).toBe(200);
    await expect401(await orders('00D000000000001!AQnope'));
    const [refused, answered] = org.journal.list(2);
    expect(refused).toMatchObject({
      kind: 'rest',
      request: { method: 'GET', host: 'acme.my.salesforce.com', path: '/services/apexrest/orders' },
      response: { status: 401 },
      checks: [{ check: 'session', verdict: 'fail', actual: 'unknown access token' }],
    });
    expect(answered).toMatchObject({
      kind: 'rest',
      username: 'integration@acme.com',
      response: { status: 200 },
      checks: [{ check: 'session', verdict: 'pass', note: 'answered by a handler of the suite (withSession)' }],
    });
    const limits = await fetch('https://acme.my.salesforce.com/services/data/v60.0/limits', { headers: { Authorization: `Bearer ${token}` } });
    expect(limits.headers.get('sforce-limit-info')).toBe('api-usage=2/15000');
  });

  it('once the DailyApiRequests are spent: 403 REQUEST_LIMIT_EXCEEDED and the handler is not called', async () => {
    const token = await login();
    setApiRequestsUsed(org, world.orgs.find((o) => o.name === 'acme')?.id ?? '', 15_000);
    const res = await orders(token);
    expect([res.status, await res.text(), res.headers.get('sforce-limit-info')]).toEqual([
      403,
      '[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]',
      'api-usage=15000/15000',
    ]);
  });
});
