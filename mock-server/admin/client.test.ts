/**
 * The admin client against a mock served on 127.0.0.1 (plain HTTP, frozen clock): every function
 * reaches its route and answers what the Setup function would (done with the value, or refused with
 * the route, status, message and fix), clearCertificates removes what the mock holds, a client without
 * the mock's admin token is refused its state changes (and told what to send), and a mock that does
 * not answer or a URL that is not the admin API is a ResourceError that says so.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ResourceError } from '../../lib/errors.ts';
import { type StartedMockOrg, startMockOrg } from '../adapters/node-server.ts';
import { frozenClock } from '../core/clock.ts';
import { DEFAULT_KNOBS } from '../core/knobs.ts';
import { NOW, testKeys, testWorld } from '../testing/fixtures.ts';
import { DEFAULT_APPS } from '../world/default-world.ts';
import { type AdminClient, adminClient } from './client.ts';

const APP = DEFAULT_APPS.selfAuthorized;
let started: StartedMockOrg;
let client: AdminClient;

beforeAll(async () => {
  started = await startMockOrg({ world: testWorld(), clock: frozenClock(NOW), seed: 7, stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-client-')), tls: false });
  client = adminClient(started.admin, { token: started.adminToken });
});
afterAll(async () => started.close());
beforeEach(() => started.org.reset());

const user = (username: string) => started.org.index.userByUsername(username) ?? expect.fail(username);

describe('done', () => {
  it('reads: health, world, knobs, clock, forced, journal', async () => {
    expect(await client.health()).toEqual({ ok: true, value: { status: 'ok', requests: 0 } });
    const world = await client.world();
    expect(world.ok && world.value.apps.map((a) => a.name)).toEqual(started.org.describe().apps.map((a) => a.name));
    expect(await client.knobs()).toEqual({ ok: true, value: { ...DEFAULT_KNOBS, requireTls: false } });
    expect(await client.clock()).toEqual({ ok: true, value: { offsetSeconds: 0, now: '2026-03-01T12:00:00.000Z' } });
    expect(await client.forced()).toEqual({ ok: true, value: { pending: [] } });
    expect(await client.journal(5)).toEqual({ ok: true, value: { total: 0, kept: 0, entries: [] } });
    expect(await client.loginHistory('INTEGRATION@acme.com')).toEqual({ ok: true, value: { username: 'integration@acme.com', entries: [] } });
  });

  it('controls: clock, knobs, forced outcomes, reset', async () => {
    expect(await client.setClockOffset({ offsetSeconds: 60 })).toEqual({ ok: true, value: { offsetSeconds: 60, now: '2026-03-01T12:01:00.000Z' } });
    expect(await client.setKnobs({ expLeewaySeconds: 0 })).toEqual({ ok: true, value: { ...DEFAULT_KNOBS, requireTls: false, expLeewaySeconds: 0 } });
    expect(await client.forceOutcome({ outcome: 'unknown_error', count: 2 })).toEqual({ ok: true, value: { pending: [{ outcome: 'unknown_error', left: 2 }] } });
    expect(await client.clearForcedOutcomes()).toEqual({ ok: true, value: { pending: [] } });
    expect(await client.reset()).toEqual({ ok: true, value: {} });
    expect(started.org.clockOffsetMs).toBe(0);
    expect(started.org.knobs.expLeewaySeconds).toBe(DEFAULT_KNOBS.expLeewaySeconds);
  });

  it('Setup actions change the served org; the value is the Setup function\'s, without "ok"', async () => {
    expect(await client.approveApp({ username: 'unapproved@acme.com', app: APP })).toEqual({ ok: true, value: {} });
    expect(user('unapproved@acme.com').approvedApps).toEqual([APP]);
    expect(await client.revokeApp({ username: 'unapproved@acme.com', app: APP })).toEqual({ ok: true, value: {} });
    expect(user('unapproved@acme.com').approvedApps).toEqual([]);
    await client.assignProfile({ username: 'analyst@acme.com', profile: 'Integration User' });
    await client.assignPermissionSet({ username: 'analyst@acme.com', permissionSet: 'JWT Integration' });
    expect(user('analyst@acme.com')).toMatchObject({ profile: 'Integration User', permissionSets: ['JWT Integration'] });
    await client.setUserState({ username: 'frozen@acme.com', frozen: false });
    expect(user('frozen@acme.com').frozen).toBe(false);
    await client.setOrgState({ org: 'acme', status: 'locked' });
    expect(started.org.index.org('acme')?.status).toBe('locked');
    await client.touchApp({ app: APP });
    expect(started.org.index.app(APP)?.lastModified).toBe('2026-03-01T12:00:00.000Z');
    expect(await client.recordLogins({ username: 'integration@acme.com', count: 2 })).toEqual({ ok: true, value: { username: 'integration@acme.com', recentSuccesses: 2 } });
  });

  it('clearCertificates removes every certificate the mock holds; uploadCertificate puts one back', async () => {
    const app = started.org.index.app(APP) ?? expect.fail(APP);
    const sha256 = started.org.index.certificates(app)[0]?.sha256;
    expect(await client.clearCertificates({ app: APP })).toEqual({ ok: true, value: { removed: [sha256] } });
    expect(started.org.index.certificates(started.org.index.app(APP) ?? app)).toEqual([]);
    expect(await client.clearCertificates({ app: APP })).toEqual({ ok: true, value: { removed: [] } });
    expect(await client.uploadCertificate({ app: APP, pem: testKeys().certificatePem })).toEqual({ ok: true, value: { app: APP, sha256 } });
  });
});

describe('refused', () => {
  it.each<[string, () => Promise<unknown>, object]>([
    [
      'an unknown user',
      () => client.approveApp({ username: 'nobody@acme.com', app: APP }),
      { route: 'POST /setup/approve', status: 404, message: 'no user "nobody@acme.com"', fix: 'GET /__sfjwt/world lists the users.' },
    ],
    ['an unknown org', () => client.setOrgState({ org: 'nope', status: 'locked' }), { route: 'POST /setup/org-state', status: 404, message: 'no org "nope"' }],
    ['a count of 0', () => client.recordLogins({ username: 'integration@acme.com', count: 0 }), { route: 'POST /setup/record-logins', status: 400, message: 'count: expected at least 1' }],
    [
      'a bad knob',
      () => client.setKnobs({ expLeewaySeconds: -1 }),
      { route: 'PATCH /knobs', status: 400, message: 'expLeewaySeconds: must be an integer from 0 to 86400, got -1', fix: 'docs/knobs.md (in the sfjwt package) lists every knob with its range.' },
    ],
    ['a trace the journal does not hold', () => client.trace('trace-1'), { route: 'GET /traces/trace-1', status: 404, message: 'no trace with that id (the journal keeps only the newest requests)' }],
    [
      'login history of an unknown user',
      () => client.loginHistory('nobody'),
      { route: 'GET /login-history?username=nobody', status: 404, message: 'no user "nobody"', fix: 'Pass ?username= with a username of the world.' },
    ],
    [
      'clearing the certificates of an unknown app',
      () => client.clearCertificates({ app: 'Nope' }),
      { route: 'GET /world', status: 404, message: 'no app "Nope"', fix: 'GET /__sfjwt/world lists the apps.' },
    ],
  ])('%s', async (_name, call, refusal) => {
    expect(await call()).toEqual({ ok: false, ...refusal });
  });

  it('without the admin token: reads are answered, state changes refused with what to send', async () => {
    const anonymous = adminClient(started.admin);
    expect(await anonymous.health()).toEqual({ ok: true, value: { status: 'ok', requests: 0 } });
    expect(await anonymous.reset()).toEqual({
      ok: false,
      route: 'POST /reset',
      status: 401,
      message: 'a state change needs the admin token',
      fix: 'Send Authorization: Bearer <token> or x-sfjwt-admin-token: <token>; serve prints the token (--json: adminToken), startMockOrg() returns it as adminToken.',
    });
    expect(await adminClient(started.admin, { token: 'not-the-token-0123456789' }).setKnobs({ expLeewaySeconds: 0 })).toMatchObject({ ok: false, status: 401 });
    expect(started.org.knobs.expLeewaySeconds).toBe(DEFAULT_KNOBS.expLeewaySeconds);
  });
});

describe('not the admin API', () => {
  it('a mock that is not running: ResourceError, "did not answer"', async () => {
    const idle = createServer();
    await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', resolve));
    const { port } = idle.address() as AddressInfo;
    await new Promise<void>((resolve) => idle.close(() => resolve()));
    const answer = adminClient(`http://127.0.0.1:${port}/__sfjwt`).health();
    await expect(answer).rejects.toThrow(ResourceError);
    await expect(answer).rejects.toThrow(`the mock's admin API at http://127.0.0.1:${port}/__sfjwt did not answer GET /health: fetch failed`);
  });

  it('an answer that is not JSON: ResourceError naming the base URL to give', async () => {
    const other = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = other.address() as AddressInfo;
      const error = await adminClient(`http://127.0.0.1:${port}/`)
        .health()
        .then(
          () => expect.fail('answered'),
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ResourceError);
      expect(error).toMatchObject({
        message: `the mock's admin API at http://127.0.0.1:${port} answered GET /health with 200 and a body that is not JSON: hello`,
        actions: ["Give the admin API's base URL, which ends with /__sfjwt (serve --json prints it as admin)."],
      });
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('a base URL with a trailing slash is the same admin API', async () => {
    expect(await adminClient(`${started.admin}/`).health()).toEqual({ ok: true, value: { status: 'ok', requests: 0 } });
  });
});
