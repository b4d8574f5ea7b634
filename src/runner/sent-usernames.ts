/**
 * The usernames a built request names, read from the request as it will be sent, the way a lenient
 * server might read them: every string value of a `sub` or `prn` key (prn wins over sub at Salesforce)
 * in every base64 segment found in the URL, the header values and the body, URL-decoded or not.
 * Duplicate keys, escaped key names (`"s\u0075b"`), other letter cases and a JWT moved to another
 * parameter are all seen. The real-org target counts failed logins by these names (lower-cased, since
 * Salesforce usernames are case-insensitive), so a scenario that changes who the request names cannot
 * move its failures onto a user the cap does not watch.
 */
import type { BuiltRequest } from '../client/build-request.ts';

const USER_KEYS = new Set(['sub', 'prn']);

/** Reads the JSON string token that starts at `text[start] === '"'`; returns its raw text and where it ends. */
function stringToken(text: string, start: number): { raw: string; end: number } {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return { raw: text.slice(start, Math.min(i + 1, text.length)), end: i + 1 };
}

function unescapeJson(raw: string): string {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : raw.slice(1, -1);
  } catch {
    // A broken escape: the text between the quotes is the closest reading.
    return raw.slice(1, -1);
  }
}

/**
 * Every `"key": "value"` pair whose key is sub or prn, lexed left to right as a JSON parser would
 * (string tokens are read whole, so a quote inside a string never starts a false key), at any depth.
 */
function userClaims(text: string): string[] {
  const out: string[] = [];
  const skipSpace = (i: number) => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i += 1;
    return i;
  };
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') {
      i += 1;
      continue;
    }
    const key = stringToken(text, i);
    i = key.end;
    let j = skipSpace(i);
    if (text[j] !== ':' || !USER_KEYS.has(unescapeJson(key.raw).toLowerCase())) continue;
    j = skipSpace(j + 1);
    if (text[j] !== '"') continue;
    const value = stringToken(text, j);
    out.push(unescapeJson(value.raw));
    i = value.end;
  }
  return out;
}

/** Texts that may carry the assertion: as sent, and URL-decoded (a form body, a query string). */
function carriers(request: BuiltRequest): string[] {
  const texts = [request.url, request.body ?? '', ...Object.values(request.headers)];
  return texts.flatMap((t) => {
    try {
      return [t, decodeURIComponent(t.replace(/\+/g, ' '))];
    } catch {
      return [t];
    }
  });
}

/** The usernames the request names (as spelled), without duplicates by letter case. */
export function sentUsernames(request: BuiltRequest): string[] {
  const found = new Map<string, string>();
  for (const text of carriers(request)) {
    for (const run of text.split(/[^A-Za-z0-9_\-+/=.]+/)) {
      for (const segment of run.split('.')) {
        if (segment.length < 4) continue;
        // Node's base64 decoder reads both alphabets (+/ and -_), with or without padding.
        const decoded = Buffer.from(segment, 'base64').toString('utf8');
        if (!decoded.includes('"')) continue;
        for (const name of userClaims(decoded)) if (!found.has(name.toLowerCase())) found.set(name.toLowerCase(), name);
      }
    }
  }
  return [...found.values()];
}
