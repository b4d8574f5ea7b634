/**
 * node's `IncomingMessage` as the core reads a request (`IncomingRequest`), without building a fetch
 * Request, Headers or a web stream for it: the method as node parsed it, the URL from the target and
 * Host (request-url.ts), headers looked up in node's raw pairs with fetch's joining (headers.ts), the
 * body read from node's stream on demand (body.ts), for the token endpoint and the admin API alike.
 */
import type { IncomingMessage } from 'node:http';
import type { IncomingRequest } from '../../core/incoming.ts';
import { readBodyText } from './body.ts';
import { rawHeader } from './headers.ts';
import { requestUrl } from './request-url.ts';

class NodeIncomingRequest implements IncomingRequest {
  constructor(
    private readonly incoming: IncomingMessage,
    readonly method: string,
    readonly url: URL,
  ) {}

  header(name: string): string | null {
    return rawHeader(this.incoming.rawHeaders, name);
  }

  readBody(limit: number): Promise<string | 'too-large'> {
    // A TRACE request has no body (as a fetch Request would have none), but its Content-Length still counts.
    if (this.method === 'TRACE') return Promise.resolve(Number(this.header('content-length') ?? 0) > limit ? 'too-large' : '');
    return readBodyText(this.incoming, this.header('content-length'), limit);
  }
}

/** The request as the core reads it, or undefined when its target and Host name no URL (`MockOrg.unaddressed` answers it). */
export function fromNodeRequest(incoming: IncomingMessage, scheme: 'http' | 'https'): IncomingRequest | undefined {
  const url = requestUrl(scheme, incoming.url ?? '', incoming.headers.host);
  if (url === undefined) return undefined;
  return new NodeIncomingRequest(incoming, incoming.method ?? 'GET', url);
}
