/**
 * Every row of the reference table of the real token endpoint (shared/reference), as data, sent
 * through each transport of the mock: in-process msw, HTTP and HTTPS on 127.0.0.1:0. Each case
 * asserts the exact status, the exact body bytes, Salesforce's headers, the check that decided and,
 * where Salesforce records one, the Login History status.
 */
import { createPublicKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueCertificate } from '../lib/pki/generate.ts';
import { frozenClock } from './core/clock.ts';
import { MockOrg } from './core/mock-org.ts';
import { type AssertionParts, consumerKeyOf, ecPrivateKey, formBody, goodClaims, JWT_GRANT, NOW, NOW_S, otherPrivateKey, signAssertion, testKeys, testWorld } from './testing/fixtures.ts';
import { mswTransport, serverTransport, type Transport, type WireRequest } from './testing/transports.ts';
import { DEFAULT_APPS } from './world/default-world.ts';
import type { World } from './world/schema.ts';

const LOGIN = 'login.salesforce.com';
const TEST = 'test.salesforce.com';
const ACME = 'acme.my.salesforce.com';
const UAT = 'acme--uat.sandbox.my.salesforce.com';
const SITE = 'acme.my.site.com';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

const err = (error: string, description: string) => `{"error":"${error}","error_description":"${description}"}`;
const UNSUPPORTED = err('unsupported_grant_type', 'grant type not supported');
const INVALID_ASSERTION = err('invalid_grant', 'invalid assertion');
const CLIENT_INVALID = err('invalid_client_id', 'client identifier invalid');
const AUDIENCE = err('invalid_grant', 'audience is invalid');
const NOT_APPROVED = err('invalid_grant', "user hasn't approved this consumer");

/** A certificate of the test key that expired a month before the frozen now. */
function expiredCertificate(): string {
  const { privateKeyPem } = testKeys();
  const publicKeyPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  return issueCertificate({ privateKeyPem, publicKeyPem }, { subject: [{ shortName: 'CN', value: 'expired' }], notBefore: new Date(NOW - 400 * 86_400_000), days: 365 });
}

interface Env {
  world: World;
  t: Transport;
  sign(claims: Record<string, unknown>, parts?: Omit<AssertionParts, 'claims'>): Promise<string>;
  good(overrides?: Record<string, unknown>): Promise<string>;
}

interface Row {
  name: string;
  /** The reference table's trigger this case reproduces. */
  ref: string;
  setup?: (org: MockOrg) => void;
  request: (env: Env) => Promise<WireRequest>;
  status: number;
  /** Exact body bytes; 'token' for a success, 'html' for the HTML not-found page. */
  body: string;
  decidedBy: string | null;
  loginHistory?: { username: string; status: string };
  transports?: readonly Transport['name'][];
}

const post = async (env: Env, host: string, claims: Record<string, unknown>, extra: Partial<WireRequest> = {}): Promise<WireRequest> => ({
  host,
  headers: FORM,
  body: formBody({ grant_type: JWT_GRANT, assertion: await env.sign(claims) }),
  ...extra,
});

