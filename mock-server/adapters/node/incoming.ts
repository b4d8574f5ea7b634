/**
 * node's `IncomingMessage` as the core reads a request (`IncomingRequest`), without building a fetch
 * Request, Headers or a web stream for it: the method as node parsed it, the URL from the target and
 * Host (request-url.ts), headers looked up in node's raw pairs with fetch's joining (headers.ts), the
 * body read from node's stream on demand (body.ts). Only the admin API asks for a fetch Request;
 * `toFetchRequest` builds one then, with the same method, URL, headers and the body from the stream.
 */
import type { IncomingMessage } from 'node:http';
import type { IncomingRequest } from '../../core/incoming.ts';
import { readBodyText, readChunks } from './body.ts';
import { fetchHeaders, rawHeader } from './headers.ts';
import { requestUrl } from './request-url.ts';

class NodeIncomingRequest implements IncomingRequest {
  private fetchRequest: Request | undefined;

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

  toFetchRequest(): Request {
    this.fetchRequest ??= toFetchRequest(this.incoming, this.method, this.url);
    return this.fetchRequest;
  }
}

function toFetchRequest(incoming: IncomingMessage, method: string, url: URL): Request {
  // fetch refuses a URL with credentials (an absolute-form target may carry them) and the TRACE method.
  const clean = new URL(url.href);
  clean.username = '';
  clean.password = '';
  const init: RequestInit & { duplex?: 'half' } = { method: method === 'TRACE' ? 'GET' : method, headers: fetchHeaders(incoming.rawHeaders) };
  if (method !== 'GET' && method !== 'HEAD' && method !== 'TRACE') {
    // Pulled only when the admin API reads the body; a body it never reads, node discards.
    init.body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const chunks = await readChunks(incoming, Number.POSITIVE_INFINITY);
        if (chunks !== 'too-large') for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    init.duplex = 'half';
  }
  const request = new Request(clean, init);
  if (method === 'TRACE') Object.defineProperty(request, 'method', { value: 'TRACE' });
  return request;
}

/** The request as the core reads it, or undefined when its target and Host name no URL (answer 400). */
export function fromNodeRequest(incoming: IncomingMessage, scheme: 'http' | 'https'): IncomingRequest | undefined {
  const url = requestUrl(scheme, incoming.url ?? '', incoming.headers.host);
  if (url === undefined) return undefined;
  return new NodeIncomingRequest(incoming, incoming.method ?? 'GET', url);
}
