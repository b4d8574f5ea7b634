/**
 * The node:http(s) request listener of one logical host: it turns node's request into the core's
 * `IncomingRequest`, picks the host (a Host header that names a host of the world wins over the
 * port the request reached), asks `MockOrg.answer` and writes what comes back: the core's wire
 * answer, the admin API's fetch Response, or nothing when the connection is to be dropped. A request
 * whose target and Host name no URL (no Host, `Host: a%b`) goes to `MockOrg.unaddressed`, which
 * answers the front's 400 page and journals it, with only its method, cut target and Content-Type;
 * a bug that throws gets a bare 500, and never takes the process down.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockOrg, ServeContext } from '../../core/mock-org.ts';
import type { HostUrls } from '../../world/hosts.ts';
import { rawHeader } from './headers.ts';
import { fromNodeRequest } from './incoming.ts';
import { TRACE_FIELD_CHARS, traceTarget } from './request-url.ts';
import { writeBare, writeResponse, writeWire } from './write.ts';

export interface ListenerOptions {
  org: MockOrg;
  /** The logical host this listener serves when the Host header names none of the world's. */
  ownHost: string;
  secure: boolean;
  urls: HostUrls;
}

async function serve(o: ListenerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = fromNodeRequest(req, o.secure ? 'https' : 'http');
  const clientIp = req.socket.remoteAddress ?? '127.0.0.1';
  if (request === undefined) {
    const contentType = rawHeader(req.rawHeaders, 'content-type')?.slice(0, TRACE_FIELD_CHARS) ?? null;
    const facts = { method: req.method ?? 'GET', path: traceTarget(req.url ?? ''), contentType };
    writeWire(res, o.org.unaddressed(facts, { host: o.ownHost, secure: o.secure, clientIp, urls: o.urls }));
    return;
  }
  const named = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const host = o.org.index.host(named) !== undefined ? named : o.ownHost;
  const sc: ServeContext = { host, secure: o.secure, clientIp, urls: o.urls };
  const answer = await o.org.answer(request, sc);
  if (answer === 'dropped') req.socket.destroy();
  else if (answer instanceof Response) await writeResponse(res, answer);
  else writeWire(res, answer);
}

export function nodeListener(o: ListenerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(o, req, res).catch(() => {
      try {
        if (res.headersSent) res.destroy();
        else writeBare(res, 500);
      } catch {
        res.destroy();
      }
    });
  };
}
