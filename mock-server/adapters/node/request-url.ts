/**
 * The URL a node request addressed, from its request target and Host header, or undefined when the
 * pair names no URL (the core answers it as the front would, `MockOrg.unaddressed`, with the target
 * cut by `traceTarget` for its trace). The rules
 * are the ones the adapter has always applied (those of @hono/node-server, which it used to parse
 * requests): an absolute-form target (`http://…`, `https://…`) is the URL itself; otherwise the
 * scheme of the socket, the Host header and the target are joined. A missing Host, a target that
 * does not start with `/`, a backslash in the path, a Host the URL parser rejects or reads as
 * another host (`evil@login.salesforce.com`, `a/b`) are refused. Common requests (a plain host and
 * a target of plain characters) take a fast path; the others go through the URL parser, which
 * resolves dot segments and percent-encodes what needs it, so the core always gets a parsed URL.
 */

/** Targets of these characters only, without dot segments, are already what the URL parser would give. */
const PLAIN_TARGET = /^\/[!#$&-;=?-[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;
/** A lower-case host name with, optionally, a four- or five-digit port. */
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/** A backslash before the query: the URL parser would read it as a slash, so the path is ambiguous. */
function backslashInPath(target: string): boolean {
  const backslash = target.indexOf('\\');
  if (backslash === -1) return false;
  const query = target.indexOf('?');
  return query === -1 || backslash < query;
}

function parse(href: string): URL | undefined {
  try {
    return new URL(href);
  } catch {
    return undefined;
  }
}

export function requestUrl(scheme: 'http' | 'https', target: string, host: string | undefined): URL | undefined {
  if (target[0] !== '/' && (target.startsWith('http://') || target.startsWith('https://'))) {
    return backslashInPath(target) ? undefined : parse(target);
  }
  if (host === undefined || host === '') return undefined;
  const href = `${scheme}://${host}${target}`;
  if (!PLAIN_HOST.test(host)) {
    if (backslashInPath(target)) return undefined;
    const url = parse(href);
    if (url === undefined) return undefined;
    // The parser may read part of the Host as user info, path or port: then it named another host.
    const hostname = (host.includes(':') ? host.replace(/:\d+$/, '') : host).toLowerCase();
    if (url.hostname.length !== host.length && url.hostname !== hostname) return undefined;
    return url;
  }
  if (target.length === 0) return parse(`${href}/`);
  if (target.charCodeAt(0) !== 0x2f) return undefined;
  if ((!PLAIN_TARGET.test(target) || DOT_SEGMENT.test(target)) && backslashInPath(target)) return undefined;
  return parse(href);
}

/** The most of a target (or Content-Type) of a request that named no URL a trace keeps (node's head limit is 16 KiB). */
export const TRACE_FIELD_CHARS = 512;

/**
 * A target that named no URL as its trace keeps it: without query or fragment (a GET may carry an
 * assertion there), without the user info of an absolute-form target (`http://user:password@…`),
 * and at most TRACE_FIELD_CHARS long.
 */
export function traceTarget(target: string): string {
  const query = target.search(/[?#]/);
  const path = query === -1 ? target : target.slice(0, query);
  // Dropped before the cut, so a cut can never leave a password without its '@'.
  const safe = path.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/]*@/, '$1');
  return safe.slice(0, TRACE_FIELD_CHARS);
}
