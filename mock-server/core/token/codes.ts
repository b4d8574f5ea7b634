/**
 * The token endpoint's other grants, for the approval flows: `authorization_code` (the web-server
 * flow's code, exchanged once within 15 minutes, with the client secret or PKCE's code_verifier) and
 * `refresh_token` (a refresh token, issued only when the approval granted `refresh_token` /
 * `offline_access`). Both answer in Salesforce's words and field order; an access token they issue is
 * a session like the JWT grant's. A refresh token stops working when it is revoked (revoke.ts, which
 * also ends the sessions it opened) or when the user's approval of the app is revoked in Setup.
 */
import { createHash } from 'node:crypto';
import { sameSecret } from '../../../lib/same-secret.ts';
import { myDomainHost } from '../../world/hosts.ts';
import type { App } from '../../world/schema.ts';
import type { MockOrg } from '../mock-org.ts';
import { OUTCOMES } from '../outcomes.ts';
import { oauthError, oauthResponse, type WireOptions, type WireResponse, wireOptions } from '../responses.ts';
import type { Trace } from '../trace.ts';
import { newAccessToken, newSession, newSignature, TOKEN_ALPHABET } from './grant.ts';
import type { TokenRequest } from './request.ts';

/** How long a code may wait for its exchange (Salesforce: 15 minutes). */
const CODE_TTL_MS = 15 * 60_000;
/** Codes and refresh tokens one mock holds at most (a harness bound): the oldest go first. */
const MAX_HELD = 10_000;

export interface IssuedCode {
  app: string;
  userId: string;
  orgId: string;
  redirectUri: string;
  scopes: readonly string[];
  /** The host the flow ran on: its identity URL is the `id` of the token response. */
  host: string;
  codeChallenge?: { value: string; method: 'S256' | 'plain' };
  issuedAt: number;
}

interface RefreshToken {
  app: string;
  userId: string;
  orgId: string;
  scopes: readonly string[];
  host: string;
  /** The access tokens issued with it, which revoking it ends. */
  accessTokens: string[];
}

interface Held {
  codes: Map<string, IssuedCode>;
  refreshTokens: Map<string, RefreshToken>;
}

const held = new WeakMap<object, Held>();

function heldBy(mock: object): Held {
  let h = held.get(mock);
  if (h === undefined) {
    h = { codes: new Map(), refreshTokens: new Map() };
    held.set(mock, h);
  }
  return h;
}

function bounded<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_HELD) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

/** Forgets every code and refresh token, as `reset()` does. */
export function clearCodes(mock: object): void {
  held.delete(mock);
}

/** A new code for the web-server flow's redirect. */
export function issueCode(mock: MockOrg, code: IssuedCode): string {
  const value = `aPrx${mock.random.string(80, TOKEN_ALPHABET.slice(0, 62))}`;
  bounded(heldBy(mock).codes, value, code);
  return value;
}

/**
 * Revokes a refresh token (Revoke OAuth Tokens): it and the access tokens issued with it stop working.
 * Whether it was one, and whose.
 */
export function revokeRefreshToken(mock: MockOrg, token: string): RefreshToken | undefined {
  const store = heldBy(mock).refreshTokens;
  const found = store.get(token);
  if (found === undefined) return undefined;
  store.delete(token);
  for (const access of found.accessTokens) mock.sessions.revoke(access, mock.now());
  return found;
}

/** The grant types this module answers. */
export const OTHER_GRANTS = ['authorization_code', 'refresh_token'] as const;

/** Salesforce's answers to these grants; those the JWT grant gives too are its outcomes'. */
export const GRANT_ERRORS = {
  invalidClientId: [OUTCOMES.invalidClientId.error, OUTCOMES.invalidClientId.description],
  invalidClient: ['invalid_client', 'invalid client credentials'],
  invalidCode: ['invalid_grant', 'invalid authorization code'],
  expiredCode: [OUTCOMES.expired.error, OUTCOMES.expired.description],
  redirectMismatch: ['redirect_uri_mismatch', 'redirect_uri must match configuration'],
  invalidVerifier: ['invalid_grant', 'invalid code verifier'],
  badRefreshToken: ['invalid_grant', 'expired access/refresh token'],
} as const satisfies Record<string, readonly [string, string]>;

function verifies(challenge: NonNullable<IssuedCode['codeChallenge']>, verifier: string): boolean {
  const derived = challenge.method === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
  return sameSecret(derived, challenge.value);
}

