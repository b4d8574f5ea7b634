/**
 * Wire bytes, as Salesforce sends them. OAuth errors: compact JSON with `error` first and no
 * trailing newline, the cache and security headers seen on real responses, a BrowserId cookie.
 * The `format` parameter / `Accept` header may ask for urlencoded or XML instead. Nothing here
 * explains anything: explanations travel on the trace, never in these bodies.
 */
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

function browserCookie(browserId: string, now: Date): string {
  const expires = new Date(now.getTime() + 365 * 86_400_000).toUTCString().replace(/ GMT$/, ' GMT');
  return `BrowserId=${browserId}; Path=/; Expires=${expires}; Max-Age=31536000; secure; SameSite=None`;
}

function baseHeaders(contentType: string, options: WireOptions): Headers {
  const headers = new Headers();
  headers.set('Date', options.now.toUTCString());
  headers.append('Set-Cookie', browserCookie(options.browserId, options.now));
  for (const [k, v] of COMMON_HEADERS) headers.set(k, v);
  headers.set('Content-Type', contentType);
  return headers;
}

/** A token-endpoint answer (error or success) with Salesforce's headers. */
export function oauthResponse(status: number, fields: readonly [string, string][], options: WireOptions): Response {
  const format = options.format ?? 'json';
  return new Response(serialiseFields(fields, format), { status, headers: baseHeaders(CONTENT_TYPES[format], options) });
}

/** REST API JSON (`/services/data`, identity, limits). */
export function jsonResponse(status: number, body: unknown, options: WireOptions): Response {
  return new Response(JSON.stringify(body), { status, headers: baseHeaders('application/json;charset=UTF-8', options) });
}

/** Plain text answers such as the identity service's `Bad_OAuth_Token`. */
export function textResponse(status: number, body: string, options: WireOptions): Response {
  return new Response(body, { status, headers: baseHeaders('text/plain;charset=UTF-8', options) });
}

const NOT_FOUND_PAGE =
  '<!DOCTYPE html><html><head><meta charset="UTF-8"><title>URL No Longer Exists</title></head>' +
  '<body><h1>URL No Longer Exists</h1><p>You have attempted to reach a URL that no longer exists on salesforce.com.</p>' +
  '<p>You may have reached this page after clicking on a direct link into the application. This direct link might be:</p>' +
  '<ul><li>A bookmark to a particular page, such as a report or view</li><li>A link to a particular page in the Custom Links section of your Home Tab, or a Custom Link</li>' +
  '<li>A link to a particular page in your email templates</li></ul>' +
  '<p>If you reached this page through a bookmark, you are probably trying to access something that has moved. Please update your bookmark.</p></body></html>';

/** The HTML page an unknown path gets (not JSON: clients that parse JSON fail on it, as on real orgs). */
export function notFoundPage(options: WireOptions): Response {
  return new Response(NOT_FOUND_PAGE, { status: 404, headers: baseHeaders('text/html;charset=UTF-8', options) });
}

/** 413 for a body over the limit; the connection is closed as the rest is not read. */
export function payloadTooLarge(options: WireOptions): Response {
  const headers = baseHeaders('text/html;charset=UTF-8', options);
  headers.set('Connection', 'close');
  return new Response('<html><head><title>413 Request Entity Too Large</title></head><body><h1>Request Entity Too Large</h1></body></html>', { status: 413, headers });
}

/** The redirect a `*.lightning.force.com` host answers with. */
export function redirect(location: string, options: WireOptions): Response {
  const headers = baseHeaders('text/html;charset=UTF-8', options);
  headers.set('Location', location);
  return new Response('', { status: 302, headers });
}
