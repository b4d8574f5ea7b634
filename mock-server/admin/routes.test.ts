/**
 * The admin routes as a function of (org, request, how it is served): names that are properties of
 * every object's prototype are no routes and no Setup actions (404 JSON, never a 500); each /setup
 * route answers exactly what the Setup function behind it returns and leaves the world as that
 * function does; a refusal's code decides the status; an endless body is read no further than the
 * 1 MiB cap; journalSize takes effect. No server: handleAdmin is called directly, as msw calls it
 * (the real host names, no admin token).
 */
import { describe, expect, it } from 'vitest';
import { fromFetchRequest } from '../core/incoming.ts';
import type { ServeContext } from '../core/mock-org.ts';
import { SETUP_ACTIONS, type SetupActionName } from '../setup/actions.ts';
import { testKeys, testOrg } from '../testing/fixtures.ts';
import { DEFAULT_APPS } from '../world/default-world.ts';
import { LOGIN_HOST, realHostUrls } from '../world/hosts.ts';
import { ADMIN_PREFIX, handleAdmin } from './routes.ts';

const ACTIONS_FIX =
  'Actions: approve, revoke, assign-profile, assign-permission-set, upload-certificate, remove-certificate, touch-app, user-state, org-state, record-logins, login-ip-ranges, install-app.';

/** How msw serves the org: under the real host names, over HTTPS. */
const MSW: ServeContext = { host: LOGIN_HOST, secure: true, clientIp: '127.0.0.1', urls: realHostUrls() };

async function send(org: ReturnType<typeof testOrg>['org'], method: string, sub: string, body?: string) {
  // A state change declares its JSON body, as the admin API requires.
  const init: RequestInit = { method, headers: method === 'GET' || method === 'HEAD' ? {} : { 'Content-Type': 'application/json' } };
  if (body !== undefined) init.body = body;
  const request = new Request(`https://login.salesforce.com${ADMIN_PREFIX}${sub}`, init);
  const res = await handleAdmin(org, fromFetchRequest(request), MSW);
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
    expect(await send(org, 'GET', `/traces/${id}`)).toEqual({
      status: 404,
      type: 'application/json; charset=utf-8',
      body: { error: 'no trace with that id (the journal keeps only the newest requests)' },
    });
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
    expect(await send(org, 'POST', '/setup/touch-app', '  ')).toEqual({
      status: 400,
      type: 'application/json; charset=utf-8',
      body: { error: 'app: expected a string' },
    });
  });

  it('a trailing slash is the same route', async () => {
    const { org } = testOrg();
    expect((await send(org, 'POST', '/setup/touch-app/', JSON.stringify({ app: DEFAULT_APPS.selfAuthorized }))).body).toEqual({ ok: true });
    expect((await send(org, 'GET', '/health//')).body).toEqual({ status: 'ok', requests: 0 });
  });
});

describe('the controls', () => {
  it("PUT and POST /clock, PATCH and PUT /knobs, POST and DELETE /force answer the control's value", async () => {
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

describe('bodies and knobs', () => {
  it('an endless body is read no further than the 1 MiB cap: 413, nothing changed', async () => {
    const { org } = testOrg();
    let pulled = 0;
    const chunk = new Uint8Array(16 * 1024).fill(0x20);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(`https://login.salesforce.com${ADMIN_PREFIX}/knobs`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    const res = await handleAdmin(org, fromFetchRequest(request), MSW);
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(JSON.parse(await res.text())).toEqual({ error: 'the body is over 1048576 bytes', fix: 'Admin requests are small JSON objects (a certificate upload is a few KB).' });
    // What the cap allows, plus the chunk that crossed it and what the stream had queued ahead.
    expect(pulled).toBeGreaterThan(1024 * 1024);
    expect(pulled).toBeLessThanOrEqual(1024 * 1024 + 4 * chunk.byteLength);
  });

  it('in this process (no admin token) a JSON state change is done; a text/plain one is still refused', async () => {
    const { org } = testOrg();
    const post = (type: string) =>
      handleAdmin(org, fromFetchRequest(new Request(`https://acme.my.salesforce.com${ADMIN_PREFIX}/force`, { method: 'POST', headers: { 'Content-Type': type }, body: '{"outcome":"drop"}' })), MSW);
    expect((await post('text/plain')).status).toBe(415);
    expect(org.forced.pending()).toEqual([]);
    expect((await post('application/json')).status).toBe(200);
    expect(org.forced.pending()).toEqual([{ outcome: 'drop', left: 1 }]);
  });

  it('PATCH /knobs {"journalSize":3} resizes the journal', async () => {
    const { org } = testOrg();
    for (let i = 0; i < 5; i += 1) await org.handle(new Request('https://login.salesforce.com/services/oauth2/token', { method: 'POST', body: 'x' }), MSW);
    expect(org.journal.size).toBe(5);
    await send(org, 'PATCH', '/knobs', '{"journalSize":3}');
    expect(org.journal.size).toBe(3);
    expect(org.journal.list().map((t) => t.id)).toEqual(['trace-5', 'trace-4', 'trace-3']);
  });
});
