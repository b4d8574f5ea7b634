/**
 * Revoke OAuth Tokens: `POST /services/oauth2/revoke` with `token=<access or refresh token>` in a
 * form body, or the "blind" `GET /services/oauth2/revoke?token=…`, on the login and test hosts and
 * on a My Domain. Revoking an access token ends that session only, as logging out does: the user's
 * approval of the app stays, so a new JWT grant works at once. A refresh token (the approval flows
 * issue them, token/codes.ts) ends with every session it opened. Success is 200 with an empty body; a
 * token that is no live session is 400 with the error the revokeUnknownToken knob names. The trace
 * (kind `token`) shows the token redacted, never whole. Over plain http the answer is the token
 * endpoint's `HTTPS required` while the requireTls knob is on.
 */
import type { LogicalHost } from '../world/hosts.ts';
import type { IncomingRequest } from './incoming.ts';
import type { Knobs } from './knobs.ts';
import type { MockOrg } from './mock-org.ts';
import { OUTCOMES } from './outcomes.ts';
import { negotiateFormat, oauthError, oauthResponse, payloadTooLarge, textResponse, type WireResponse, wireOptions } from './responses.ts';
import { revokeRefreshToken } from './token/codes.ts';
import { redactToken, type Trace } from './trace.ts';

export const REVOKE_PATH = '/services/oauth2/revoke';

/** Whether the request is a revocation the mock answers: GET or POST of the revoke path on a login, test or My Domain host. */
export function isRevokeRequest(method: string, host: LogicalHost, path: string): boolean {
  return path === REVOKE_PATH && (method === 'POST' || method === 'GET') && (host.kind === 'login' || host.kind === 'test' || host.kind === 'my-domain');
}

/** The error fields for a token that is no live session, as the knob chooses. */
export function revokeError(knobs: Pick<Knobs, 'revokeUnknownToken'>): [string, string][] {
  return knobs.revokeUnknownToken === 'invalid_token'
    ? [
        ['error', 'invalid_token'],
        ['error_description', 'the token is invalid'],
      ]
    : [
        ['error', 'unsupported_token_type'],
        ['error_description', 'this token type is not supported'],
      ];
}

/** Answers a revocation and fills in its trace (the caller journals it and stamps the answer). */
export async function answerRevoke(org: MockOrg, request: IncomingRequest, trace: Trace, secure: boolean): Promise<WireResponse> {
  const now = org.now();
  const wire = wireOptions(org.random, now);
  // Over plain http, as the token endpoint answers it (the requireTls knob; serve --http turns it off),
  // before the body is read: nothing is revoked.
  if (!secure && org.knobs.requireTls) {
    if (org.knobs.honourFormat) wire.format = negotiateFormat(request.url.searchParams.get('format'), request.header('accept'));
    const { status, error, description } = OUTCOMES.httpsRequired;
    trace.checks.push({ check: 'tls', title: 'Request is over HTTPS', verdict: 'fail', outcome: 'httpsRequired', expected: 'https', actual: 'http', fix: 'Use an https:// URL to revoke.' });
    trace.decidedBy = 'tls';
    trace.outcome = 'httpsRequired';
    trace.response = { status, error, errorDescription: description };
    return oauthError(status, error, description, wire);
  }
  const body = request.method === 'POST' ? await request.readBody(org.knobs.maxBodyBytes) : '';
  if (body === 'too-large') {
    trace.response.status = 413;
    return payloadTooLarge(wire);
  }
  // As a servlet reads parameters: the body's first, then the query string's.
  const form = new URLSearchParams(body);
  const param = (name: string) => form.get(name) ?? request.url.searchParams.get(name);
  if (org.knobs.honourFormat) wire.format = negotiateFormat(param('format'), request.header('accept'));
  const token = param('token');
  // A refresh token (the approval flows') ends with the sessions it opened; any other token is a session's.
  const refresh = token === null || token === '' ? undefined : revokeRefreshToken(org, token);
  const ended = refresh !== undefined ? { userId: refresh.userId, app: refresh.app } : token === null || token === '' ? 'unknown' : org.sessions.revoke(token, now);
  const shown = token === null || token === '' ? 'no token' : redactToken(token);
  if (typeof ended === 'string') {
    const fields = revokeError(org.knobs);
    trace.checks.push({
      check: 'session',
      title: 'Token to revoke is a live session',
      verdict: 'fail',
      expected: 'an access token of a live session',
      actual: `${shown}: ${token === null || token === '' ? 'no token parameter' : `${ended} token`}`,
      fix: 'Revoke the access_token of the token response while its session is live; an ended session needs no revoking.',
    });
    trace.outcome = 'other';
    trace.response = { status: 400, error: fields[0]?.[1] ?? '', errorDescription: fields[1]?.[1] ?? '' };
    return oauthResponse(400, fields, wire);
  }
  const user = org.index.userById(ended.userId);
  if (user !== undefined) trace.username = user.username;
  trace.app = ended.app;
  trace.checks.push({ check: 'session', title: 'Token to revoke is a live session', verdict: 'pass', expected: 'an access token of a live session', actual: `${shown}: session ended` });
  trace.outcome = 'success';
  trace.response = { status: 200 };
  // Empty, with Salesforce's usual headers; the Content-Type is inferred (text/plain, as fetch's Response gives an empty string body).
  return textResponse(200, '', wire);
}
