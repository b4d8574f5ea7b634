/**
 * What `decide` is given: the token request as it was read (the body already read, or '' when it
 * was not needed), the world it lands in, the state it may read, and a clock. The world and state
 * are narrow read-only views, so a MockOrg passes itself and a test passes plain objects. Whether
 * the body is read at all is the transport checks' own rule (`readsBody`): a request the token
 * endpoint does not take, a GET or a HEAD leaves it unread, as Salesforce does.
 */
import type { HostUrls, LogicalHost } from '../../world/hosts.ts';
import type { WorldIndex } from '../../world/world-index.ts';
import { isTokenPath, takesTokenRequests } from '../checks/transport.ts';
import type { Random } from '../clock.ts';
import type { Forced } from '../forced.ts';
import type { Knobs } from '../knobs.ts';

/** Where a request landed: the logical host and the path under a site's prefix. */
export interface Route {
  readonly host: LogicalHost;
  /** The path under a site's prefix (`/customers`), or the whole path. */
  readonly path: string;
  readonly sitePrefix: string | undefined;
}

/** A token request with no I/O left: method, URL, headers, the body as read, and where it landed. */
export interface TokenRequest extends Route {
  /** Upper case, as sent. */
  readonly method: string;
  readonly url: URL;
  /** Header look-up by name, case-insensitive; null when absent. */
  readonly header: (name: string) => string | null;
  /** The body decoded as UTF-8 ('' when it was not read), or 'too-large' past the knob's limit. */
  readonly body: string | 'too-large';
  readonly secure: boolean;
  readonly clientIp: string;
  /** How base URLs look to the client. */
  readonly urls: HostUrls;
}

/** The world a request is decided in. */
export interface TokenWorld {
  readonly index: WorldIndex;
  readonly knobs: Knobs;
}

/** The state a decision reads (and `commit` later changes). */
export interface TokenState {
  /** Outcomes forced by the admin API; the head applies to this request. */
  readonly forced: { peek(): Forced | undefined };
  /** Successful logins of a user within the hour before `now`, for the rate limit. */
  readonly loginHistory: { recentSuccesses(userId: string, now: number): number };
  /** Draws access tokens and cookies. */
  readonly random: Random;
}

/** Whether the token endpoint reads this request's body: only a token request that is not a GET or HEAD. */
export function readsBody(method: string, route: Route): boolean {
  return method !== 'GET' && method !== 'HEAD' && takesTokenRequests(route.host) && isTokenPath(route.path);
}
