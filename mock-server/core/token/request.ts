/**
 * What `decide` is given: the token request as it was read (the body already read, or '' when it
 * was not needed), the world it lands in, the state it may read, and a clock. The world and state
 * are narrow read-only views, so a MockOrg passes itself and a test passes plain objects. Whether
 * the body is read at all is the transport checks' own rule (`readsBody`): a request the token
 * endpoint does not take, a GET or a HEAD leaves it unread, as Salesforce does. The form is read here
 * too, up to the maxFormParameters knob: a flood of parameters costs a scan for `&`, never a parameter
 * list (and a check's account of it) as long as the body.
 */
import type { HostUrls, LogicalHost } from '../../world/hosts.ts';
import type { WorldIndex } from '../../world/world-index.ts';
import { isFormContentType } from '../checks/grant-type.ts';
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

/** The parameters a request's checks read, and whether the form held more than were read. */
export interface Form {
  readonly params: URLSearchParams;
  /** Parameters read (query string and body together). */
  readonly read: number;
  /** More parameters followed the last one read: they were ignored. */
  readonly cut: boolean;
}

// The next character that is not `&`: runs of empty pieces (`&&&&`) are skipped in one native scan.
const NOT_AMPERSAND = /[^&]/g;

/**
 * `text` (a query string or a form body; a leading `?` as URLSearchParams drops it) up to its first
 * `max` parameters, how many those are, and whether more follow. An empty piece between two `&` is
 * no parameter (URLSearchParams skips it, as Tomcat does), so `read` is what URLSearchParams returns
 * for the text kept, and the work is one scan however the text is made.
 */
function firstParameters(text: string, max: number): { text: string; read: number; cut: boolean } {
  let read = 0;
  let first = -1;
  let end = 0;
  NOT_AMPERSAND.lastIndex = text.startsWith('?') ? 1 : 0;
  for (let found = NOT_AMPERSAND.exec(text); found !== null; found = NOT_AMPERSAND.exec(text)) {
    if (read === max) return { text: between(text, first, end), read, cut: true };
    if (first === -1) first = found.index;
    read += 1;
    const amp = text.indexOf('&', found.index);
    end = amp === -1 ? text.length : amp;
    if (amp === -1) break;
    NOT_AMPERSAND.lastIndex = amp;
  }
  return { text: between(text, first, end), read, cut: false };
}

/**
 * The text from the first parameter read to the end of the last, so URLSearchParams parses no run of
 * `&` around them; a `?` that now leads keeps an `&` before it, or URLSearchParams would drop it.
 */
function between(text: string, first: number, end: number): string {
  if (first === -1) return '';
  if (first === 0 && end === text.length) return text;
  const kept = text.slice(first, end);
  return first > 0 && kept.startsWith('?') ? `&${kept}` : kept;
}

/** Form parameters as Salesforce reads them (Java servlet semantics, INF): the query string first, then a form body's, the first `max` of them; the first value wins. */
export function readForm(url: URL, body: string, contentType: string | null, max: number): Form {
  const isForm = isFormContentType(contentType);
  // The usual request has no query string: the body's parameters are then the whole list.
  if (url.search === '') {
    if (!isForm) return { params: new URLSearchParams(''), read: 0, cut: false };
    const form = firstParameters(body, max);
    return { params: new URLSearchParams(form.text), read: form.read, cut: form.cut };
  }
  const query = firstParameters(url.search, max);
  const params = new URLSearchParams(query.text);
  if (!isForm || query.cut) return { params, read: query.read, cut: query.cut };
  const form = firstParameters(body, max - query.read);
  for (const [k, v] of new URLSearchParams(form.text)) params.append(k, v);
  return { params, read: query.read + form.read, cut: form.cut };
}
