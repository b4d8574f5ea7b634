/**
 * Request headers as fetch `Headers` would give them, read from node's `rawHeaders` (name, value,
 * name, value, … as they arrived). node's own `req.headers` is not the same thing: it keeps only the
 * first of a repeated Content-Type, Authorization, Host, User-Agent (and a dozen more) and leaves
 * values untrimmed, while `Headers.get` joins every occurrence with ", " (Cookie with "; ") and trims
 * each value of HTTP whitespace. The core reads three or four headers per request, so a look-up scans
 * the few raw pairs rather than building a map.
 */

const isHttpWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/** The value as `Headers` stores it: leading and trailing HTTP whitespace removed. */
export function trimmed(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start += 1;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** What `Headers.get(name)` returns for these raw headers: every value of the name joined, or null. */
export function rawHeader(raw: readonly string[], name: string): string | null {
  const lower = name.toLowerCase();
  const separator = lower === 'cookie' ? '; ' : ', ';
  let value: string | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const rawName = raw[i] ?? '';
    if (rawName.length !== lower.length || rawName.toLowerCase() !== lower) continue;
    const v = trimmed(raw[i + 1] ?? '');
    value = value === null ? v : `${value}${separator}${v}`;
  }
  return value;
}
