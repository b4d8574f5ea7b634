/**
 * msw handlers, so a vitest or jest suite intercepts https://login.salesforce.com/... and every other
 * host of the world in-process: `setupServer(...salesforceHandlers(org))`. Requests to hosts the world
 * does not have pass through to the next handler. A suite's own endpoints (an Apex REST service, a
 * custom API on the org's My Domain) go in `extra`, ahead of the mock's, and `withSession` puts them
 * behind a real session: a missing, unknown, expired or revoked access token gets the REST API's
 * 401 INVALID_SESSION_ID byte for byte, and a live one reaches the handler with its user (and counts
 * as activity, as any use of a session does).
 */
import { http, type RequestHandler } from 'msw';
import { accessTokenOf, type LiveSession, sessionOnHost } from '../core/live-session.ts';
import type { MockOrg } from '../core/mock-org.ts';
import { toResponse, type WireResponse, wireOptions } from '../core/responses.ts';
import { limitInfo, spendApiRequest } from '../core/rest/api-usage.ts';
import { finishRest, invalidSession, requestLimitExceeded } from '../core/rest-errors.ts';
import { realHostUrls } from '../world/hosts.ts';

export interface MswOptions {
  /** The caller IP the mock sees (default 127.0.0.1): to rehearse login IP ranges. */
  clientIp?: string;
  /**
   * The suite's own handlers, tried before the mock's: for paths the mock does not serve on the
   * world's hosts (which it would otherwise answer with its 404 page). Wrap a resolver in
   * `withSession` to require a live session.
   */
  extra?: readonly RequestHandler[];
}

export function salesforceHandlers(org: MockOrg, options: MswOptions = {}): RequestHandler[] {
  return [
    ...(options.extra ?? []),
    // A RegExp, not '*': msw decodes string patterns, which fails on paths with a malformed escape.
    http.all(/.*/, async ({ request }) => {
      const url = new URL(request.url);
      if (org.index.host(url.hostname) === undefined) return undefined;
      const secure = url.protocol === 'https:';
      return org.handle(request, { host: url.hostname.toLowerCase(), secure, clientIp: options.clientIp ?? '127.0.0.1', urls: realHostUrls(secure ? 'https' : 'http') });
    }),
  ];
}

export type { LiveSession } from '../core/live-session.ts';

/**
 * The live session of a request to `org`, or undefined: no token, one the org never issued, one
 * that timed out or was revoked, a user gone from the world, or (on a host of the world) a host of
 * another org than the session's, as the REST API takes tokens on their own org's My Domain only.
 * Asking counts as use of the session (activity), as any REST call does.
 */
export function liveSession(org: MockOrg, request: Request): LiveSession | undefined {
  const url = new URL(request.url);
  const live = sessionOnHost(org, accessTokenOf(request.headers.get('authorization'), url), url.hostname.toLowerCase());
  return typeof live === 'string' ? undefined : live;
}

/**
 * An msw resolver that answers 401 INVALID_SESSION_ID (the REST API's bytes and headers) unless the
 * request carries an access token of a live session, and otherwise calls `handler` with msw's
 * resolver argument plus `live`, the session and its user:
 * `http.get('https://acme.my.salesforce.com/services/apexrest/orders', withSession(org, ({ live }) => HttpResponse.json({ owner: live.user.username })))`.
 * As a REST call, a live one spends one of the org's DailyApiRequests (403 REQUEST_LIMIT_EXCEEDED
 * once spent, the handler not called); every call is journalled with the status answered.
 */
export function withSession<Info extends { request: Request }, R>(org: MockOrg, handler: (info: Info & { live: LiveSession }) => R): (info: Info) => R {
  return (info) => {
    const url = new URL(info.request.url);
    const host = url.hostname.toLowerCase();
    const request = { method: info.request.method.toUpperCase(), url, contentType: info.request.headers.get('content-type') };
    const sc = { host, clientIp: '127.0.0.1' };
    const live = sessionOnHost(org, accessTokenOf(info.request.headers.get('authorization'), url), host);
    const refuse = (wire: WireResponse, extra: [string, string][] = []) => {
      org.journalUserCall(request, sc, live, wire.status);
      // Typed as the handler's answer: msw's resolver types ask for its HttpResponse, yet answer any fetch Response as it is.
      return toResponse(finishRest(wire, wireOptions(org.random, org.now()), extra)) as R;
    };
    if (typeof live === 'string') return refuse(invalidSession());
    if (!spendApiRequest(org, live.org.id)) return refuse(requestLimitExceeded(), [['Sforce-Limit-Info', limitInfo(org, live.org.id)]]);
    const answered = handler({ ...info, live });
    // The status for the journal once the handler has answered; the answer itself goes back untouched.
    void Promise.resolve(answered).then(
      (r) => org.journalUserCall(request, sc, live, r instanceof Response ? r.status : 0),
      () => org.journalUserCall(request, sc, live, 0),
    );
    return answered;
  };
}
