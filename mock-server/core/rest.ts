/**
 * What a client calls after the token: the identity URL (`/id/<org>/<user>`), OpenID userinfo, the
 * REST version list and a few resources (`limits`, an Organization query). A bad or expired session
 * gets Salesforce's answers: 401 INVALID_SESSION_ID from the REST API, 403 Bad_OAuth_Token from the
 * identity service. Tokens are valid on the org's own My Domain (and, for identity, on any host).
 */
import { myDomainHost } from '../world/hosts.ts';
import type { Org, User } from '../world/schema.ts';
import type { IncomingRequest } from './incoming.ts';
import type { MockOrg, ServeContext } from './mock-org.ts';
import { jsonResponse, notFoundPage, setHeader, textResponse, type WireOptions, type WireResponse } from './responses.ts';
import type { Session } from './sessions.ts';
import type { Trace } from './trace.ts';

/** Winter '27, the release current in late 2026. */
export const LATEST_API_VERSION = 68;
const FIRST_API_VERSION = 20;
const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

/** Release label of an API version: v68.0 is Winter '27, v67.0 Summer '26, v66.0 Spring '26, … */
export function releaseLabel(version: number): string {
  const i = LATEST_API_VERSION - version;
  const season = ['Winter', 'Summer', 'Spring'][((i % 3) + 3) % 3];
  const year = 27 - Math.floor((i + 2) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function apiVersions(): { label: string; url: string; version: string }[] {
  const out = [];
  for (let v = FIRST_API_VERSION; v <= LATEST_API_VERSION; v += 1) out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  return out;
}

export function isRestPath(path: string): boolean {
  return path.startsWith('/id/') || path === '/services/oauth2/userinfo' || path === '/services/data' || path.startsWith('/services/data/');
}

function bearer(request: IncomingRequest, url: URL): string | undefined {
  const auth = request.header('authorization');
  const m = auth === null ? null : /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(auth.trim());
  return m?.[1] ?? url.searchParams.get('oauth_token') ?? undefined;
}

function identity(user: User, org: Org, baseUrl: string, idUrl: string, version: number) {
  const v = `${version}.0`;
  const rest = (p: string) => `${baseUrl}/services/data/v${v}/${p}`;
  return {
    id: idUrl,
    asserted_user: true,
    user_id: user.id,
    organization_id: org.id,
    username: user.username,
    nick_name: user.username.split('@')[0] ?? user.username,
    display_name: `${user.firstName} ${user.lastName}`.trim(),
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: 'America/Los_Angeles',
    photos: { picture: `${baseUrl}/profilephoto/005/F`, thumbnail: `${baseUrl}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: {
      enterprise: `${baseUrl}/services/Soap/c/${v}/${org.id}`,
      metadata: `${baseUrl}/services/Soap/m/${v}/${org.id}`,
      partner: `${baseUrl}/services/Soap/u/${v}/${org.id}`,
      rest: rest(''),
      sobjects: rest('sobjects/'),
      search: rest('search/'),
      query: rest('query/'),
      recent: rest('recent/'),
      tooling_soap: `${baseUrl}/services/Soap/T/${v}/${org.id}`,
      tooling_rest: rest('tooling/'),
      profile: `${baseUrl}/${user.id}`,
      feeds: rest('chatter/feeds'),
      groups: rest('chatter/groups'),
      users: rest('chatter/users'),
      feed_items: rest('chatter/feed-items'),
      feed_elements: rest('chatter/feed-elements'),
      custom_domain: baseUrl,
    },
    active: user.active,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28_800_000,
    last_modified_date: '2024-01-01T00:00:00.000+0000',
    is_app_installed: true,
  };
}

function limits() {
  const l = (max: number, used: number) => ({ Max: max, Remaining: max - used });
  return {
    ConcurrentAsyncGetReportInstances: l(200, 0),
    ConcurrentSyncReportRuns: l(20, 0),
    DailyApiRequests: l(15_000, 1),
    DailyAsyncApexExecutions: l(250_000, 0),
    DailyBulkApiBatches: l(15_000, 0),
    DailyBulkV2QueryFileStorageMB: l(976_562, 0),
    DailyBulkV2QueryJobs: l(10_000, 0),
    DataStorageMB: l(5, 0),
    FileStorageMB: l(20, 0),
    HourlyODataCallout: l(10_000, 0),
    SingleEmail: l(15, 0),
  };
}

export function handleRest(org: MockOrg, request: IncomingRequest, sc: ServeContext, path: string, sitePrefix: string | undefined, trace: Trace): WireResponse {
  const now = org.now();
  const wire: WireOptions = { browserId: org.random.string(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), now: new Date(now) };
  const url = request.url;
  const token = bearer(request, url);
  const looked = token === undefined ? 'unknown' : org.sessions.lookup(token, now);
  const session: Session | undefined = typeof looked === 'string' ? undefined : looked;
  const user = session === undefined ? undefined : org.index.userById(session.userId);
  const userOrg = session === undefined ? undefined : org.index.orgById(session.orgId);
  const sessionNote = token === undefined ? 'no access token' : typeof looked === 'string' ? `${looked} access token` : 'valid access token';
  trace.kind = path.startsWith('/services/data') ? 'rest' : 'identity';
  trace.checks.push({ check: 'session', title: 'Access token is a live session', verdict: session === undefined ? 'fail' : 'pass', actual: sessionNote });
  if (user !== undefined) trace.username = user.username;

  if (path === '/services/data' || path === '/services/data/') return jsonResponse(200, apiVersions(), wire);

  if (path.startsWith('/id/') || path === '/services/oauth2/userinfo') {
    if (session === undefined || user === undefined || userOrg === undefined) return textResponse(403, 'Bad_OAuth_Token', wire);
    const host = org.index.host(sc.host);
    const base = sc.urls.baseUrl(myDomainHost(userOrg));
    const idUrl = `${sc.urls.baseUrl(host?.name ?? sc.host)}${sitePrefix ?? ''}/id/${userOrg.id}/${user.id}`;
    if (path.startsWith('/id/')) {
      const [, , orgId = '', userId = ''] = path.split('/');
      if (orgId.slice(0, 15) !== userOrg.id.slice(0, 15) || userId.slice(0, 15) !== user.id.slice(0, 15)) return textResponse(403, 'Bad_Id', wire);
      return jsonResponse(200, identity(user, userOrg, base, idUrl, LATEST_API_VERSION), wire);
    }
    return jsonResponse(
      200,
      {
        sub: idUrl,
        user_id: user.id,
        organization_id: userOrg.id,
        preferred_username: user.username,
        nickname: user.username.split('@')[0],
        name: `${user.firstName} ${user.lastName}`.trim(),
        email: user.email,
        email_verified: true,
        given_name: user.firstName,
        family_name: user.lastName,
        zoneinfo: 'America/Los_Angeles',
        locale: 'en_US',
        user_type: 'STANDARD',
        active: user.active,
        updated_at: '2024-01-01T00:00:00Z',
      },
      wire,
    );
  }

  const m = /^\/services\/data\/v(\d+)\.0(\/.*)?$/.exec(path);
  if (m === null) return jsonResponse(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], wire);
  // Tokens are good on the org's own My Domain only.
  const onOwnHost = userOrg !== undefined && org.index.host(sc.host)?.org === userOrg.name;
  if (session === undefined || userOrg === undefined || !onOwnHost) {
    const res = jsonResponse(401, INVALID_SESSION, wire);
    setHeader(res, 'WWW-Authenticate', 'Token');
    return res;
  }
  const version = Number(m[1]);
  if (version < FIRST_API_VERSION || version > LATEST_API_VERSION) return jsonResponse(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], wire);
  const resource = (m[2] ?? '/').replace(/\/+$/, '') || '/';
  const v = `v${version}.0`;
  if (resource === '/') {
    const names = ['limits', 'query', 'queryAll', 'sobjects', 'search', 'tooling', 'chatter', 'analytics', 'composite', 'connect', 'recent', 'ui-api'];
    return jsonResponse(200, Object.fromEntries(names.map((n) => [n, `/services/data/${v}/${n}`])), wire);
  }
  if (resource === '/limits') return jsonResponse(200, limits(), wire);
  if (resource === '/query') {
    const q = url.searchParams.get('q') ?? '';
    const from = /\bfrom\s+(\w+)/i.exec(q)?.[1];
    if (from?.toLowerCase() === 'organization') {
      return jsonResponse(
        200,
        {
          totalSize: 1,
          done: true,
          records: [
            {
              attributes: { type: 'Organization', url: `/services/data/${v}/sobjects/Organization/${userOrg.id}` },
              Id: userOrg.id,
              Name: userOrg.companyName ?? userOrg.name,
              IsSandbox: userOrg.kind === 'sandbox',
              OrganizationType: 'Enterprise Edition',
              InstanceName: 'NA1',
              NamespacePrefix: null,
              TrialExpirationDate: null,
            },
          ],
        },
        wire,
      );
    }
    return jsonResponse(400, [{ message: `sObject type '${from ?? ''}' is not supported.`, errorCode: 'INVALID_TYPE' }], wire);
  }
  if (resource.startsWith('/')) return jsonResponse(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], wire);
  return notFoundPage(wire);
}