const rows: Row[] = [
  // Body not read as a form.
  {
    name: 'no Content-Type',
    ref: 'body not read as a form',
    request: async (e) => ({ host: LOGIN, body: formBody({ grant_type: JWT_GRANT, assertion: await e.good() }) }),
    status: 400,
    body: UNSUPPORTED,
    decidedBy: 'grant-type',
  },
  {
    name: 'JSON body',
    ref: 'body not read as a form',
    request: async (e) => ({ host: LOGIN, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: JWT_GRANT, assertion: await e.good() }) }),
    status: 400,
    body: UNSUPPORTED,
    decidedBy: 'grant-type',
  },
  {
    name: 'params sent as headers',
    ref: 'body not read as a form',
    request: async (e) => ({ host: LOGIN, headers: { ...FORM, grant_type: JWT_GRANT, assertion: await e.good() }, body: '' }),
    status: 400,
    body: UNSUPPORTED,
    decidedBy: 'grant-type',
  },
  {
    name: 'text/plain body',
    ref: 'body not read as a form',
    request: async (e) => ({ host: LOGIN, headers: { 'Content-Type': 'text/plain' }, body: formBody({ grant_type: JWT_GRANT, assertion: await e.good() }) }),
    status: 400,
    body: UNSUPPORTED,
    decidedBy: 'grant-type',
  },
  // grant_type.
  {
    name: 'grant_type missing',
    ref: 'grant_type missing',
    request: async (e) => ({ host: LOGIN, headers: FORM, body: formBody({ assertion: await e.good() }) }),
    status: 400,
    body: UNSUPPORTED,
    decidedBy: 'grant-type',
  },
  {
    name: 'grand_type key',
    ref: 'misspelled key',
    request: async (e) => ({ host: LOGIN, headers: FORM, body: formBody({ grand_type: JWT_GRANT, assertion: await e.good() }) }),
    status: 400,
    body: UNSUPPORTED,
    decidedBy: 'grant-type',
  },
  {
    name: 'truncated grant_type',
    ref: 'truncated value',
    request: async (e) => ({ host: LOGIN, headers: FORM, body: formBody({ grant_type: 'urn:ietf:params:oauth:grant-type', assertion: await e.good() }) }),
    status: 400,
    body: UNSUPPORTED,
    decidedBy: 'grant-type',
  },
  {
    name: 'password grant_type',
    ref: 'unknown value',
    request: async (e) => ({ host: LOGIN, headers: FORM, body: formBody({ grant_type: 'password', assertion: await e.good() }) }),
    status: 400,
    body: UNSUPPORTED,
    decidedBy: 'grant-type',
  },
  // Query string.
  {
    name: 'params in the query string',
    ref: 'params in the query string of a POST',
    request: async (e) => ({ host: LOGIN, path: `/services/oauth2/token?${formBody({ grant_type: JWT_GRANT, assertion: await e.good() })}` }),
    status: 200,
    body: 'token',
    decidedBy: null,
  },
  // Method and TLS.
  {
    name: 'GET',
    ref: 'GET (or any non-POST)',
    request: async (e) => ({ host: LOGIN, method: 'GET', path: `/services/oauth2/token?${formBody({ grant_type: JWT_GRANT, assertion: await e.good() })}` }),
    status: 400,
    body: err('invalid_request', 'must use HTTP POST'),
    decidedBy: 'method',
  },
  {
    name: 'PUT',
    ref: 'GET (or any non-POST)',
    request: async (e) => post(e, LOGIN, goodClaims(e.world), { method: 'PUT' }),
    status: 400,
    body: err('invalid_request', 'must use HTTP POST'),
    decidedBy: 'method',
  },
  {
    name: 'plain http',
    ref: 'plain http://',
    request: async (e) => post(e, LOGIN, goodClaims(e.world), { scheme: 'http' }),
    status: 400,
    body: err('invalid_request', 'HTTPS required'),
    decidedBy: 'tls',
    transports: ['msw'],
  },
  // The assertion.
  {
    name: 'assertion missing',
    ref: 'assertion missing',
    request: async () => ({ host: LOGIN, headers: FORM, body: formBody({ grant_type: JWT_GRANT }) }),
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'assertion',
  },
  {
    name: 'assertion empty',
    ref: 'assertion empty',
    request: async () => ({ host: LOGIN, headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: '' }) }),
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'assertion',
  },
  {
    name: 'two parts',
    ref: 'not three base64url parts',
    request: async (e) => ({ host: LOGIN, headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: (await e.good()).split('.').slice(0, 2).join('.') }) }),
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'assertion',
  },
  {
    name: 'garbage',
    ref: 'not three base64url parts',
    request: async () => ({ host: LOGIN, headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: 'hello world' }) }),
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'assertion',
  },
  {
    name: 'payload with a missing quote',
    ref: 'bad JSON',
    request: async (e) => {
      const h = Buffer.from('{"alg":"RS256"}').toString('base64url');
      const p = Buffer.from(`{"iss":"${consumerKeyOf(e.world)}","sub":"integration@acme.com,"aud":"https://login.salesforce.com","exp":${NOW_S + 60}}`).toString('base64url');
      return { host: LOGIN, headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: `${h}.${p}.AAAA` }) };
    },
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'assertion',
  },
  // alg.
  {
    name: 'HS256 with the key text',
    ref: 'alg not RS256 (HS256)',
    request: async (e) => ({ host: LOGIN, headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: await hs256(goodClaims(e.world)) }) }),
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'alg',
  },
  {
    name: 'alg none',
    ref: 'alg not RS256 (none)',
    request: async (e) => ({ host: LOGIN, headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: unsigned(goodClaims(e.world)) }) }),
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'alg',
  },
  {
    name: 'RS512',
    ref: 'alg not RS256 (RS512)',
    request: async (e) => ({ host: LOGIN, headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: await e.sign(goodClaims(e.world), { header: { alg: 'RS512' } }) }) }),
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'alg',
  },
  {
    name: 'ES256',
    ref: 'alg not RS256 (ES256)',
    request: async (e) => ({ host: LOGIN, headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: await e.sign(goodClaims(e.world), { header: { alg: 'ES256' }, key: ecPrivateKey() }) }) }),
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'alg',
  },
  // iss.
  {
    name: 'Iss instead of iss',
    ref: 'iss missing (e.g. sent as Iss)',
    request: async (e) => {
      const { iss, ...rest } = goodClaims(e.world);
      return post(e, LOGIN, { Iss: iss, ...rest });
    },
    status: 400,
    body: CLIENT_INVALID,
    decidedBy: 'issuer',
    loginHistory: { username: 'integration@acme.com', status: 'Failed: Missing Consumer Key Parameter' },
  },
  {
    name: 'unknown consumer key',
    ref: 'iss not a known consumer key',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { iss: '3MVG9notARealKey' })),
    status: 400,
    body: CLIENT_INVALID,
    decidedBy: 'issuer',
  },
  {
    name: 'consumer secret as iss',
    ref: 'iss not a known consumer key',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { iss: e.world.apps[0]?.consumerSecret })),
    status: 400,
    body: CLIENT_INVALID,
    decidedBy: 'issuer',
  },
  {
    name: 'app changed two minutes ago',
    ref: 'app created or changed minutes ago',
    setup: (org) => {
      org.setKnobs({ propagationDelaySeconds: 600 });
      const app = org.index.app(DEFAULT_APPS.selfAuthorized);
      if (app !== undefined) app.lastModified = new Date(NOW - 120_000).toISOString();
    },
    request: async (e) => post(e, LOGIN, goodClaims(e.world)),
    status: 400,
    body: CLIENT_INVALID,
    decidedBy: 'issuer',
  },
  // Signature.
  {
    name: 'signed with another key',
    ref: 'signature does not verify (wrong key)',
    request: async (e) => ({ host: LOGIN, headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: await e.sign(goodClaims(e.world), { key: otherPrivateKey() }) }) }),
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'signature',
    loginHistory: { username: 'integration@acme.com', status: 'Failed: Signature Invalid' },
  },
  {
    name: 'certificate cleared by a deploy',
    ref: 'signature does not verify (cert cleared)',
    setup: (org) => {
      const app = org.index.app(DEFAULT_APPS.selfAuthorized);
      const sha = app === undefined ? '' : (org.index.certificates(app)[0]?.sha256 ?? '');
      if (app !== undefined) org.index.removeCertificate(app, sha);
    },
    request: async (e) => post(e, LOGIN, goodClaims(e.world)),
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'signature',
  },
  {
    name: 'payload changed after signing',
    ref: 'signature does not verify',
    request: async (e) => {
      const [h, , s] = (await e.good()).split('.');
      const p = Buffer.from(JSON.stringify(goodClaims(e.world, { sub: 'frozen@acme.com' }))).toString('base64url');
      return { host: LOGIN, headers: FORM, body: formBody({ grant_type: JWT_GRANT, assertion: `${h}.${p}.${s}` }) };
    },
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'signature',
  },
  // Audience.
  {
    name: 'random aud',
    ref: 'aud not an audience of the host',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { aud: 'https://example.com' })),
    status: 400,
    body: AUDIENCE,
    decidedBy: 'audience',
    loginHistory: { username: 'integration@acme.com', status: 'Failed: Audience Invalid' },
  },
  {
    name: '"LoginURL https://login.salesforce.com"',
    ref: 'aud not an audience of the host',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { aud: 'LoginURL https://login.salesforce.com' })),
    status: 400,
    body: AUDIENCE,
    decidedBy: 'audience',
  },
  {
    name: 'login aud posted to test',
    ref: 'login aud posted to test',
    request: async (e) => post(e, TEST, goodClaims(e.world, { sub: 'integration@acme.com.uat' })),
    status: 400,
    body: AUDIENCE,
    decidedBy: 'audience',
  },
  {
    name: 'test aud posted to login',
    ref: 'test aud posted to login',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { aud: 'https://test.salesforce.com' })),
    status: 400,
    body: AUDIENCE,
    decidedBy: 'audience',
  },
  {
    name: 'My Domain aud, connected app',
    ref: 'aud = My Domain URL for a classic connected app',
    request: async (e) => post(e, ACME, goodClaims(e.world, { aud: 'https://acme.my.salesforce.com' })),
    status: 400,
    body: AUDIENCE,
    decidedBy: 'audience',
  },
  // exp.
  {
    name: 'exp an hour ago',
    ref: 'exp in the past beyond leeway',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { exp: NOW_S - 3600 })),
    status: 400,
    body: err('invalid_grant', 'expired authorization code'),
    decidedBy: 'expiry',
    loginHistory: { username: 'integration@acme.com', status: 'Failed: Assertion Expired' },
  },
  { name: 'exp = now', ref: 'exp = now', request: async (e) => post(e, LOGIN, goodClaims(e.world, { exp: NOW_S })), status: 200, body: 'token', decidedBy: null },
  { name: 'exp within leeway', ref: 'exp in the past within leeway', request: async (e) => post(e, LOGIN, goodClaims(e.world, { exp: NOW_S - 100 })), status: 200, body: 'token', decidedBy: null },
  {
    name: 'exp as a digit string',
    ref: 'exp a string of digits',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { exp: String(NOW_S + 180) })),
    status: 200,
    body: 'token',
    decidedBy: null,
  },
  { name: 'exp far in the future', ref: 'exp far future', request: async (e) => post(e, LOGIN, goodClaims(e.world, { exp: NOW_S + 10 * 365 * 86_400 })), status: 200, body: 'token', decidedBy: null },
  { name: 'exp in milliseconds (sf CLI)', ref: 'exp in milliseconds', request: async (e) => post(e, LOGIN, goodClaims(e.world, { exp: NOW + 300 })), status: 200, body: 'token', decidedBy: null },
  {
    name: 'exp as text',
    ref: 'exp written as text',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { exp: 'CurrentTimeStemp+2min' })),
    status: 400,
    body: INVALID_ASSERTION,
    decidedBy: 'expiry',
  },
  // The user.
  {
    name: 'username typo',
    ref: 'sub not a user of that environment (typo)',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { sub: 'integraton@acme.com' })),
    status: 400,
    body: NOT_APPROVED,
    decidedBy: 'user',
  },
  {
    name: 'sandbox user at login',
    ref: 'sub not a user of that environment (sandbox user at login)',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { sub: 'integration@acme.com.uat' })),
    status: 400,
    body: NOT_APPROVED,
    decidedBy: 'user',
  },
  {
    name: 'production user at test',
    ref: 'sub not a user of that environment (prod user at test)',
    request: async (e) => post(e, TEST, goodClaims(e.world, { aud: 'https://test.salesforce.com' })),
    status: 400,
    body: NOT_APPROVED,
    decidedBy: 'user',
  },
  {
    name: 'e-mail as sub',
    ref: 'sub not a user (e-mail)',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { sub: e.world.users[0]?.email })),
    status: 400,
    body: NOT_APPROVED,
    decidedBy: 'user',
  },
  { name: 'user Id as sub', ref: 'sub not a user (Id)', request: async (e) => post(e, LOGIN, goodClaims(e.world, { sub: e.world.users[0]?.id })), status: 400, body: NOT_APPROVED, decidedBy: 'user' },
  {
    name: 'never approved',
    ref: 'self-authorize and never approved',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { sub: 'unapproved@acme.com' })),
    status: 400,
    body: NOT_APPROVED,
    decidedBy: 'app-access',
  },
  {
    name: 'profile not admitted',
    ref: 'admin approved and profile not assigned',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { sub: 'analyst@acme.com', iss: consumerKeyOf(e.world, DEFAULT_APPS.adminApproved) })),
    status: 400,
    body: err('invalid_app_access', 'user is not admin approved to access this app'),
    decidedBy: 'app-access',
  },
  {
    name: 'ECA not installed in the sandbox',
    ref: 'External Client App not installed',
    request: async (e) =>
      post(e, UAT, goodClaims(e.world, { sub: 'integration@acme.com.uat', aud: 'https://acme--uat.sandbox.my.salesforce.com', iss: consumerKeyOf(e.world, DEFAULT_APPS.externalClientApp) })),
    status: 400,
    body: err('app_not_found', 'External client app is not installed in this org'),
    decidedBy: 'app-access',
  },
  {
    name: 'ECA with the login aud',
    ref: 'ECA with login/test aud',
    request: async (e) => post(e, ACME, goodClaims(e.world, { iss: consumerKeyOf(e.world, DEFAULT_APPS.externalClientApp) })),
    status: 400,
    body: err('app_not_found', 'External client app is not installed in this org'),
    decidedBy: 'app-access',
  },
  {
    name: 'ECA with the My Domain aud',
    ref: 'ECA takes the My Domain aud',
    request: async (e) => post(e, ACME, goodClaims(e.world, { aud: 'https://acme.my.salesforce.com', iss: consumerKeyOf(e.world, DEFAULT_APPS.externalClientApp) })),
    status: 200,
    body: 'token',
    decidedBy: null,
  },
  {
    name: 'inactive user',
    ref: 'user deactivated',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { sub: 'former.employee@acme.com' })),
    status: 400,
    body: err('invalid_grant', 'inactive user'),
    decidedBy: 'user-state',
    loginHistory: { username: 'former.employee@acme.com', status: 'User is inactive' },
  },
  {
    name: 'frozen user',
    ref: 'user frozen',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { sub: 'frozen@acme.com' })),
    status: 400,
    body: err('invalid_grant', 'user is frozen'),
    decidedBy: 'user-state',
    loginHistory: { username: 'frozen@acme.com', status: 'User is frozen' },
  },
  {
    name: 'org locked',
    ref: 'org locked, closed or suspended',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { sub: 'admin@initech.com' })),
    status: 400,
    body: err('inactive_org', 'organization is locked, closed, or suspended'),
    decidedBy: 'user-state',
  },
  {
    name: 'IP restricted',
    ref: 'caller IP outside login IP ranges',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { sub: 'remote@acme.com' })),
    status: 400,
    body: err('invalid_grant', 'ip restricted'),
    decidedBy: 'ip-restriction',
    loginHistory: { username: 'remote@acme.com', status: 'Restricted IP' },
  },
  {
    name: 'login rate exceeded',
    ref: 'more than ~3,600 logins per hour',
    setup: (org) => {
      org.setKnobs({ loginRatePerHour: 1 });
      const user = org.index.userByUsername('integration@acme.com');
      if (user !== undefined) org.loginHistory.recordSuccess(user.id, NOW - 60_000, 1);
    },
    request: async (e) => post(e, LOGIN, goodClaims(e.world)),
    status: 400,
    body: err('invalid_grant', 'login rate exceeded'),
    decidedBy: 'rate-limit',
    loginHistory: { username: 'integration@acme.com', status: 'Login rate exceeded' },
  },
  {
    name: 'transient failure',
    ref: "transient failure on Salesforce's side",
    setup: (org) => org.forced.push({ outcome: 'unknown_error', count: 1, delayMs: 0 }),
    request: async (e) => post(e, LOGIN, goodClaims(e.world)),
    status: 400,
    body: err('unknown_error', 'retry your request'),
    decidedBy: 'forced',
  },
  {
    name: 'unknown path',
    ref: 'unknown path on the host',
    request: async (e) => post(e, LOGIN, goodClaims(e.world), { path: '/services/oauth2/tokens' }),
    status: 404,
    body: 'html',
    decidedBy: 'path',
  },
  // What real clients send, all accepted.
  {
    name: 'happy path',
    ref: 'success',
    request: async (e) => post(e, LOGIN, goodClaims(e.world)),
    status: 200,
    body: 'token',
    decidedBy: null,
    loginHistory: { username: 'integration@acme.com', status: 'Success' },
  },
  {
    name: 'prn instead of sub',
    ref: 'prn accepted',
    request: async (e) => {
      const { sub, ...rest } = goodClaims(e.world);
      return post(e, LOGIN, { ...rest, prn: sub });
    },
    status: 200,
    body: 'token',
    decidedBy: null,
  },
  {
    name: 'prn wins over sub',
    ref: 'prn wins when both are present',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { sub: 'frozen@acme.com', prn: 'integration@acme.com' })),
    status: 200,
    body: 'token',
    decidedBy: null,
  },
  {
    name: 'typ JWT and extra claims',
    ref: 'typ optional; unknown claims ignored',
    request: async (e) => ({
      host: LOGIN,
      headers: FORM,
      body: formBody({ grant_type: JWT_GRANT, assertion: await e.sign(goodClaims(e.world, { iat: NOW_S, jti: 'x' }), { header: { alg: 'RS256', typ: 'JWT' } }) }),
    }),
    status: 200,
    body: 'token',
    decidedBy: null,
  },
  {
    name: 'aud with a trailing slash',
    ref: 'trailing slash on aud',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { aud: 'https://login.salesforce.com/' })),
    status: 200,
    body: 'token',
    decidedBy: null,
  },
  { name: 'My Domain with the login aud', ref: 'posting to My Domain with aud=login works', request: async (e) => post(e, ACME, goodClaims(e.world)), status: 200, body: 'token', decidedBy: null },
  {
    name: 'sandbox user at test',
    ref: 'sandbox',
    request: async (e) => post(e, TEST, goodClaims(e.world, { sub: 'integration@acme.com.uat', aud: 'https://test.salesforce.com' })),
    status: 200,
    body: 'token',
    decidedBy: null,
  },
  {
    name: 'sandbox My Domain with the test aud',
    ref: 'sandbox My Domain',
    request: async (e) => post(e, UAT, goodClaims(e.world, { sub: 'integration@acme.com.uat', aud: 'https://test.salesforce.com' })),
    status: 200,
    body: 'token',
    decidedBy: null,
  },
  {
    name: 'Experience Cloud site',
    ref: 'Experience Cloud site URL',
    request: async (e) => post(e, SITE, goodClaims(e.world, { aud: 'https://acme.my.site.com/customers' }), { path: '/customers/services/oauth2/token' }),
    status: 200,
    body: 'token',
    decidedBy: null,
  },
  {
    name: "the mock's own base URL as aud",
    ref: 'base URL counts as an audience',
    request: async (e) => post(e, LOGIN, goodClaims(e.world, { aud: `${e.t.baseUrl(LOGIN)}/` })),
    status: 200,
    body: 'token',
    decidedBy: null,
    transports: ['http', 'https'],
  },
  {
    name: 'chunked body (sf CLI)',
    ref: 'chunked bodies',
    request: async (e) => post(e, LOGIN, goodClaims(e.world), { chunked: true }),
    status: 200,
    body: 'token',
    decidedBy: null,
    transports: ['http', 'https'],
  },
  {
    name: 'expired certificate',
    ref: 'certificate on the app has expired',
    setup: (org) => {
      const app = org.index.app(DEFAULT_APPS.selfAuthorized);
      if (app === undefined) return;
      const old = org.index.certificates(app)[0]?.sha256 ?? '';
      org.index.uploadCertificate(app, expiredCertificate());
      org.index.removeCertificate(app, old);
    },
    request: async (e) => post(e, LOGIN, goodClaims(e.world)),
    status: 200,
    body: 'token',
    decidedBy: null,
  },
];

