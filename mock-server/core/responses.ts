/**
 * Wire bytes, as Salesforce sends them. OAuth errors: compact JSON with `error` first and no
 * trailing newline, the cache and security headers seen on real responses, a BrowserId cookie.
 * The `format` parameter / `Accept` header may ask for urlencoded or XML instead. Nothing here
 * explains anything: explanations travel on the trace, never in these bodies.
 */
import { UNADDRESSED_REQUEST } from './outcomes.ts';

const COMMON_HEADERS: readonly [string, string][] = [
  ['Strict-Transport-Security', 'max-age=63072000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-XSS-Protection', '1; mode=block'],
  ['Cache-Control', 'no-cache,must-revalidate,max-age=0,no-store,private'],
  ['Expires', 'Thu, 01 Jan 1970 00:00:00 GMT'],
];

export type ResponseFormat = 'json' | 'urlencoded' | 'xml';

const CONTENT_TYPES: Record<ResponseFormat, string> = {
  json: 'application/json;charset=UTF-8',
  urlencoded: 'application/x-www-form-urlencoded;charset=UTF-8',
  xml: 'application/xml;charset=UTF-8',
};

/**
 * The response format a token request asks for: the `format` parameter wins over `Accept`;
 * anything unknown is JSON, Salesforce's default.
 */
