/**
 * Answers written to node's `ServerResponse`, byte for byte as @hono/node-server (which the adapter
 * used to use) wrote the equivalent fetch Response: header names in lower case and sorted as
 * `Headers` iterates them, values trimmed as `Headers` stores them, Set-Cookie lines after the others,
 * a default `content-type: text/plain; charset=UTF-8` on a body without one, then content-length
 * (node adds Date, Connection and Keep-Alive after them). `writeWire` writes the core's own answers
 * without building a Response; `writeResponse` writes a fetch Response (the admin API's);
 * `writeBare` answers a status with no headers or body (node sends it chunked, as before).
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { WireResponse } from '../../core/responses.ts';
import { trimmed } from './headers.ts';

const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

/** The core's answer, written without building a Response or a header object. */
export function writeWire(outgoing: ServerResponse, wire: WireResponse): void {
  // Lower-case names with trimmed values; a later header replaces an earlier one of its name, as `Headers.set` does.
  const named: [string, string][] = [];
  const cookies: string[] = [];
  for (const [name, value] of wire.headers) {
    const lower = name.toLowerCase();
    // Content-Length is written last, from the body itself (the core sets none).
    if (lower === 'content-length') continue;
    const v = trimmed(value);
    if (lower === 'set-cookie') {
      cookies.push(v);
      continue;
    }
    const same = named.find((h) => h[0] === lower);
    if (same === undefined) named.push([lower, v]);
    else same[1] = v;
  }
  // Names are unique here, so no two compare equal.
  named.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  // node writes a flat [name, value, …] list in its order.
  const flat: (string | number)[] = [];
  for (const [name, value] of named) flat.push(name, value);
  for (const cookie of cookies) flat.push('set-cookie', cookie);
  flat.push('content-length', Buffer.byteLength(wire.body));
  outgoing.writeHead(wire.status, flat);
  outgoing.end(wire.body);
}

/** A fetch Response's headers as node's header record, in the order above. */
function outgoingHeaders(headers: Headers, hasBody: boolean): OutgoingHttpHeaders {
  const record: OutgoingHttpHeaders = {};
  const cookies: string[] = [];
  for (const [name, value] of headers) {
    if (name === 'set-cookie') cookies.push(value);
    else record[name] = value;
  }
  if (cookies.length > 0) record['set-cookie'] = cookies;
  if (hasBody) record['content-type'] ??= DEFAULT_CONTENT_TYPE;
  return record;
}

export async function writeResponse(outgoing: ServerResponse, response: Response): Promise<void> {
  const record = outgoingHeaders(response.headers, response.body !== null);
  if (response.body === null) {
    outgoing.writeHead(response.status, record);
    outgoing.end();
    return;
  }
  const body = new Uint8Array(await response.arrayBuffer());
  if (!('content-length' in record) && record['transfer-encoding'] !== 'chunked') record['content-length'] = body.byteLength;
  outgoing.writeHead(response.status, record);
  outgoing.end(body);
}

export function writeBare(outgoing: ServerResponse, status: number): void {
  outgoing.writeHead(status, {});
  outgoing.end();
}