/**
 * Answers `grant_type=authorization_code` or `refresh_token` (the caller has checked POST, TLS and
 * the form) and fills in `trace`.
 */
export function answerOtherGrant(mock: MockOrg, request: TokenRequest, params: URLSearchParams, trace: Trace): WireResponse {
  const now = mock.now();
  const wire = wireOptions(mock.random, now);
  const fail = ([error, description]: readonly [string, string], status = 400) => {
    trace.outcome = 'other';
    trace.response = { status, error, errorDescription: description };
    return oauthError(status, error, description, wire);
  };
  const grantType = params.get('grant_type');
  const app = mock.index.appByConsumerKey(params.get('client_id') ?? '');
  if (app === undefined) return fail(GRANT_ERRORS.invalidClientId);
  trace.app = app.name;
  const secret = params.get('client_secret');
  if (secret !== null && (app.consumerSecret === undefined || !sameSecret(secret, app.consumerSecret))) return fail(GRANT_ERRORS.invalidClient);
  const store = heldBy(mock);

  if (grantType === 'authorization_code') {
    const value = params.get('code') ?? '';
    const code = store.codes.get(value);
    if (code === undefined || code.app !== app.name) return fail(GRANT_ERRORS.invalidCode);
    // A code is used once, found good or not.
    store.codes.delete(value);
    if (now - code.issuedAt > CODE_TTL_MS) return fail(GRANT_ERRORS.expiredCode);
    if ((params.get('redirect_uri') ?? '') !== code.redirectUri) return fail(GRANT_ERRORS.redirectMismatch);
    const verifier = params.get('code_verifier');
    if (code.codeChallenge !== undefined && (verifier === null || !verifies(code.codeChallenge, verifier))) return fail(GRANT_ERRORS.invalidVerifier);
    // Without PKCE the client proves itself with its secret.
    if (code.codeChallenge === undefined && secret === null) return fail(GRANT_ERRORS.invalidClient);
    const refresh = code.scopes.includes('refresh_token') ? `5Aep${mock.random.string(83, TOKEN_ALPHABET.slice(0, 64))}` : undefined;
    return issue(mock, request, app, code, refresh, wire, trace);
  }

  const value = params.get('refresh_token') ?? '';
  const refresh = store.refreshTokens.get(value);
  const user = refresh === undefined ? undefined : mock.index.userById(refresh.userId);
  // Revoking the user's approval of the app in Setup revokes its refresh tokens.
  if (refresh === undefined || refresh.app !== app.name || user === undefined || !user.approvedApps.includes(app.name) || !user.active || user.frozen) return fail(GRANT_ERRORS.badRefreshToken);
  return issue(mock, request, app, refresh, undefined, wire, trace, value);
}

/** A new session for the grant, and the answer in Salesforce's field order. */
function issue(
  mock: MockOrg,
  request: TokenRequest,
  app: App,
  grant: Pick<IssuedCode, 'userId' | 'orgId' | 'scopes' | 'host'>,
  newRefreshToken: string | undefined,
  wire: WireOptions,
  trace: Trace,
  usedRefreshToken?: string,
): WireResponse {
  const now = mock.now();
  const org = mock.index.orgById(grant.orgId);
  const user = mock.index.userById(grant.userId);
  if (org === undefined || user === undefined) return oauthError(400, ...GRANT_ERRORS.badRefreshToken, wire);
  const token = newAccessToken(org, mock.random);
  mock.sessions.add(token, newSession({ user, org, app }, mock.knobs, now));
  const store = heldBy(mock).refreshTokens;
  if (newRefreshToken !== undefined) bounded(store, newRefreshToken, { app: app.name, userId: user.id, orgId: org.id, scopes: grant.scopes, host: grant.host, accessTokens: [token] });
  if (usedRefreshToken !== undefined) store.get(usedRefreshToken)?.accessTokens.push(token);
  trace.username = user.username;
  trace.outcome = 'success';
  trace.response = { status: 200, accessToken: `${token.split('!')[0]}![redacted]` };
  const fields: [string, string][] = [['access_token', token]];
  if (newRefreshToken !== undefined) fields.push(['refresh_token', newRefreshToken]);
  fields.push(
    ['signature', newSignature(mock.random)],
    ['scope', grant.scopes.join(' ')],
    ['instance_url', request.urls.baseUrl(myDomainHost(org))],
    ['id', `${request.urls.baseUrl(grant.host)}/id/${org.id}/${user.id}`],
    ['token_type', 'Bearer'],
    ['issued_at', String(now)],
  );
  return oauthResponse(200, fields, wire);
}
