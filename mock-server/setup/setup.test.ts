/**
 * The Setup functions over a world index and Login History, without HTTP: each action changes
 * exactly the part of the world it names (the whole world is compared with the expected one), each
 * refusal has its code, message and fix and changes nothing, any JSON at all is answered and never
 * thrown on, and the mock's own controls (clock, forced outcomes, knobs, reset) do what the admin
 * API says they do.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, issueCertificate } from '../../lib/pki/generate.ts';
import { DEFAULT_KNOBS } from '../core/knobs.ts';
import { LoginHistory } from '../core/login-history.ts';
import { Sessions } from '../core/sessions.ts';
import { NOW, testKeys, testOrg, testWorld } from '../testing/fixtures.ts';
import { DEFAULT_APPS } from '../world/default-world.ts';
import type { App, Org, User, World } from '../world/schema.ts';
import { WorldIndex } from '../world/world-index.ts';
import {
  approveApp,
  assignPermissionSet,
  assignProfile,
  clearCertificates,
  installApp,
  isSetupAction,
  recordLogins,
  removeCertificate,
  revokeApp,
  SETUP_ACTION_NAMES,
  SETUP_ACTIONS,
  type SetupOrg,
  setLoginIpRanges,
  setOrgState,
  setUserState,
  touchApp,
  uploadCertificate,
} from './actions.ts';
import { clearForcedOutcomes, forceOutcome, HARNESS_CONTROLS, resetMock, setClockOffset, setKnobs } from './harness.ts';
import type { SetupResult } from './result.ts';

const APP = DEFAULT_APPS.selfAuthorized;
const LIST_USERS = 'GET /__sfjwt/world lists the users.';
const LIST_APPS = 'GET /__sfjwt/world lists the apps.';

let org: SetupOrg & { index: WorldIndex; loginHistory: LoginHistory };
beforeEach(() => {
  org = { index: new WorldIndex(testWorld()), loginHistory: new LoginHistory(), sessions: new Sessions(), knobs: { ...DEFAULT_KNOBS, loginRatePerHour: 5 }, now: () => NOW };
});

const user = (w: World, username: string): User => w.users.find((u) => u.username === username) ?? expect.fail(`no ${username}`);
const app = (w: World, name: string): App => w.apps.find((a) => a.name === name) ?? expect.fail(`no ${name}`);
const orgOf = (w: World, name: string): Org => w.orgs.find((o) => o.name === name) ?? expect.fail(`no ${name}`);
const fingerprint = (name = APP) => org.index.certificates(app(org.index.world, name))[0]?.sha256 ?? expect.fail('no certificate');

let another: string | undefined;
/** A certificate on no app of the world (made once: a 2048-bit key takes a moment). */
const anotherCertificate = () => (another ??= issueCertificate(generateRsaKeyPair(2048), { subject: [{ shortName: 'CN', value: 'another' }], notBefore: new Date(NOW - 86_400_000) }));

