/**
 * Test support: one way to send a raw request to the mock over each of its transports (in-process
 * msw, HTTP and HTTPS on 127.0.0.1:0), returning status, headers and body bytes, so the same table
 * of cases runs through all of them.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setupServer } from 'msw/node';
import { salesforceHandlers } from '../adapters/msw.ts';
import { type StartedMockOrg, type StartMockOrgOptions, startMockOrg } from '../adapters/node-server.ts';
import type { MockOrg } from '../core/mock-org.ts';

export interface WireRequest {
  host: string;
  /** Path with query string; default /services/oauth2/token. */
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Send the body in two chunks with Transfer-Encoding: chunked (HTTP transports only). */
  chunked?: boolean;
  scheme?: 'http' | 'https';
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface Transport {
  name: 'msw' | 'http' | 'https';
  org: MockOrg;
  /** Base URL of a logical host as a client of this transport sees it. */
  baseUrl(host: string): string;
  send(req: WireRequest): Promise<RawResponse>;
  close(): Promise<void>;
}

export function mswTransport(org: MockOrg): Transport {
  const server = setupServer(...salesforceHandlers(org));
  server.listen({ onUnhandledRequest: 'error' });
  return {
    name: 'msw',
    org,
    baseUrl: (host) => `https://${host}`,
    async send(req) {
      const method = req.method ?? 'POST';
      const init: RequestInit = { method, headers: req.headers ?? {}, redirect: 'manual' };
      // A Uint8Array body keeps fetch from adding a Content-Type of its own.
      if (req.body !== undefined && method !== 'GET' && method !== 'HEAD') init.body = new TextEncoder().encode(req.body);
      const res = await fetch(`${req.scheme ?? 'https'}://${req.host}${req.path ?? '/services/oauth2/token'}`, init);
      return { status: res.status, headers: res.headers, body: await res.text() };
    },
    close: async () => server.close(),
  };
}

/** A request as the node transports send it: exact body bytes, optionally chunked. */
export interface NodeRequest {
  host?: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Transfer-Encoding: chunked in 64 KiB writes, no Content-Length. */
  chunked?: boolean;
}

/** Sends one request to a started mock over node:http(s), trusting its CA; status, headers and body back. */
export function sendOverNode(started: StartedMockOrg, tls: boolean, req: NodeRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${started.hosts[req.host ?? ''] ?? started.login}${req.path ?? '/services/oauth2/token'}`);
    const headers: Record<string, string> = { ...req.headers };
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    if (body !== undefined && req.chunked !== true) headers['Content-Length'] = String(body.length);
    const make = tls ? httpsRequest : httpRequest;
    let answered = false;
    const r = make(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: req.method ?? 'POST', headers, agent: false, ...(tls ? { ca: started.caPem ?? '' } : {}) },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) h.append(k, x);
            else if (v !== undefined) h.set(k, v);
          }
          resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    // A server that answers 413 early may close while the client is still writing: only an error
    // before any answer counts.
    r.on('error', (e) => {
      if (!answered) reject(e);
    });
    if (body !== undefined && req.chunked === true) {
      for (let i = 0; i < body.length; i += 64 * 1024) r.write(body.subarray(i, i + 64 * 1024));
    } else if (body !== undefined) r.write(body);
    r.end();
  });
}

export async function serverTransport(tls: boolean, options: StartMockOrgOptions): Promise<Transport> {
  const started = await startMockOrg({ ...options, tls });
  return {
    name: tls ? 'https' : 'http',
    org: started.org,
    baseUrl: (host) => started.hosts[host] ?? '',
    send: (req) => sendOverNode(started, tls, req),
    close: () => started.close(),
  };
}
