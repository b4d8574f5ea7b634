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
import type { MockOrg } from '../core/mock-org.ts';
import { toResponse } from '../core/responses.ts';
import { finishRest, invalidSession } from '../core/rest-errors.ts';
import type { Session } from '../core/sessions.ts';
import { realHostUrls } from '../world/hosts.ts';
import type { Org, User } from '../world/schema.ts';

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

/** The live session a `withSession` handler is called with. */
export interface LiveSession {
  /** The access token as sent (the handler's to use, e.g. for a call back to the mock). */
  token: string;
  session: Session;
  user: User;
  org: Org;
}

/** The access token of a request as the REST API reads it: `Authorization: Bearer|OAuth <token>`, or `?oauth_token=`. */
function accessToken(request: Request): string | undefined {
  const auth = request.headers.get('authorization');
  const m = auth === null ? null : /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(auth.trim());
  return m?.[1] ?? new URL(request.url).searchParams.get('oauth_token') ?? undefined;
}

/**
 * The live session of a request to `org`, or undefined: no token, one the org never issued, one
 * that timed out or was revoked, a user gone from the world, or (on a host of the world) a host of
 * another org than the session's, as the REST API takes tokens on their own org's My Domain only.
 */
export function liveSession(org: MockOrg, request: Request): LiveSession | undefined {
  const token = accessToken(request);
  if (token === undefined) return undefined;
  const looked = org.sessions.lookup(token, org.now());
  if (typeof looked === 'string') return undefined;
  const user = org.index.userById(looked.userId);
  const userOrg = org.index.orgById(looked.orgId);
  if (user === undefined || userOrg === undefined) return undefined;
  const host = org.index.host(new URL(request.url).hostname);
  if (host !== undefined && host.org !== userOrg.name) return undefined;
  return { token, session: looked, user, org: userOrg };
}

/**
 * An msw resolver that answers 401 INVALID_SESSION_ID (the REST API's bytes and headers) unless the
 * request carries an access token of a live session, and otherwise calls `handler` with msw's
 * resolver argument plus `live`, the session and its user:
 * `http.get('https://acme.my.salesforce.com/services/apexrest/orders', withSession(org, ({ live }) => HttpResponse.json({ owner: live.user.username })))`.
 */
export function withSession<Info extends { request: Request }, R>(org: MockOrg, handler: (info: Info & { live: LiveSession }) => R): (info: Info) => R {
  return (info) => {
    const live = liveSession(org, info.request);
    if (live === undefined) {
      const browserId = org.random.string(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
      // Typed as the handler's answer: msw's resolver types ask for its HttpResponse, yet answer any fetch Response as it is.
      return toResponse(finishRest(invalidSession(), { browserId, now: new Date(org.now()) })) as R;
    }
    return handler({ ...info, live });
  };
}