/** HS256 keyed with the private key's PEM text (the "HMACSHA256" step of some guides). */
async function hs256(claims: Record<string, unknown>): Promise<string> {
  return signAssertion({ header: { alg: 'HS256' }, claims, key: testKeys().privateKeyPem });
}

function unsigned(claims: Record<string, unknown>): string {
  return signAssertion({ header: { alg: 'none' }, claims });
}

const TRANSPORTS = ['msw', 'http', 'https'] as const;

describe.each(TRANSPORTS)('token endpoint over %s', (name) => {
  let t: Transport;
  const world = testWorld();
  beforeAll(async () => {
    const options = { world, clock: frozenClock(NOW), seed: 7, stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-')) };
    t = name === 'msw' ? mswTransport(new MockOrg(options)) : await serverTransport(name === 'https', options);
  });
  afterAll(async () => t.close());
  beforeEach(() => t.org.reset());

  const env = (): Env => ({
    world,
    t,
    sign: async (claims, parts = {}) => signAssertion({ ...parts, claims }),
    good: async (overrides = {}) => signAssertion({ claims: goodClaims(world, overrides) }),
  });

  it.each(rows.filter((r) => r.transports === undefined || r.transports.includes(name)).map((r) => [r.name, r] as const))('%s', async (_n, row) => {
    row.setup?.(t.org);
    const res = await t.send(await row.request(env()));
    expect(res.status).toBe(row.status);
    const traceId = res.headers.get('x-sfjwt-trace');
    expect(traceId).toMatch(/^trace-\d+$/);
    const trace = t.org.journal.get(traceId ?? '');
    expect(trace?.decidedBy).toBe(row.decidedBy);
    if (row.body === 'token') {
      const body = JSON.parse(res.body) as Record<string, string>;
      expect(Object.keys(body)).toEqual(expect.arrayContaining(['access_token', 'scope', 'instance_url', 'id', 'token_type']));
      expect(Object.keys(body).slice(0, 5)).toEqual(['access_token', 'scope', 'instance_url', 'id', 'token_type']);
      expect(body['access_token']).toMatch(/^00D[A-Za-z0-9]{12}!AQ[A-Za-z0-9._]{94}$/);
      expect(body['token_type']).toBe('Bearer');
      expect(res.body).not.toMatch(/refresh_token|expires_in/);
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    } else if (row.body === 'html') {
      expect(res.headers.get('content-type')).toBe('text/html;charset=UTF-8');
      expect(res.body).toContain('<title>URL No Longer Exists</title>');
    } else {
      expect(res.body).toBe(row.body);
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(res.headers.get('cache-control')).toBe('no-cache,must-revalidate,max-age=0,no-store,private');
      expect(res.headers.get('expires')).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(res.headers.get('set-cookie')).toMatch(/^BrowserId=[A-Za-z0-9]{22}; /);
      expect(res.headers.has('pragma')).toBe(false);
      expect(res.headers.has('www-authenticate')).toBe(false);
    }
    if (row.loginHistory !== undefined) {
      const user = t.org.index.userByUsername(row.loginHistory.username);
      expect(t.org.loginHistory.forUser(user?.id ?? '')[0]?.status).toBe(row.loginHistory.status);
    }
  });
});

describe('fixed facts of the reference', () => {
  it('the not-approved body is exactly 82 bytes', () => {
    expect(Buffer.byteLength(NOT_APPROVED)).toBe(82);
  });
});
