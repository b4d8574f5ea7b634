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

const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

export function writeWire(outgoing: ServerResponse, wire: WireResponse): void {
  const byName = new Map<string, string>();
  const cookies: string[] = [];
  for (const [name, value] of wire.headers) {
    const lower = name.toLowerCase();
    const v = value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    if (lower === 'set-cookie') cookies.push(v);
    else byName.set(lower, v);
  }
  const record: Record<string, string | string[] | number> = {};
  for (const name of [...byName.keys()].sort()) record[name] = byName.get(name) ?? '';
  if (cookies.length > 0) record['set-cookie'] = cookies;
  record['content-length'] = Buffer.byteLength(wire.body);
  outgoing.writeHead(wire.status, record);
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