export function negotiateFormat(format: string | null, accept: string | null): ResponseFormat {
  const f = format?.toLowerCase();
  if (f === 'urlencoded' || f === 'xml' || f === 'json') return f;
  const a = accept?.toLowerCase() ?? '';
  if (a.includes('application/json') || a.includes('*/*') || a === '') return 'json';
  if (a.includes('application/x-www-form-urlencoded')) return 'urlencoded';
  if (a.includes('application/xml') || a.includes('text/xml')) return 'xml';
  return 'json';
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Serialises an ordered map of fields in the chosen format. */
export function serialiseFields(fields: readonly [string, string][], format: ResponseFormat): string {
  switch (format) {
    case 'json':
      return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
    case 'urlencoded':
      return new URLSearchParams(fields.map(([k, v]) => [k, v])).toString();
    case 'xml':
      return `<?xml version="1.0" encoding="UTF-8"?><OAuth>${fields.map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('')}</OAuth>`;
  }
}

export interface WireOptions {
  format?: ResponseFormat;
  /** Value of the BrowserId cookie; a new one per response on the real service. */
  browserId: string;
  now: Date;
}

const BROWSER_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new BrowserId cookie value: 22 letters and digits, drawn from the org's random source. */
export function newBrowserId(random: { string(length: number, alphabet: string): string }): string {
  return random.string(22, BROWSER_ID_ALPHABET);
}

/** The wire options of one answer at `now`: a new BrowserId, as the real service sets one per response. */
export function wireOptions(random: { string(length: number, alphabet: string): string }, now: number): WireOptions {
  return { browserId: newBrowserId(random), now: new Date(now) };
}

/**
 * An answer as the mock decides it, before any HTTP library sees it: the status, the headers in the
 * order they are set (a Set-Cookie line is added, any other name replaces an earlier one, as with
 * `Headers.set`/`append`) and the body. `toResponse` makes a fetch Response of it (msw, tests); the
 * node adapter writes it to the socket directly, byte for byte what that Response would give.
 */
export interface WireResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/** `Headers.set`: replaces an earlier header of that name (any letter case), or adds it. */
export function setHeader(response: WireResponse, name: string, value: string): void {
  const lower = name.toLowerCase();
  const i = response.headers.findIndex(([k]) => k.toLowerCase() === lower);
  if (i >= 0) response.headers[i] = [name, value];
  else response.headers.push([name, value]);
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function toResponse(wire: WireResponse): Response {
  const headers = new Headers();
  for (const [k, v] of wire.headers) {
    if (k.toLowerCase() === 'set-cookie') headers.append(k, v);
    else headers.set(k, v);
  }
  // A status that has no body (204, 205, 304) takes none: the fetch Response refuses even an empty one.
  return new Response(NULL_BODY_STATUSES.has(wire.status) ? null : wire.body, { status: wire.status, headers });
}

function browserCookie(browserId: string, now: Date): string {
  const expires = new Date(now.getTime() + 365 * 86_400_000).toUTCString();
  return `BrowserId=${browserId}; Path=/; Expires=${expires}; Max-Age=31536000; secure; SameSite=None`;
}

function baseHeaders(contentType: string, options: WireOptions): [string, string][] {
  return [['Date', options.now.toUTCString()], ['Set-Cookie', browserCookie(options.browserId, options.now)], ...COMMON_HEADERS, ['Content-Type', contentType]];
}

/** A token-endpoint answer (error or success) with Salesforce's headers. */
export function oauthResponse(status: number, fields: readonly [string, string][], options: WireOptions): WireResponse {
  const format = options.format ?? 'json';
  return { status, headers: baseHeaders(CONTENT_TYPES[format], options), body: serialiseFields(fields, format) };
}

/** An OAuth error answer: `{"error":…,"error_description":…}` in the negotiated format. */
export function oauthError(status: number, error: string, description: string, options: WireOptions): WireResponse {
  return oauthResponse(
    status,
    [
      ['error', error],
      ['error_description', description],
    ],
    options,
  );
}

/** REST API JSON (`/services/data`, identity, limits). */
export function jsonResponse(status: number, body: unknown, options: WireOptions): WireResponse {
  return { status, headers: baseHeaders('application/json;charset=UTF-8', options), body: JSON.stringify(body) };
}

/** An HTML page of the mock's own (the authorize flow's login and Allow pages). */
export function htmlResponse(status: number, body: string, options: WireOptions): WireResponse {
  return { status, headers: baseHeaders('text/html;charset=UTF-8', options), body };
}

/** Plain text answers such as the identity service's `Bad_OAuth_Token`. */
export function textResponse(status: number, body: string, options: WireOptions): WireResponse {
  return { status, headers: baseHeaders('text/plain;charset=UTF-8', options), body };
}

const NOT_FOUND_PAGE =
  '<!DOCTYPE html><html><head><meta charset="UTF-8"><title>URL No Longer Exists</title></head>' +
  '<body><h1>URL No Longer Exists</h1><p>You have attempted to reach a URL that no longer exists on salesforce.com.</p>' +
  '<p>You may have reached this page after clicking on a direct link into the application. This direct link might be:</p>' +
  '<ul><li>A bookmark to a particular page, such as a report or view</li><li>A link to a particular page in the Custom Links section of your Home Tab, or a Custom Link</li>' +
  '<li>A link to a particular page in your email templates</li></ul>' +
  '<p>If you reached this page through a bookmark, you are probably trying to access something that has moved. Please update your bookmark.</p></body></html>';

/** The HTML page an unknown path gets (not JSON: clients that parse JSON fail on it, as on real orgs). */
export function notFoundPage(options: WireOptions): WireResponse {
  return { status: 404, headers: baseHeaders('text/html;charset=UTF-8', options), body: NOT_FOUND_PAGE };
}

/** 413 for a body over the limit; the connection is closed as the rest is not read. */
export function payloadTooLarge(options: WireOptions): WireResponse {
  const response: WireResponse = {
    status: 413,
    headers: baseHeaders('text/html;charset=UTF-8', options),
    body: '<html><head><title>413 Request Entity Too Large</title></head><body><h1>Request Entity Too Large</h1></body></html>',
  };
  setHeader(response, 'Connection', 'close');
  return response;
}

/**
 * The front's answer to a request that names no URL (outcomes.ts, UNADDRESSED_REQUEST: INF): a plain
 * HTML 400 without Salesforce's application headers or cookie, as no application saw the request,
 * and the connection closed.
 */
export function badRequestPage(now: Date): WireResponse {
  return {
    status: UNADDRESSED_REQUEST.status,
    headers: [
      ['Date', now.toUTCString()],
      ['Content-Type', 'text/html;charset=UTF-8'],
      ['Connection', 'close'],
    ],
    body: '<html><head><title>400 Bad Request</title></head><body><h1>Bad Request</h1></body></html>',
  };
}

/** The redirect a `*.lightning.force.com` host answers with. */
export function redirect(location: string, options: WireOptions): WireResponse {
  const response: WireResponse = { status: 302, headers: baseHeaders('text/html;charset=UTF-8', options), body: '' };
  setHeader(response, 'Location', location);
  return response;
}