describe('Setup actions: what each changes', () => {
  it.each<[string, () => SetupResult<unknown>, unknown, (w: World) => void]>([
    ['approve an app the user never approved', () => approveApp(org, { username: 'unapproved@acme.com', app: APP }), {}, (w) => void user(w, 'unapproved@acme.com').approvedApps.push(APP)],
    [
      'approve again: no second entry',
      () => (approveApp(org, { username: 'unapproved@acme.com', app: APP }), approveApp(org, { username: 'unapproved@acme.com', app: APP })),
      {},
      (w) => void user(w, 'unapproved@acme.com').approvedApps.push(APP),
    ],
    ['approve with the username in another case', () => approveApp(org, { username: 'UNAPPROVED@acme.com', app: APP }), {}, (w) => void user(w, 'unapproved@acme.com').approvedApps.push(APP)],
    [
      'revoke',
      () => revokeApp(org, { username: 'integration@acme.com', app: APP }),
      {},
      (w) => {
        const u = user(w, 'integration@acme.com');
        u.approvedApps = u.approvedApps.filter((a) => a !== APP);
      },
    ],
    ['assign a profile', () => assignProfile(org, { username: 'analyst@acme.com', profile: 'Integration User' }), {}, (w) => void (user(w, 'analyst@acme.com').profile = 'Integration User')],
    [
      'set the Login IP Ranges',
      () => setLoginIpRanges(org, { username: 'remote@acme.com', ranges: [{ start: '127.0.0.1', end: '127.0.0.2' }] }),
      {},
      (w) => void (user(w, 'remote@acme.com').loginIpRanges = [{ start: '127.0.0.1', end: '127.0.0.2' }]),
    ],
    ['clear the Login IP Ranges', () => setLoginIpRanges(org, { username: 'remote@acme.com', ranges: [] }), {}, (w) => void (user(w, 'remote@acme.com').loginIpRanges = [])],
    [
      'install the External Client App in the sandbox, twice: once',
      () => (installApp(org, { app: DEFAULT_APPS.externalClientApp, org: 'acme-uat' }), installApp(org, { app: DEFAULT_APPS.externalClientApp, org: 'acme-uat' })),
      {},
      (w) => void (app(w, DEFAULT_APPS.externalClientApp).installedIn = ['acme', 'acme-uat']),
    ],
    [
      'assign a permission set twice: once',
      () => (
        assignPermissionSet(org, { username: 'analyst@acme.com', permissionSet: 'JWT Integration' }), assignPermissionSet(org, { username: 'analyst@acme.com', permissionSet: 'JWT Integration' })
      ),
      {},
      (w) => void user(w, 'analyst@acme.com').permissionSets.push('JWT Integration'),
    ],
    ['touch an app: edited now', () => touchApp(org, { app: APP }), {}, (w) => void (app(w, APP).lastModified = '2026-03-01T12:00:00.000Z')],
    ['unfreeze a user', () => setUserState(org, { username: 'frozen@acme.com', frozen: false }), {}, (w) => void (user(w, 'frozen@acme.com').frozen = false)],
    [
      'deactivate and freeze a user at once',
      () => setUserState(org, { username: 'integration@acme.com', active: false, frozen: true }),
      {},
      (w) => void Object.assign(user(w, 'integration@acme.com'), { active: false, frozen: true }),
    ],
    ['user-state with neither field: nothing', () => setUserState(org, { username: 'frozen@acme.com' }), {}, () => undefined],
    ['lock an org', () => setOrgState(org, { org: 'acme', status: 'locked' }), {}, (w) => void (orgOf(w, 'acme').status = 'locked')],
    ['unlock an org', () => setOrgState(org, { org: 'initech', status: 'active' }), {}, (w) => void (orgOf(w, 'initech').status = 'active')],
    [
      'remove a certificate (fingerprint in lower case, no colons)',
      () => removeCertificate(org, { app: APP, sha256: fingerprint().replace(/:/g, '').toLowerCase() }),
      {},
      (w) => void (app(w, APP).certificates = []),
    ],
    ['clear the certificates', () => clearCertificates(org, { app: APP }), () => ({ removed: [fingerprint()] }), (w) => void (app(w, APP).certificates = [])],
    ['record logins: the world is not changed', () => recordLogins(org, { username: 'integration@acme.com', count: 2 }), { username: 'integration@acme.com', recentSuccesses: 2 }, () => undefined],
  ])('%s', (_name, run, value, change) => {
    const expected = structuredClone(org.index.world);
    change(expected);
    // A value that names the world's own certificate is computed from the world before the action.
    const want = typeof value === 'function' ? (value as () => unknown)() : value;
    const result = run();
    expect(result).toEqual({ ok: true, value: want });
    expect(org.index.world).toEqual(expected);
  });

  it('upload a certificate: appended to the app, readable by the index, fingerprint answered', () => {
    const pem = anotherCertificate();
    const expected = structuredClone(org.index.world);
    app(expected, APP).certificates.push(pem);
    const result = uploadCertificate(org, { app: APP, pem });
    const added = org.index.certificates(app(org.index.world, APP))[1];
    expect(added?.pem).toBe(pem);
    expect(result).toEqual({ ok: true, value: { app: APP, sha256: added?.sha256 } });
    expect(org.index.world).toEqual(expected);
  });

  it('record logins: counted for that user only, at most the rate limit, a second before now', () => {
    const other = user(org.index.world, 'analyst@acme.com');
    const me = user(org.index.world, 'integration@acme.com');
    expect(recordLogins(org, { username: 'integration@acme.com', count: 9 })).toEqual({ ok: true, value: { username: 'integration@acme.com', recentSuccesses: 5 } });
    expect(org.loginHistory.recentSuccesses(me.id, NOW)).toBe(5);
    expect(org.loginHistory.recentSuccesses(other.id, NOW)).toBe(0);
    // Login History (what Setup shows) is not written: these logins were made before the mock started.
    expect(org.loginHistory.forUser(me.id)).toEqual([]);
    // A second before now: an hour after now minus one second, they no longer count.
    expect(org.loginHistory.recentSuccesses(me.id, NOW + 3_599_000)).toBe(0);
  });

  it('record logins with no rate limit: nothing to count', () => {
    org.knobs = { ...org.knobs, loginRatePerHour: null };
    expect(recordLogins(org, { username: 'integration@acme.com', count: 3 })).toEqual({ ok: true, value: { username: 'integration@acme.com', recentSuccesses: 0 } });
  });
});

