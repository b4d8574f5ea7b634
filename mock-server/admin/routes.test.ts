/**
 * The admin routes as a function of (org, Request): names that are properties of every object's
 * prototype are no routes and no Setup actions (404 JSON, never a 500); each /setup route answers
 * exactly what the Setup function behind it returns and leaves the world as that function does; a
 * refusal's code decides the status. No server: handleAdmin is called directly.
 */
import { describe, expect, it } from 'vitest';
import { testKeys, testOrg } from '../testing/fixtures.ts';
import { DEFAULT_APPS } from '../world/default-world.ts';
import { SETUP_ACTIONS, type SetupActionName } from '../setup/actions.ts';
import { ADMIN_PREFIX, handleAdmin } from './routes.ts';

const ACTIONS_FIX = 'Actions: approve, revoke, assign-profile, assign-permission-set, upload-certificate, remove-certificate, touch-app, user-state, org-state, record-logins.';

async function send(org: ReturnType<typeof testOrg>['org'], method: string, sub: string, body?: string) {
  const init: RequestInit = body === undefined ? { method } : { method, body, headers: { 'Content-Type': 'application/json' } };
  const request = new Request(`https://login.salesforce.com${ADMIN_PREFIX}${sub}`, init);
  const res = await handleAdmin(org, request, new URL(request.url).pathname);
  return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(await res.text()) as unknown };
}

describe('no route or action through the prototype chain', () => {
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'])('POST /setup/%s: 404 naming the actions', async (name) => {
    const { org } = testOrg();
    const res = await send(org, 'POST', `/setup/${name}`, '{}');
    expect(res).toEqual({ status: 404, type: 'application/json; charset=utf-8', body: { error: `no setup action "${name}"`, fix: ACTIONS_FIX } });
  });

  it.each([
    ['GET', '/constructor'],
    ['GET', '/__proto__'],
    ['GET', '/toString'],
    ['POST', '/hasOwnProperty'],
    ['GET', '/setup/approve'],
    ['HEAD', '/health'],
  ])('%s %s: 404, no admin endpoint', async (method, sub) => {
    const { org } = testOrg();
    const res = await send(org, method, sub);
    expect(res).toEqual({ status: 404, type: 'application/json; charset=utf-8', body: { error: `no admin endpoint ${method} ${sub}`, fix: 'GET /__sfjwt/ lists them.' } });
  });

  it.each(['__proto__', 'constructor', 'toString'])('GET /traces/%s: 404, no trace', async (id) => {
    const { org } = testOrg();
    expect(await send(org, 'GET', `/traces/${id}`)).toEqual({ status: 404, type: 'application/json; charset=utf-8', body: { error: 'no trace with that id (the journal keeps only the newest requests)' } });
  });
});

describe('each /setup route answers what its Setup function returns', () => {
  const sha = () => {
    const { index } = testOrg().org;
    return index.certificates(index.app(DEFAULT_APPS.selfAuthorized) ?? expect.fail('no app'))[0]?.sha256 ?? '';
  };
  it.each<[SetupActionName, () => unknown, number]>([
    ['approve', () => ({ username: 'unapproved@acme.com', app: DEFAULT_APPS.selfAuthorized }), 200],
    ['approve', () => ({ username: 'nobody@acme.com', app: DEFAULT_APPS.selfAuthorized }), 404],
    ['approve', () => ({ username: 'unapproved@acme.com' }), 400],
    ['revoke', () => ({ username: 'integration@acme.com', app: DEFAULT_APPS.selfAuthorized }), 200],
    ['assign-profile', () => ({ username: 'analyst@acme.com', profile: 'Integration User' }), 200],
    ['assign-permission-set', () => ({ username: 'analyst@acme.com', permissionSet: 'JWT Integration' }), 200],
    ['upload-certificate', () => ({ app: DEFAULT_APPS.selfAuthorized, pem: testKeys().certificatePem }), 200],
    ['upload-certificate', () => ({ app: DEFAULT_APPS.selfAuthorized, pem: 'nope' }), 400],
    ['remove-certificate', () => ({ app: DEFAULT_APPS.selfAuthorized, sha256: sha() }), 200],
    ['remove-certificate', () => ({ app: DEFAULT_APPS.selfAuthorized, sha256: 'AB' }), 404],
    ['touch-app', () => ({ app: 'Nope' }), 404],
    ['touch-app', () => ({ app: DEFAULT_APPS.selfAuthorized }), 200],
    ['user-state', () => ({ username: 'frozen@acme.com', frozen: false }), 200],
    ['org-state', () => ({ org: 'nope', status: 'locked' }), 404],
    ['org-state', () => ({ org: 'initech', status: 'active' }), 200],
    ['record-logins', () => ({ username: 'integration@acme.com', count: 3 }), 200],
    ['record-logins', () => ({ username: 'integration@acme.com', count: 0 }), 400],
  ])('%s %j', async (action, input, status) => {
    const viaRoute = testOrg().org;
    const direct = testOrg().org;
    const res = await send(viaRoute, 'POST', `/setup/${action}`, JSON.stringify(input()));
    const result = SETUP_ACTIONS[action](direct, input());
    expect(res.status).toBe(status);
    expect(res.body).toEqual(result.ok ? { ok: true, ...result.value } : result.fix === undefined ? { error: result.message } : { error: result.message, fix: result.fix });
    expect(viaRoute.index.world).toEqual(direct.index.world);
    expect(viaRoute.describe()).toEqual(direct.describe());
  });

  it('an empty body counts as {}: the fields are named as missing', async () => {
    const { org } = testOrg();
    expect(await send(org, 'POST', '/setup/touch-app', '  ')).toEqual({ status: 400, type: 'application/json; charset=utf-8', body: { error: 'app: Invalid input: expected string, received undefined' } });
  });

  it('a trailing slash is the same route', async () => {
    const { org } = testOrg();
    expect((await send(org, 'POST', '/setup/touch-app/', JSON.stringify({ app: DEFAULT_APPS.selfAuthorized }))).body).toEqual({ ok: true });
    expect((await send(org, 'GET', '/health//')).body).toEqual({ status: 'ok', requests: 0 });
  });
});

describe('the controls', () => {
  it('PUT and POST /clock, PATCH and PUT /knobs, POST and DELETE /force answer the control\'s value', async () => {
    const { org } = testOrg();
    expect((await send(org, 'POST', '/clock', '{"offsetSeconds":30}')).body).toEqual({ offsetSeconds: 30, now: '2026-03-01T12:00:30.000Z' });
    expect((await send(org, 'PUT', '/clock', '{"offsetSeconds":-30}')).body).toEqual({ offsetSeconds: -30, now: '2026-03-01T11:59:30.000Z' });
    expect(((await send(org, 'PUT', '/knobs', '{"honourFormat":false}')).body as Record<string, unknown>)['honourFormat']).toBe(false);
    expect(((await send(org, 'PATCH', '/knobs', '{"journalSize":5}')).body as Record<string, unknown>)['journalSize']).toBe(5);
    expect((await send(org, 'POST', '/force', '{"outcome":"drop"}')).body).toEqual({ pending: [{ outcome: 'drop', left: 1 }] });
    expect((await send(org, 'DELETE', '/force')).body).toEqual({ pending: [] });
    expect((await send(org, 'POST', '/reset')).body).toEqual({ ok: true });
    expect(org.knobs.honourFormat).toBe(true);
    expect(org.clockOffsetMs).toBe(0);
  });
});
