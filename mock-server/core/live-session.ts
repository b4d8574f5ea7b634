/**
 * The session behind a REST call: the access token as the REST API reads it (`Authorization: Bearer`
 * or `OAuth`, or `?oauth_token=`), and the live session it names on a host, as the REST API, the
 * user's routes and msw's `withSession` take it.
 */
import type { Org, User } from '../world/schema.ts';
import type { MockOrg } from './mock-org.ts';
import type { Session } from './sessions.ts';
import type { TraceStep } from './trace.ts';

/** The live session of a REST call on a host: Salesforce takes a token on its own org's hosts only. */
export interface LiveSession {
  /** The access token as sent. */
  token: string;
  session: Session;
  user: User;
  org: Org;
}

/** The access token as the REST API reads it: `Authorization: Bearer|OAuth <token>`, or `?oauth_token=`. */
export function accessTokenOf(authorization: string | null, url: URL): string | undefined {
  const m = authorization === null ? null : /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(authorization.trim());
  return m?.[1] ?? url.searchParams.get('oauth_token') ?? undefined;
}

/**
 * The live session behind `token` on `hostName`, or why there is none (for the trace): no token, one
 * the org never issued (or revoked, or ended), one that timed out, or one of another org than the
 * host's. A host that is not the world's (an msw handler's own) takes the token of any org.
 */
export function sessionOnHost(mock: MockOrg, token: string | undefined, hostName: string): LiveSession | string {
  if (token === undefined) return 'no access token';
  const looked = mock.sessions.lookup(token, mock.now());
  if (typeof looked === 'string') return `${looked} access token`;
  const user = mock.index.userById(looked.userId);
  const org = mock.index.orgById(looked.orgId);
  if (user === undefined || org === undefined) return 'access token of a user no longer in the world';
  const host = mock.index.host(hostName);
  if (host !== undefined && host.org !== org.name) return `access token of org ${org.name}, used on ${hostName}`;
  return { token, session: looked, user, org };
}

/** The session check of a REST call's trace: passed with the live session, or failed with why there was none. */
export function sessionStep(live: LiveSession | string): TraceStep {
  return { check: 'session', title: 'Access token is a live session', verdict: typeof live === 'string' ? 'fail' : 'pass', actual: typeof live === 'string' ? live : 'valid access token' };
}