describe('Setup actions: refusals', () => {
  it.each<[string, () => SetupResult<unknown>, string, string, string | undefined]>([
    ['an unknown user', () => approveApp(org, { username: 'nobody@acme.com', app: APP }), 'no-user', 'no user "nobody@acme.com"', LIST_USERS],
    ['an unknown user before an unknown app', () => revokeApp(org, { username: 'nobody@acme.com', app: 'Nope' }), 'no-user', 'no user "nobody@acme.com"', LIST_USERS],
    ['an unknown app', () => approveApp(org, { username: 'unapproved@acme.com', app: 'Nope' }), 'no-app', 'no app "Nope"', LIST_APPS],
    ['an app named by its case-changed name', () => touchApp(org, { app: APP.toUpperCase() }), 'no-app', `no app "${APP.toUpperCase()}"`, LIST_APPS],
    ['a profile for an unknown user', () => assignProfile(org, { username: 'nobody', profile: 'X' }), 'no-user', 'no user "nobody"', LIST_USERS],
    ['a permission set for an unknown user', () => assignPermissionSet(org, { username: 'nobody', permissionSet: 'X' }), 'no-user', 'no user "nobody"', LIST_USERS],
    ['user-state of an unknown user', () => setUserState(org, { username: 'nobody', frozen: true }), 'no-user', 'no user "nobody"', LIST_USERS],
    ['record-logins of an unknown user', () => recordLogins(org, { username: 'nobody', count: 1 }), 'no-user', 'no user "nobody"', LIST_USERS],
    ['an unknown org', () => setOrgState(org, { org: 'nope', status: 'locked' }), 'no-org', 'no org "nope"', undefined],
    ['a certificate that is not on the app', () => removeCertificate(org, { app: APP, sha256: '00'.repeat(32) }), 'no-certificate', `no certificate with that fingerprint on "${APP}"`, undefined],
    [
      'a certificate of another app',
      () => removeCertificate(org, { app: DEFAULT_APPS.externalClientApp, sha256: 'AB:CD' }),
      'no-certificate',
      `no certificate with that fingerprint on "${DEFAULT_APPS.externalClientApp}"`,
      undefined,
    ],
    ['a PEM that is not a certificate', () => uploadCertificate(org, { app: APP, pem: 'nope' }), 'bad-certificate', 'the uploaded certificate is not an X.509 certificate', undefined],
    [
      'a private key uploaded as a certificate',
      () => uploadCertificate(org, { app: APP, pem: testKeys().privateKeyPem }),
      'bad-certificate',
      'the uploaded certificate is not an X.509 certificate (it is a PEM "PRIVATE KEY" block)',
      undefined,
    ],
    ['a certificate for an unknown app', () => uploadCertificate(org, { app: 'Nope', pem: 'nope' }), 'no-app', 'no app "Nope"', LIST_APPS],
    ['clear the certificates of an unknown app', () => clearCertificates(org, { app: 'Nope' }), 'no-app', 'no app "Nope"', LIST_APPS],
    ['Login IP Ranges of an unknown user', () => setLoginIpRanges(org, { username: 'nobody', ranges: [] }), 'no-user', 'no user "nobody"', LIST_USERS],
    [
      'an IP range that is no address',
      () => setLoginIpRanges(org, { username: 'remote@acme.com', ranges: [{ start: '127.0.0.300', end: '127.0.0.1' }] }),
      'invalid-input',
      'ranges.0.start: expected an IPv4 address such as 127.0.0.1',
      undefined,
    ],
    ['install an unknown app', () => installApp(org, { app: 'Nope', org: 'acme-uat' }), 'no-app', 'no app "Nope"', LIST_APPS],
    ['install in an unknown org', () => installApp(org, { app: DEFAULT_APPS.externalClientApp, org: 'nope' }), 'no-org', 'no org "nope"', 'GET /__sfjwt/world lists the orgs.'],
    [
      'install a connected app',
      () => installApp(org, { app: APP, org: 'acme-uat' }),
      'invalid-input',
      `"${APP}" is a connected app: it is not installed per org`,
      'Install an External Client App; a connected app serves its own org.',
    ],
  ])('%s', (_name, run, code, message, fix) => {
    const before = structuredClone(org.index.world);
    const result = run();
    expect(result).toEqual(fix === undefined ? { ok: false, code, message } : { ok: false, code, message, fix });
    expect(org.index.world).toEqual(before);
  });

  it.each<[string, string, unknown, string]>([
    ['a missing field', 'approve', { username: 'unapproved@acme.com' }, 'app: expected a string'],
    ['an empty name', 'approve', { username: '', app: APP }, 'username: expected a non-empty string'],
    ['an unknown field', 'revoke', { username: 'integration@acme.com', app: APP, extra: 1 }, '(body): unknown field "extra": check the spelling (field names are case-sensitive)'],
    ['no object at all', 'touch-app', null, '(body): expected an object'],
    ['an array', 'touch-app', [], '(body): expected an object'],
    ['a state that is not a boolean', 'user-state', { username: 'frozen@acme.com', frozen: 'no' }, 'frozen: expected true or false'],
    ['an org status Setup does not offer', 'org-state', { org: 'initech', status: 'closed' }, 'status: expected one of "active", "locked"'],
    ['a count of 0', 'record-logins', { username: 'integration@acme.com', count: 0 }, 'count: expected at least 1'],
    ['a count that is not whole', 'record-logins', { username: 'integration@acme.com', count: 1.5 }, 'count: expected a whole number'],
    ['two fields wrong', 'upload-certificate', { app: 1 }, 'app: expected a string; pem: expected a string'],
  ])('input of the wrong shape, %s: invalid-input naming the field', (_name, action, input, message) => {
    if (!isSetupAction(action)) expect.fail(action);
    const before = structuredClone(org.index.world);
    expect(SETUP_ACTIONS[action](org, input)).toEqual({ ok: false, code: 'invalid-input', message });
    expect(org.index.world).toEqual(before);
  });

  it("any input of the wrong shape is worded as what belongs there, never in zod's words", () => {
    const inputs: unknown[] = [null, [], 'x', 1, {}, { username: 1, app: [], frozen: 'no', count: -1, pem: {}, extra: true }];
    for (const action of SETUP_ACTION_NAMES) {
      for (const input of inputs) {
        const result = SETUP_ACTIONS[action](org, input);
        if (!result.ok && result.code === 'invalid-input') expect(result.message, `${action} ${JSON.stringify(input)}`).not.toMatch(/Invalid|received|Too (big|small)|Unrecognized/);
      }
    }
  });

  it('any JSON, to any action, is answered: never thrown on', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SETUP_ACTION_NAMES), fc.jsonValue(), (action, input) => {
        const result = SETUP_ACTIONS[action](org, input);
        expect(typeof result.ok).toBe('boolean');
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', ''])('"%s" is no Setup action', (name) => {
    expect(isSetupAction(name)).toBe(false);
  });

  it('the actions, in the order the admin API lists them', () => {
    expect(SETUP_ACTION_NAMES).toEqual([
      'approve',
      'revoke',
      'assign-profile',
      'assign-permission-set',
      'upload-certificate',
      'remove-certificate',
      'touch-app',
      'user-state',
      'org-state',
      'record-logins',
      'login-ip-ranges',
      'install-app',
    ]);
  });
});

