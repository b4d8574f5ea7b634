/**
 * A request as the core reads it: method, URL, headers, and a body read on demand within a limit.
 * The core's edge is this small shape rather than a fetch `Request`, so the node adapter can hand
 * over what node already parsed without building a web Request per call; msw's fetch Requests are
 * wrapped by `fromFetchRequest`. The admin API reads the same shape, its body within its own cap.
 */
import { type BodySource, readBodyLimited } from './body.ts';

export interface IncomingRequest {
  /** Upper case, as sent. */
  readonly method: string;
  /** The URL the client addressed (scheme and host as the adapter sees them). */
  readonly url: URL;
  /** Header look-up by name, case-insensitive; null when absent. Repeated headers are joined with ", ". */
  header(name: string): string | null;
  /** The body decoded as UTF-8 (bad bytes replaced), or 'too-large' past `limit` bytes; see body.ts. */
  readBody(limit: number): Promise<string | 'too-large'>;
}

/** A fetch Request (msw, tests) as the core reads it. */
export function fromFetchRequest(request: Request, bodySource?: BodySource): IncomingRequest {
  return {
    method: request.method.toUpperCase(),
    url: new URL(request.url),
    header: (name) => request.headers.get(name),
    readBody: (limit) => readBodyLimited(request, limit, bodySource),
  };
}
