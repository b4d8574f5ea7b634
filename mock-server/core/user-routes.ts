/**
 * The user's own endpoints behind a real session: paths sfjwt does not serve (an Apex REST service,
 * a custom API on the org's My Domain) answered from routes the user gives (a fixtures folder,
 * mock-server/fixtures.ts, or `MockOrgOptions.routes`). Every such call is a REST call as
 * Salesforce sees one: a missing, unknown, expired or revoked access token, or one of another org,
 * gets 401 INVALID_SESSION_ID; a live session spends one of the org's DailyApiRequests (403
 * REQUEST_LIMIT_EXCEEDED once spent) and counts as activity; the call is journalled. Under
 * `/services/apexrest/` a path no route matches answers as Apex REST does (404 "Could not find a
 * match for URL"), and a route without the method asked for answers 405 with the methods it has.
 */
import type { IncomingRequest } from './incoming.ts';
import { accessTokenOf, sessionOnHost, sessionStep } from './live-session.ts';
import type { MockOrg, ServeContext } from './mock-org.ts';
import { type WireResponse, wireOptions } from './responses.ts';
import { meterRestCall } from './rest/api-usage.ts';
import { finishRest, invalidSession, restJson } from './rest-errors.ts';
import type { Trace } from './trace.ts';

/** The methods a route may answer; `ANY` answers every method the route has no own answer for. */
export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** One segment of a route's path: literal text (compared exactly), or `[name]`, any one segment. */
export type RouteSegment = { literal: string } | { param: string };

export interface UserRoute {
  method: RouteMethod;
  /** The path's segments after the leading slash: `/services/apexrest/orders/[id]` is four. */
  segments: readonly RouteSegment[];
  status: number;
  contentType: string;
  body: string;
  /** Where the route came from (a fixture file's path), for the journal and error messages. */
  source: string;
}

/** Paths that stay the mock's own whatever the routes say: OAuth, identity and the admin API. */
export const RESERVED_PREFIXES = ['/services/oauth2/', '/id/', '/__sfjwt'] as const;

/** The prefix under which an unmatched path answers as Apex REST does. */
export const APEX_REST_PREFIX = '/services/apexrest/';

/** Apex REST's answer to a path no class maps: the text as public reports quote it. */
export const APEX_NO_MATCH_MESSAGE = 'Could not find a match for URL';

export function isReservedPath(path: string): boolean {
  return RESERVED_PREFIXES.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p));
}

/** The route path as written: `/services/apexrest/orders/[id]`. */
export function routePath(route: Pick<UserRoute, 'segments'>): string {
  return `/${route.segments.map((s) => ('literal' in s ? s.literal : `[${s.param}]`)).join('/')}`;
}

export type RouteMatch = { kind: 'route'; route: UserRoute; params: Record<string, string> } | { kind: 'method'; allowed: readonly string[] } | { kind: 'none' };

/**
 * The route for `method` and `path`. Of the routes whose path matches, the one with the most literal
 * segments first (so `/orders/open` beats `/orders/[id]`), then the method's own route before `ANY`;
 * HEAD is answered by GET. A path that matches only under other methods is `method`, with them.
 */
export function matchRoute(routes: readonly UserRoute[], method: string, path: string): RouteMatch {
  const parts = path.replace(/^\/+/, '').split('/');
  let best: { literals: number; candidates: { route: UserRoute; params: Record<string, string> }[] } | undefined;
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (const [i, segment] of route.segments.entries()) {
      const part = parts[i] ?? '';
      if ('literal' in segment) {
        if (segment.literal !== part && segment.literal !== safeDecode(part)) {
          ok = false;
          break;
        }
        literals += 1;
      } else if (part === '') {
        ok = false;
        break;
      } else params[segment.param] = safeDecode(part);
    }
    if (!ok) continue;
    if (best === undefined || literals > best.literals) best = { literals, candidates: [{ route, params }] };
    else if (literals === best.literals) best.candidates.push({ route, params });
  }
  if (best === undefined) return { kind: 'none' };
  const wanted = method === 'HEAD' ? 'GET' : method;
  const found = best.candidates.find((c) => c.route.method === wanted) ?? best.candidates.find((c) => c.route.method === 'ANY');
  if (found !== undefined) return { kind: 'route', ...found };
  const allowed: string[] = [...new Set(best.candidates.map((c) => c.route.method))];
  if (allowed.includes('GET')) allowed.push('HEAD');
  return { kind: 'method', allowed };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Whether `answerUserRoute` answers this path: a route matches it (any method), or it is under Apex REST. */
export function servesUserPath(routes: readonly UserRoute[], path: string): boolean {
  if (isReservedPath(path)) return false;
  return path.startsWith(APEX_REST_PREFIX) || matchRoute(routes, 'GET', path).kind !== 'none';
}

/**
 * Answers a call to a user route (or an unmatched Apex REST path) with the REST API's envelope,
 * filling in `trace`: the session check, then the route. The body of the request is not read.
 */
export function answerUserRoute(mock: MockOrg, request: IncomingRequest, sc: ServeContext, path: string, trace: Trace): WireResponse {
  const wire = wireOptions(mock.random, mock.now());
  const live = sessionOnHost(mock, accessTokenOf(request.header('authorization'), request.url), sc.host);
  trace.kind = 'rest';
  const step = sessionStep(live);
  trace.checks.push(step);
  if (typeof live === 'string') return finishRest(invalidSession(), wire);
  trace.username = live.user.username;
  const { finish, refused } = meterRestCall(mock, live.org.id, wire);
  if (refused !== undefined) return refused;
  const match = matchRoute(mock.routes, request.method, path);
  if (match.kind === 'none') return finish(restJson(404, [{ errorCode: 'NOT_FOUND', message: APEX_NO_MATCH_MESSAGE }]));
  if (match.kind === 'method') {
    const response = restJson(405, [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${request.method}' not allowed. Allowed are ${match.allowed.join(',')}` }]);
    response.headers.push(['Allow', match.allowed.join(', ')]);
    return finish(response);
  }
  step.note = `answered by the route ${match.route.method} ${routePath(match.route)} (${match.route.source})`;
  return finish({ status: match.route.status, headers: [['Content-Type', match.route.contentType]], body: request.method === 'HEAD' ? '' : match.route.body });
}