describe("the mock's own controls", () => {
  it('setClockOffset moves the org clock; out of range is refused and changes nothing', () => {
    const { org: mock } = testOrg();
    expect(setClockOffset(mock, { offsetSeconds: -3600 })).toEqual({ ok: true, value: { offsetSeconds: -3600, now: '2026-03-01T11:00:00.000Z' } });
    expect(mock.now()).toBe(NOW - 3_600_000);
    expect(setClockOffset(mock, { offsetSeconds: 2e9 })).toEqual({ ok: false, code: 'invalid-input', message: 'offsetSeconds: expected at most 1000000000' });
    expect(mock.clockOffsetMs).toBe(-3_600_000);
  });

  it('forceOutcome queues with the defaults filled in; clearForcedOutcomes empties the queue', () => {
    const { org: mock } = testOrg();
    expect(forceOutcome(mock, { outcome: 'unknown_error', count: 2 })).toEqual({ ok: true, value: { pending: [{ outcome: 'unknown_error', left: 2 }] } });
    expect(forceOutcome(mock, { outcome: { error: 'invalid_grant', error_description: 'authentication failure' } })).toEqual({
      ok: true,
      value: {
        pending: [
          { outcome: 'unknown_error', left: 2 },
          { outcome: { status: 400, error: 'invalid_grant', error_description: 'authentication failure' }, left: 1 },
        ],
      },
    });
    // Input the types forbid, as JSON from elsewhere may carry it: through the untyped entry the admin route uses.
    expect(HARNESS_CONTROLS.force(mock, { outcome: 'drop', count: 0 })).toEqual({ ok: false, code: 'invalid-input', message: 'count: expected at least 1' });
    expect(clearForcedOutcomes(mock)).toEqual({ ok: true, value: { pending: [] } });
    expect(mock.forced.pending()).toEqual([]);
  });

  it('setKnobs changes the named knobs only; a bad value is refused and changes nothing', () => {
    const { org: mock } = testOrg();
    expect(setKnobs(mock, { expLeewaySeconds: 0 })).toEqual({ ok: true, value: { ...DEFAULT_KNOBS, expLeewaySeconds: 0 } });
    expect(setKnobs(mock, { expLeewaySeconds: -1 })).toEqual({ ok: false, code: 'invalid-input', message: 'expLeewaySeconds: must be an integer from 0 to 86400' });
    expect(mock.knobs).toEqual({ ...DEFAULT_KNOBS, expLeewaySeconds: 0 });
  });

  it('resetMock undoes Setup actions and controls alike', () => {
    const { org: mock } = testOrg();
    const before = structuredClone(mock.index.world);
    expect(approveApp(mock, { username: 'unapproved@acme.com', app: APP }).ok).toBe(true);
    expect(clearCertificates(mock, { app: APP }).ok).toBe(true);
    expect(setKnobs(mock, { loginRatePerHour: 1 }).ok).toBe(true);
    expect(setClockOffset(mock, { offsetSeconds: 60 }).ok).toBe(true);
    expect(forceOutcome(mock, { outcome: 'drop' }).ok).toBe(true);
    expect(recordLogins(mock, { username: 'integration@acme.com', count: 1 }).ok).toBe(true);
    expect(resetMock(mock)).toEqual({ ok: true, value: {} });
    expect(mock.index.world).toEqual(before);
    expect(mock.knobs).toEqual(DEFAULT_KNOBS);
    expect(mock.clockOffsetMs).toBe(0);
    expect(mock.forced.pending()).toEqual([]);
    expect(mock.loginHistory.recentSuccesses(user(before, 'integration@acme.com').id, NOW)).toBe(0);
    // The Setup actions read the index the reset put in place.
    expect(touchApp(mock, { app: APP }).ok).toBe(true);
    expect(app(mock.index.world, APP).lastModified).toBe('2026-03-01T12:00:00.000Z');
  });
});
