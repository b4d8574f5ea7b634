/**
 * What a client calls after the token: the identity URL (`/id/<org>/<user>`), OpenID userinfo, and
 * the REST API under `/services/data`: the public version list, Resources by Version, Limits, and the
 * data routes (SOQL, sObjects: rest-data.ts). A bad or expired session gets Salesforce's answers:
 * 401 INVALID_SESSION_ID from the REST API, 403 Bad_OAuth_Token from the identity service. Tokens are
 * valid on the org's own My Domain (and, for identity, on any host). A retired version answers 410,
 * an unknown one 404; every REST call with a live session spends one of the org's DailyApiRequests
 * (403 REQUEST_LIMIT_EXCEEDED once spent) and carries `Sforce-Limit-Info`.
 */
import { myDomainHost } from '../world/hosts.ts';
import type { IncomingRequest } from './incoming.ts';
import { accessTokenOf } from './live-session.ts';
import type { MockOrg, ServeContext } from './mock-org.ts';
import { jsonResponse, textResponse, type WireResponse, wireOptions } from './responses.ts';
import { apiRequestsUsed, meterRestCall } from './rest/api-usage.ts';
import { IDENTITY_CONTENT_TYPES, identityBody, identityFormat, serialiseIdentity, urlVersion, userInfoBody } from './rest/identity.ts';
import { limitsBody, resourcesBody } from './rest/limits.ts';
import { apiVersions, versionStanding } from './rest/versions.ts';
import { handleDataRoute } from './rest-data.ts';
import { finishRest, invalidSession, notFound, restJson, retiredVersion } from './rest-errors.ts';
import type { Session } from './sessions.ts';
import type { Trace } from './trace.ts';

export { apiVersions, LATEST_API_VERSION, releaseLabel } from './rest/versions.ts';

export function isRestPath(path: string): boolean {
  return path.startsWith('/id/') || path === '/services/oauth2/userinfo' || path === '/services/data' || path.startsWith('/services/data/');
}

export function handleRest(org: MockOrg, request: IncomingRequest, sc: ServeContext, path: string, sitePrefix: string | undefined, trace: Trace): WireResponse {
  const now = org.now();
  const wire = wireOptions(org.random, now);
  const url = request.url;
  const token = accessTokenOf(request.header('authorization'), url);
  const looked = token === undefined ? 'unknown' : org.sessions.lookup(token, now);
  const session: Session | undefined = typeof looked === 'string' ? undefined : looked;
  const user = session === undefined ? undefined : org.index.userById(session.userId);
  const userOrg = session === undefined ? undefined : org.index.orgById(session.orgId);
  const sessionNote = token === undefined ? 'no access token' : typeof looked === 'string' ? `${looked} access token` : 'valid access token';
  trace.kind = path.startsWith('/services/data') ? 'rest' : 'identity';
  trace.checks.push({ check: 'session', title: 'Access token is a live session', verdict: session === undefined ? 'fail' : 'pass', actual: sessionNote });
  if (user !== undefined) trace.username = user.username;
  const retiredUpTo = org.knobs.retiredApiVersionsUpTo;

  // The version list is public and free: no session, no API request spent, no Sforce-Limit-Info.
  if (path === '/services/data' || path === '/services/data/') return jsonResponse(200, apiVersions(retiredUpTo), wire);

  if (path.startsWith('/id/') || path === '/services/oauth2/userinfo') {
    if (session === undefined || user === undefined || userOrg === undefined) return textResponse(403, 'Bad_OAuth_Token', wire);
    const host = org.index.host(sc.host);
    const base = sc.urls.baseUrl(myDomainHost(userOrg));
    const idUrl = `${sc.urls.baseUrl(host?.name ?? sc.host)}${sitePrefix ?? ''}/id/${userOrg.id}/${user.id}`;
    const v = urlVersion(url.searchParams.get('version'));
    let body: ReturnType<typeof identityBody>;
    if (path.startsWith('/id/')) {
      const [, , orgId = '', userId = ''] = path.split('/');
      if (orgId.slice(0, 15) !== userOrg.id.slice(0, 15) || userId.slice(0, 15) !== user.id.slice(0, 15)) return textResponse(403, 'Bad_Id', wire);
      body = identityBody(user, userOrg, base, idUrl, v);
    } else body = userInfoBody(user, userOrg, base, idUrl, v);
    const format = identityFormat(url.searchParams.get('format'), request.header('accept'));
    return finishRest({ status: 200, headers: [['Content-Type', IDENTITY_CONTENT_TYPES[format]]], body: serialiseIdentity(body, format) }, wire);
  }

  const m = /^\/services\/data\/v(\d+)\.0(\/.*)?$/.exec(path);
  if (m === null) return finishRest(notFound(), wire);
  const version = Number(m[1]);
  // A retired version is gone whoever asks: the front answers before any session is read.
  if (versionStanding(version, retiredUpTo) === 'retired') return finishRest(retiredVersion(), wire);
  // Tokens are good on the org's own My Domain only.
  const onOwnHost = userOrg !== undefined && org.index.host(sc.host)?.org === userOrg.name;
  if (session === undefined || user === undefined || userOrg === undefined || !onOwnHost) return finishRest(invalidSession(), wire);
  const { finish, refused } = meterRestCall(org, userOrg.id, wire);
  if (refused !== undefined) return refused;
  if (versionStanding(version, retiredUpTo) === 'unknown') return finish(notFound());
  const resource = (m[2] ?? '/').replace(/\/+$/, '') || '/';
  const v = `v${version}.0`;
  const base = sc.urls.baseUrl(org.index.host(sc.host)?.name ?? sc.host);
  if (resource === '/') return finish(restJson(200, resourcesBody(v, `${base}/id/${userOrg.id}/${user.id}`)));
  if (resource === '/limits') return finish(restJson(200, limitsBody(org.knobs.dailyApiRequests, apiRequestsUsed(org, userOrg.id))));
  const data = handleDataRoute(org, request, { version, path: resource, url, session, user, org: userOrg, baseUrl: base });
  if (data !== undefined) return finish(data);
  return finish(notFound());
}
