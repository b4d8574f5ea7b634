/**
 * The admin API over plain HTTP against `started.admin`: health, the journal (newest first, never a
 * secret in it), traces, Login History, forced outcomes (unknown_error, a dropped connection, a delay),
 * the clock offset, knobs, every Setup action and reset. Also what the token endpoint answers around
 * them: the lightning host's redirect, strict mode without the trace header, and the urlencoded and
 * XML formats, byte for byte.
 */
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../adapters/node-server.ts';
import { frozenClock } from '../core/clock.ts';
import { DEFAULT_KNOBS } from '../core/knobs.ts';
import { consumerKeyOf, formBody, goodClaims, JWT_GRANT, NOW, NOW_S, otherPrivateKey, signAssertion, testKeys, testWorld } from '../testing/fixtures.ts';
import { DEFAULT_APPS } from '../world/default-world.ts';

const TOKEN_PATH = '/services/oauth2/token';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const err = (error: string, description: string) => `{"error":"${error}","error_description":"${description}"}`;
const INVALID_ASSERTION = err('invalid_grant', 'invalid assertion');
const NOT_APPROVED = err('invalid_grant', "user hasn't approved this consumer");
const NOT_ADMIN_APPROVED = err('invalid_app_access', 'user is not admin approved to access this app');
const EXPIRED = err('invalid_grant', 'expired authorization code');
const UNKNOWN_ERROR = err('unknown_error', 'retry your request');
const UNSUPPORTED = err('unsupported_grant_type', 'grant type not supported');
const ACCESS_TOKEN = /^00D[A-Za-z0-9]{12}!AQ[A-Za-z0-9._]{94}$/;
const CHECK_ORDER = [
  'host',
  'path',
  'method',
  'tls',
  'grant-type',
  'assertion',
  'alg',
  'issuer',
  'signature',
  'audience',
  'expiry',
  'user',
  'user-state',
  'ip-restriction',
  'rate-limit',
  'app-access',
];
/** The admin API's JSON: pretty-printed with two spaces. */
const adminJson = (value: unknown) => JSON.stringify(value, null, 2);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers = { ...init.headers };
    if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body));
    const r = httpRequest({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: init.method ?? 'GET', headers, agent: false }, (res) => {
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

const world = testWorld();
const clock = frozenClock(NOW);
let started: StartedMockOrg;

/** An admin call as sfjwt's admin client makes it: the mock's token, and JSON declared on every state change. */
async function admin(method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${started.adminToken ?? ''}` };
  if (method !== 'GET') headers['Content-Type'] = 'application/json';
  const init: { method: string; headers: Record<string, string>; body?: string } = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  return call(`${started.admin}${path}`, init);
}

async function adminOk(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await admin(method, path, body);
  expect(res.status, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(res.body) as unknown;
}

const sign = (overrides: Record<string, unknown> = {}) => signAssertion({ claims: goodClaims(world, overrides) });

async function token(overrides: Record<string, unknown> = {}, extra: Record<string, string> = {}, base = started.login): Promise<Answer> {
  return call(`${base}${TOKEN_PATH}`, { method: 'POST', headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: await sign(overrides), ...extra }) });
}

async function expectToken(res: Answer): Promise<string> {
  expect(res.status, res.body).toBe(200);
  const accessToken = (JSON.parse(res.body) as Record<string, string>)['access_token'] ?? '';
  expect(accessToken).toMatch(ACCESS_TOKEN);
  return accessToken;
}

function expectError(res: Answer, body: string): void {
  expect(res.status).toBe(400);
  expect(res.body).toBe(body);
}

const traceId = (res: Answer) => {
  const id = res.headers['x-sfjwt-trace'];
  expect(id).toMatch(/^trace-\d+$/);
  return String(id);
};

beforeAll(async () => {
  started = await startMockOrg({ world, clock, seed: 7, stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-')), tls: false });
});
afterAll(async () => started.close());
beforeEach(() => {
  started.org.reset();
  clock.set(NOW);
});

describe('health, index and journal', () => {
  it('GET /health counts token requests, not admin calls', async () => {
    expect(await adminOk('GET', '/health')).toEqual({ status: 'ok', requests: 0 });
    await token();
    expect(await adminOk('GET', '/health')).toEqual({ status: 'ok', requests: 1 });
    const res = await admin('GET', '/health');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-sfjwt-trace']).toBeUndefined();
  });

  it('GET / lists the endpoints, every Setup action included', async () => {
    const { endpoints } = (await adminOk('GET', '/')) as { endpoints: string[] };
    expect(endpoints).toEqual(expect.arrayContaining(['GET /health', 'POST /reset', 'POST /setup/approve', 'POST /setup/org-state']));
  });

  it('the admin API answers under /__sfjwt on every host', async () => {
    const res = await call(`${started.myDomain['acme'] ?? ''}/__sfjwt/health`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok', requests: 0 });
  });

  it('GET /journal lists the traces newest first; ?limit= keeps the newest', async () => {
    const ids = [
      traceId(await call(`${started.login}${TOKEN_PATH}`, { method: 'POST', headers: FORM, body: 'garbage' })),
      traceId(
        await call(`${started.login}${TOKEN_PATH}`, {
          method: 'POST',
          headers: FORM,
          body: formBody({ grant_type: JWT_GRANT, assertion: await signAssertion({ claims: goodClaims(world), key: otherPrivateKey() }) }),
        }),
      ),
      traceId(await token()),
    ];
    const journal = (await adminOk('GET', '/journal')) as { total: number; kept: number; entries: { id: string; outcome: string }[] };
    expect(journal.total).toBe(3);
    expect(journal.kept).toBe(3);
    expect(journal.entries.map((e) => e.id)).toEqual([...ids].reverse());
    expect(journal.entries.map((e) => e.outcome)).toEqual(['success', 'signatureInvalid', 'unsupportedGrantType']);
    const limited = (await adminOk('GET', '/journal?limit=2')) as { entries: { id: string }[] };
    expect(limited.entries.map((e) => e.id)).toEqual([ids[2], ids[1]]);
  });

  it('never holds the raw assertion, its signature or the access token (redaction)', async () => {
    const assertion = await sign();
    const signature = assertion.split('.')[2] ?? '';
    const badAssertion = await signAssertion({ claims: goodClaims(world), key: otherPrivateKey() });
    const ok = await call(`${started.login}${TOKEN_PATH}`, { method: 'POST', headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion }) });
    const accessToken = await expectToken(ok);
    await call(`${started.login}${TOKEN_PATH}`, { method: 'POST', headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: badAssertion }) });
    // Parameters in the query string of a POST (accepted) must not leak through the trace's path either.
    const queryAssertion = await sign({ jti: 'query' });
    await expectToken(await call(`${started.login}${TOKEN_PATH}?${formBody({ grant_type: JWT_GRANT, assertion: queryAssertion })}`, { method: 'POST' }));
    // A REST call with the token in the query string.
    await call(`${started.myDomain['acme'] ?? ''}/services/data/v67.0/limits?oauth_token=${encodeURIComponent(accessToken)}`);

    const secrets = [
      assertion,
      signature,
      badAssertion,
      badAssertion.split('.')[2] ?? '',
      queryAssertion,
      queryAssertion.split('.')[2] ?? '',
      accessToken,
      accessToken.slice(accessToken.indexOf('!') + 1),
    ];
    const texts = [(await admin('GET', '/journal')).body, (await admin('GET', `/traces/${traceId(ok)}`)).body, (await admin('GET', '/login-history?username=integration@acme.com')).body];
    for (const text of texts) {
      for (const secret of secrets) expect(text.includes(secret), `a secret of ${secret.length} characters is in ${text.slice(0, 60)}`).toBe(false);
    }
    const trace = JSON.parse(texts[1] ?? '') as { response: { accessToken: string }; request: { assertion: { signature: string; payload: Record<string, unknown> } } };
    expect(trace.response.accessToken).toBe(`${accessToken.slice(0, accessToken.indexOf('!') + 1)}[redacted]`);
    expect(trace.request.assertion.signature).toBe('[redacted 256 bytes]');
    expect(trace.request.assertion.payload).toEqual(goodClaims(world));
  });

  it('GET /traces/:id returns the trace with decidedBy and every check in order', async () => {
    const failed = await call(`${started.login}${TOKEN_PATH}`, {
      method: 'POST',
      headers: FORM,
      body: formBody({ grant_type: JWT_GRANT, assertion: await signAssertion({ claims: goodClaims(world), key: otherPrivateKey() }) }),
    });
    const trace = (await adminOk('GET', `/traces/${traceId(failed)}`)) as Record<string, unknown> & { checks: { check: string; verdict: string }[] };
    expect(trace).toMatchObject({
      id: traceId(failed),
      time: '2026-03-01T12:00:00.000Z',
      kind: 'token',
      request: { method: 'POST', host: 'login.salesforce.com', path: TOKEN_PATH, contentType: 'application/x-www-form-urlencoded' },
      response: { status: 400, error: 'invalid_grant', errorDescription: 'invalid assertion' },
      decidedBy: 'signature',
      outcome: 'signatureInvalid',
      username: 'integration@acme.com',
      app: DEFAULT_APPS.selfAuthorized,
    });
    expect(trace.checks.map((c) => c.check)).toEqual(CHECK_ORDER);
    expect(trace.checks.find((c) => c.check === 'signature')?.verdict).toBe('fail');

    const succeeded = await token();
    expect(await adminOk('GET', `/traces/${traceId(succeeded)}`)).toMatchObject({ decidedBy: null, outcome: 'success', response: { status: 200 } });
  });

  it('an unknown trace: 404 JSON', async () => {
    const res = await admin('GET', '/traces/trace-999999');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(adminJson({ error: 'no trace with that id (the journal keeps only the newest requests)' }));
  });

  it('GET /login-history lists a failed then a successful login, newest first', async () => {
    const failed = await call(`${started.login}${TOKEN_PATH}`, {
      method: 'POST',
      headers: FORM,
      body: formBody({ grant_type: JWT_GRANT, assertion: await signAssertion({ claims: goodClaims(world), key: otherPrivateKey() }) }),
    });
    const ok = await token();
    const history = (await adminOk('GET', '/login-history?username=integration@acme.com')) as { username: string; entries: Record<string, unknown>[] };
    expect(history.username).toBe('integration@acme.com');
    expect(history.entries).toHaveLength(2);
    const common = {
      loginTime: '2026-03-01T12:00:00.000Z',
      username: 'integration@acme.com',
      application: DEFAULT_APPS.selfAuthorized,
      loginType: 'Remote Access 2.0',
      sourceIp: '127.0.0.1',
      loginUrl: 'login.salesforce.com',
    };
    expect(history.entries[0]).toEqual({ ...common, status: 'Success', traceId: traceId(ok) });
    expect(history.entries[1]).toEqual({ ...common, status: 'Failed: Signature Invalid', traceId: traceId(failed) });
  });

  it('login history of an unknown user: 404 with the fix', async () => {
    const res = await admin('GET', '/login-history?username=nobody@acme.com');
    expect(res.status).toBe(404);
    expect(res.body).toBe(adminJson({ error: 'no user "nobody@acme.com"', fix: 'Pass ?username= with a username of the world.' }));
  });

  it('an unknown admin endpoint: 404 with the fix', async () => {
    const res = await admin('GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body).toBe(adminJson({ error: 'no admin endpoint GET /nope', fix: 'GET /__sfjwt/ lists them.' }));
  });
});

describe('forced outcomes', () => {
  it('unknown_error × 2: the next two token requests get it exactly, then the normal answer', async () => {
    expect(await adminOk('POST', '/force', { outcome: 'unknown_error', count: 2 })).toEqual({ pending: [{ outcome: 'unknown_error', left: 2 }] });
    const first = await token();
    expectError(first, UNKNOWN_ERROR);
    expect(first.headers['content-type']).toBe('application/json;charset=UTF-8');
    expectError(await token(), UNKNOWN_ERROR);
    await expectToken(await token());
    expect(await adminOk('GET', '/force')).toEqual({ pending: [] });
    expect(await adminOk('GET', `/traces/${traceId(first)}`)).toMatchObject({ decidedBy: 'forced', outcome: 'unknownError' });
  });

  it('a custom Salesforce error is answered byte for byte', async () => {
    await adminOk('POST', '/force', { outcome: { status: 400, error: 'invalid_grant', error_description: 'authentication failure' } });
    expectError(await token(), err('invalid_grant', 'authentication failure'));
    await expectToken(await token());
  });

  it('drop: the client sees the connection reset, and the next request is served', async () => {
    await adminOk('POST', '/force', { outcome: 'drop' });
    const error = await token().then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(`${error?.code ?? ''} ${error?.message ?? ''}`).toMatch(/ECONNRESET|socket hang up/);
    const journal = (await adminOk('GET', '/journal?limit=1')) as { entries: { outcome: string; decidedBy: string }[] };
    expect(journal.entries[0]).toMatchObject({ outcome: 'dropped', decidedBy: 'forced' });
    await expectToken(await token());
  });

  it('delay 200 ms: still answers normally', async () => {
    await adminOk('POST', '/force', { outcome: 'delay', delayMs: 200 });
    await expectToken(await token());
    expect(await adminOk('GET', '/force')).toEqual({ pending: [] });
  });

  it('DELETE /force clears what is pending', async () => {
    await adminOk('POST', '/force', { outcome: 'unknown_error', count: 5 });
    expect(await adminOk('DELETE', '/force')).toEqual({ pending: [] });
    await expectToken(await token());
  });

  it.each([
    ['an unknown outcome', { outcome: 'explode' }],
    ['count 0', { outcome: 'drop', count: 0 }],
    ['an unknown field', { outcome: 'drop', extra: 1 }],
  ])('%s: 400 with an error', async (_n, body) => {
    const res = await admin('POST', '/force', body);
    expect(res.status).toBe(400);
    expect(typeof (JSON.parse(res.body) as { error: unknown }).error).toBe('string');
    expect(await adminOk('GET', '/force')).toEqual({ pending: [] });
  });
});

describe('clock', () => {
  it('GET /clock: no offset, the frozen now', async () => {
    expect(await adminOk('GET', '/clock')).toEqual({ offsetSeconds: 0, now: '2026-03-01T12:00:00.000Z' });
  });

  it('PUT /clock -3600 s: an assertion that expired 300 s ago becomes valid (client clock skew)', async () => {
    expectError(await token({ exp: NOW_S - 300 }), EXPIRED);
    expect(await adminOk('PUT', '/clock', { offsetSeconds: -3600 })).toEqual({ offsetSeconds: -3600, now: '2026-03-01T11:00:00.000Z' });
    await expectToken(await token({ exp: NOW_S + 180 }));
    await expectToken(await token({ exp: NOW_S - 300 }));
    expect((await adminOk('GET', '/journal?limit=1')) as unknown).toMatchObject({ entries: [{ time: '2026-03-01T11:00:00.000Z' }] });
  });

  it('PUT /clock +3600 s: a fresh assertion is now expired', async () => {
    await adminOk('PUT', '/clock', { offsetSeconds: 3600 });
    expectError(await token({ exp: NOW_S + 180 }), EXPIRED);
  });

  it.each([
    ['a string', { offsetSeconds: 'soon' }],
    ['beyond 1e9 s', { offsetSeconds: 2e9 }],
  ])('PUT /clock with %s: 400', async (_n, body) => {
    expect((await admin('PUT', '/clock', body)).status).toBe(400);
    expect(await adminOk('GET', '/clock')).toEqual({ offsetSeconds: 0, now: '2026-03-01T12:00:00.000Z' });
  });
});

describe('setup actions', () => {
  const adminApproved = () => consumerKeyOf(world, DEFAULT_APPS.adminApproved);

  it('approve makes unapproved@acme.com log in; revoke undoes it', async () => {
    expectError(await token({ sub: 'unapproved@acme.com' }), NOT_APPROVED);
    expect(await adminOk('POST', '/setup/approve', { username: 'unapproved@acme.com', app: DEFAULT_APPS.selfAuthorized })).toEqual({ ok: true });
    await expectToken(await token({ sub: 'unapproved@acme.com' }));
    await adminOk('POST', '/setup/revoke', { username: 'unapproved@acme.com', app: DEFAULT_APPS.selfAuthorized });
    expectError(await token({ sub: 'unapproved@acme.com' }), NOT_APPROVED);
  });

  it('assign-profile "Integration User" to analyst@acme.com makes the admin-approved app work', async () => {
    expectError(await token({ sub: 'analyst@acme.com', iss: adminApproved() }), NOT_ADMIN_APPROVED);
    expect(await adminOk('POST', '/setup/assign-profile', { username: 'analyst@acme.com', profile: 'Integration User' })).toEqual({ ok: true });
    await expectToken(await token({ sub: 'analyst@acme.com', iss: adminApproved() }));
  });

  it('assign-permission-set "JWT Integration" does it too', async () => {
    await adminOk('POST', '/setup/assign-permission-set', { username: 'analyst@acme.com', permissionSet: 'JWT Integration' });
    await expectToken(await token({ sub: 'analyst@acme.com', iss: adminApproved() }));
  });

  it('remove-certificate breaks the signature; upload-certificate restores it', async () => {
    const described = (await adminOk('GET', '/world')) as { apps: { name: string; certificates: { sha256: string }[] }[] };
    const sha256 = described.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized)?.certificates[0]?.sha256 ?? '';
    expect(sha256).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);

    expect(await adminOk('POST', '/setup/remove-certificate', { app: DEFAULT_APPS.selfAuthorized, sha256 })).toEqual({ ok: true });
    const broken = await token();
    expectError(broken, INVALID_ASSERTION);
    expect(await adminOk('GET', `/traces/${traceId(broken)}`)).toMatchObject({ decidedBy: 'signature' });
    const again = await admin('POST', '/setup/remove-certificate', { app: DEFAULT_APPS.selfAuthorized, sha256 });
    expect(again.status).toBe(404);
    expect(again.body).toBe(adminJson({ error: `no certificate with that fingerprint on "${DEFAULT_APPS.selfAuthorized}"` }));
    // The other apps keep their certificate.
    await expectToken(await token({ iss: adminApproved() }));

    expect(await adminOk('POST', '/setup/upload-certificate', { app: DEFAULT_APPS.selfAuthorized, pem: testKeys().certificatePem })).toEqual({ ok: true, app: DEFAULT_APPS.selfAuthorized, sha256 });
    await expectToken(await token());
  });

  it('upload-certificate with something that is not a certificate: 400', async () => {
    const res = await admin('POST', '/setup/upload-certificate', { app: DEFAULT_APPS.selfAuthorized, pem: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----' });
    expect(res.status).toBe(400);
    expect(typeof (JSON.parse(res.body) as { error: unknown }).error).toBe('string');
    await expectToken(await token());
  });

  it('user-state frozen / unfrozen / inactive', async () => {
    expect(await adminOk('POST', '/setup/user-state', { username: 'integration@acme.com', frozen: true })).toEqual({ ok: true });
    expectError(await token(), err('invalid_grant', 'user is frozen'));
    await adminOk('POST', '/setup/user-state', { username: 'integration@acme.com', frozen: false });
    await expectToken(await token());
    await adminOk('POST', '/setup/user-state', { username: 'integration@acme.com', active: false });
    expectError(await token(), err('invalid_grant', 'inactive user'));
  });

  it('org-state locked, then active again; an unknown org is 404', async () => {
    expect(await adminOk('POST', '/setup/org-state', { org: 'acme', status: 'locked' })).toEqual({ ok: true });
    expectError(await token(), err('inactive_org', 'organization is locked, closed, or suspended'));
    await adminOk('POST', '/setup/org-state', { org: 'acme', status: 'active' });
    await expectToken(await token());
    const res = await admin('POST', '/setup/org-state', { org: 'nope', status: 'locked' });
    expect(res.status).toBe(404);
    expect(res.body).toBe(adminJson({ error: 'no org "nope"' }));
  });

  it('touch-app with a propagation delay: the consumer key is unknown until it has passed', async () => {
    await adminOk('PATCH', '/knobs', { propagationDelaySeconds: 600 });
    await adminOk('POST', '/setup/touch-app', { app: DEFAULT_APPS.selfAuthorized });
    expectError(await token(), err('invalid_client_id', 'client identifier invalid'));
    clock.advance(600_000);
    await expectToken(await token({ exp: NOW_S + 600 + 180 }));
  });

  it('record-logins counts earlier logins of the hour: with loginRatePerHour 2, two recorded leave none', async () => {
    await adminOk('PATCH', '/knobs', { loginRatePerHour: 2 });
    expect(await adminOk('POST', '/setup/record-logins', { username: 'integration@acme.com', count: 1 })).toEqual({ ok: true, username: 'integration@acme.com', recentSuccesses: 1 });
    await expectToken(await token());
    expect(await adminOk('POST', '/setup/record-logins', { username: 'integration@acme.com', count: 5 })).toEqual({ ok: true, username: 'integration@acme.com', recentSuccesses: 2 });
    const limited = await token();
    expectError(limited, err('invalid_grant', 'login rate exceeded'));
    expect(await adminOk('GET', `/traces/${traceId(limited)}`)).toMatchObject({ decidedBy: 'rate-limit' });
    // An hour later the recorded logins no longer count.
    clock.advance(3_600_000);
    await expectToken(await token({ exp: NOW_S + 3_600 + 180 }));
  });

  it.each([
    ['a count of 0', { username: 'integration@acme.com', count: 0 }, 400],
    ['a count that is not whole', { username: 'integration@acme.com', count: 1.5 }, 400],
    ['no username', { count: 1 }, 400],
    ['an unknown user', { username: 'nobody@acme.com', count: 1 }, 404],
  ])('record-logins with %s: %i', async (_n, body, status) => {
    expect((await admin('POST', '/setup/record-logins', body)).status).toBe(status);
  });

  it('an unknown user or app: 404 with the fix', async () => {
    const user = await admin('POST', '/setup/approve', { username: 'nobody@acme.com', app: DEFAULT_APPS.selfAuthorized });
    expect(user.status).toBe(404);
    expect(user.body).toBe(adminJson({ error: 'no user "nobody@acme.com"', fix: 'GET /__sfjwt/world lists the users.' }));
    const app = await admin('POST', '/setup/approve', { username: 'unapproved@acme.com', app: 'Nope' });
    expect(app.status).toBe(404);
    expect(app.body).toBe(adminJson({ error: 'no app "Nope"', fix: 'GET /__sfjwt/world lists the apps.' }));
  });

  it('an unknown setup action: 404 listing the actions', async () => {
    const res = await admin('POST', '/setup/nope', { username: 'integration@acme.com' });
    expect(res.status).toBe(404);
    expect(res.body).toBe(
      adminJson({
        error: 'no setup action "nope"',
        fix: 'Actions: approve, revoke, assign-profile, assign-permission-set, upload-certificate, remove-certificate, touch-app, user-state, org-state, record-logins, login-ip-ranges, install-app.',
      }),
    );
  });

  it('missing fields: 400 naming them', async () => {
    const res = await admin('POST', '/setup/approve', { username: 'unapproved@acme.com' });
    expect(res.status).toBe(400);
    expect((JSON.parse(res.body) as { error: string }).error).toMatch(/^app: /);
  });
});

describe('knobs, bad bodies and reset', () => {
  it('PATCH /knobs {"expLeewaySeconds":0}: an assertion 100 s past exp is now expired', async () => {
    await expectToken(await token({ exp: NOW_S - 100 }));
    const knobs = (await adminOk('PATCH', '/knobs', { expLeewaySeconds: 0 })) as Record<string, unknown>;
    expect(knobs['expLeewaySeconds']).toBe(0);
    expect(((await adminOk('GET', '/knobs')) as Record<string, unknown>)['expLeewaySeconds']).toBe(0);
    expectError(await token({ exp: NOW_S - 100 }), EXPIRED);
    await expectToken(await token({ exp: NOW_S }));
  });

  it.each([
    ['a negative leeway', { expLeewaySeconds: -1 }],
    ['an unknown knob', { noSuchKnob: true }],
    ['a wrong type', { requireTls: 'yes' }],
  ])('PATCH /knobs with %s: 400, knobs unchanged', async (_n, body) => {
    const before = await adminOk('GET', '/knobs');
    const res = await admin('PATCH', '/knobs', body);
    expect(res.status).toBe(400);
    expect(typeof (JSON.parse(res.body) as { error: unknown }).error).toBe('string');
    expect(await adminOk('GET', '/knobs')).toEqual(before);
  });

  it.each([
    ['POST', '/force', 'not json'],
    ['PATCH', '/knobs', '{"expLeewaySeconds":'],
    ['POST', '/setup/approve', '{'],
    ['PUT', '/clock', "{'offsetSeconds': 1}"],
  ])('%s %s with a body that is not JSON: 400 JSON with "error"', async (method, path, body) => {
    const res = await admin(method, path, body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(adminJson({ error: 'the body is not valid JSON', fix: 'Send a JSON object with Content-Type: application/json.' }));
  });

  it('POST /reset restores world, knobs, clock, forced outcomes, journal and login history', async () => {
    const worldBefore = await adminOk('GET', '/world');
    const knobsBefore = await adminOk('GET', '/knobs');
    expect(knobsBefore).toEqual({ ...DEFAULT_KNOBS, requireTls: false });

    await expectToken(await token());
    await adminOk('POST', '/setup/approve', { username: 'unapproved@acme.com', app: DEFAULT_APPS.selfAuthorized });
    await adminOk('POST', '/setup/user-state', { username: 'frozen@acme.com', frozen: false });
    await adminOk('POST', '/setup/org-state', { org: 'initech', status: 'active' });
    const described = worldBefore as { apps: { name: string; certificates: { sha256: string }[] }[] };
    await adminOk('POST', '/setup/remove-certificate', { app: DEFAULT_APPS.adminApproved, sha256: described.apps.find((a) => a.name === DEFAULT_APPS.adminApproved)?.certificates[0]?.sha256 ?? '' });
    await adminOk('PATCH', '/knobs', { expLeewaySeconds: 0, loginRatePerHour: 5 });
    await adminOk('PUT', '/clock', { offsetSeconds: -3600 });
    await adminOk('POST', '/force', { outcome: 'unknown_error', count: 5 });
    expect(await adminOk('GET', '/world')).not.toEqual(worldBefore);

    expect(await adminOk('POST', '/reset')).toEqual({ ok: true });

    expect(await adminOk('GET', '/world')).toEqual(worldBefore);
    expect(await adminOk('GET', '/knobs')).toEqual(knobsBefore);
    expect(await adminOk('GET', '/clock')).toEqual({ offsetSeconds: 0, now: '2026-03-01T12:00:00.000Z' });
    expect(await adminOk('GET', '/force')).toEqual({ pending: [] });
    expect(await adminOk('GET', '/journal')).toEqual({ total: 0, kept: 0, entries: [] });
    expect(await adminOk('GET', '/login-history?username=integration@acme.com')).toEqual({ username: 'integration@acme.com', entries: [] });
    expectError(await token({ sub: 'unapproved@acme.com' }), NOT_APPROVED);
    expectError(await token({ sub: 'frozen@acme.com' }), err('invalid_grant', 'user is frozen'));
    await expectToken(await token({ iss: consumerKeyOf(world, DEFAULT_APPS.adminApproved) }));
    await expectToken(await token({ exp: NOW_S - 100 }));
  });

  it('PATCH /knobs {"journalSize":3} takes effect at once: the newest 3 are kept, then never more than 3', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(traceId(await call(`${started.login}${TOKEN_PATH}`, { method: 'POST', headers: FORM, body: `grant_type=x${i}` })));
    type Page = { total: number; kept: number; entries: { id: string }[] };
    const page = async () => {
      const p = (await adminOk('GET', '/journal')) as Page;
      return { total: p.total, kept: p.kept, ids: p.entries.map((e) => e.id) };
    };
    expect(((await adminOk('PATCH', '/knobs', { journalSize: 3 })) as Record<string, unknown>)['journalSize']).toBe(3);
    expect(await page()).toEqual({ total: 5, kept: 3, ids: [ids[4], ids[3], ids[2]] });
    expect((await admin('GET', `/traces/${ids[1] ?? ''}`)).status).toBe(404);
    expect((await admin('GET', `/traces/${ids[2] ?? ''}`)).status).toBe(200);
    ids.push(traceId(await token()));
    expect(await page()).toEqual({ total: 6, kept: 3, ids: [ids[5], ids[4], ids[3]] });
    // Growing keeps what is there and makes room for more.
    await adminOk('PATCH', '/knobs', { journalSize: 5 });
    ids.push(traceId(await token()), traceId(await token()));
    expect(await page()).toEqual({ total: 8, kept: 5, ids: [ids[7], ids[6], ids[5], ids[4], ids[3]] });
  });
});

describe('token endpoint around the admin API', () => {
  it('the lightning host answers 302 to the My Domain token URL, query string kept', async () => {
    const lightning = started.hosts['acme.lightning.force.com'] ?? '';
    expect(lightning).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await call(`${lightning}${TOKEN_PATH}`, { method: 'POST', headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: await sign() }) });
    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe(`${started.myDomain['acme'] ?? ''}${TOKEN_PATH}`);
    expect(res.body).toBe('');
    const withQuery = await call(`${lightning}${TOKEN_PATH}?format=json`, { method: 'POST', headers: FORM, body: 'grant_type=x' });
    expect(withQuery.headers['location']).toBe(`${started.myDomain['acme'] ?? ''}${TOKEN_PATH}?format=json`);
  });

  it.each([
    ['format=urlencoded', { format: 'urlencoded' }, {}, 'application/x-www-form-urlencoded;charset=UTF-8', 'error=invalid_grant&error_description=user+hasn%27t+approved+this+consumer'],
    [
      'format=xml',
      { format: 'xml' },
      {},
      'application/xml;charset=UTF-8',
      '<?xml version="1.0" encoding="UTF-8"?><OAuth><error>invalid_grant</error><error_description>user hasn&apos;t approved this consumer</error_description></OAuth>',
    ],
    [
      'format=XML (any case)',
      { format: 'XML' },
      {},
      'application/xml;charset=UTF-8',
      '<?xml version="1.0" encoding="UTF-8"?><OAuth><error>invalid_grant</error><error_description>user hasn&apos;t approved this consumer</error_description></OAuth>',
    ],
    [
      'Accept: application/xml',
      {},
      { Accept: 'application/xml' },
      'application/xml;charset=UTF-8',
      '<?xml version="1.0" encoding="UTF-8"?><OAuth><error>invalid_grant</error><error_description>user hasn&apos;t approved this consumer</error_description></OAuth>',
    ],
    ['format=json over Accept: application/xml', { format: 'json' }, { Accept: 'application/xml' }, 'application/json;charset=UTF-8', NOT_APPROVED],
    ['format=yaml (unknown: JSON)', { format: 'yaml' }, {}, 'application/json;charset=UTF-8', NOT_APPROVED],
  ] as const)('%s gives the exact bytes', async (_n, extra, headers, contentType, body) => {
    const res = await call(`${started.login}${TOKEN_PATH}`, {
      method: 'POST',
      headers: { ...FORM, ...headers },
      body: formBody({ grant_type: JWT_GRANT, assertion: await sign({ sub: 'unapproved@acme.com' }), ...extra }),
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(contentType);
    expect(res.body).toBe(body);
  });

  it('a success in format=urlencoded keeps the field order', async () => {
    const res = await token({}, { format: 'urlencoded' });
    expect(res.status).toBe(200);
    expect([...new URLSearchParams(res.body).keys()]).toEqual(['access_token', 'scope', 'instance_url', 'id', 'token_type']);
  });

  it('with honourFormat off, format=xml still gets JSON', async () => {
    await adminOk('PATCH', '/knobs', { honourFormat: false });
    const res = await token({ sub: 'unapproved@acme.com' }, { format: 'xml' });
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.body).toBe(NOT_APPROVED);
  });

  describe('strict mode', () => {
    let strict: StartedMockOrg;
    beforeAll(async () => {
      strict = await startMockOrg({ world, clock, seed: 7, stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-')), tls: false, strict: true });
    });
    afterAll(async () => strict.close());

    it('sends no x-sfjwt-trace header, and the same bytes as the default mode', async () => {
      const body = formBody({ grant_type: JWT_GRANT, assertion: await sign({ sub: 'unapproved@acme.com' }) });
      const strictRes = await call(`${strict.login}${TOKEN_PATH}`, { method: 'POST', headers: FORM, body });
      const normalRes = await call(`${started.login}${TOKEN_PATH}`, { method: 'POST', headers: FORM, body });
      expect(strictRes.headers['x-sfjwt-trace']).toBeUndefined();
      expect(normalRes.headers['x-sfjwt-trace']).toMatch(/^trace-\d+$/);
      expect(strictRes.status).toBe(400);
      expect(strictRes.body).toBe(NOT_APPROVED);
      expect(strictRes.body).toBe(normalRes.body);
      const ok = await call(`${strict.login}${TOKEN_PATH}`, { method: 'POST', headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: await sign() }) });
      await expectToken(ok);
      expect(ok.headers['x-sfjwt-trace']).toBeUndefined();
      const garbage = await call(`${strict.login}${TOKEN_PATH}`, { method: 'POST', headers: FORM, body: 'x' });
      expect(garbage.body).toBe(UNSUPPORTED);
      expect(garbage.headers['x-sfjwt-trace']).toBeUndefined();
    });
  });
});
