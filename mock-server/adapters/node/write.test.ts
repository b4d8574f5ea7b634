/**
 * The bytes `writeResponse` and `writeBare` put on the wire, pinned: the admin API's answers kept
 * the header order, casing, default content-type and content-length they had when
 * @hono/node-server wrote them (each row was compared with it, GET and HEAD, HTTP/1.1 and 1.0).
 * node's own Date is normalised; its Connection and Transfer-Encoding lines are part of the pin.
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBare, writeResponse } from './write.ts';

const RESPONSES: Record<string, () => Response> = {
  adminJson: () => new Response('{\n  "a": 1\n}', { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } }),
  noContentType: () => new Response('h\u00e9llo', { status: 404 }),
  cookies: () =>
    new Response('x', {
      headers: [
        ['Set-Cookie', 'a=1'],
        ['X-B', ' b '],
        ['Set-Cookie', 'b=2'],
        ['Content-Type', 'text/html'],
      ],
    }),
  ownLength: () => new Response('abc', { headers: { 'Content-Length': '3', 'Content-Type': 'text/x' } }),
  emptyBody: () => new Response('', { headers: { 'content-type': 'application/json' } }),
  noBody: () => new Response(null, { status: 404, headers: { 'X-A': '1' } }),
  noContent: () => new Response(null, { status: 204 }),
  bytes: () => new Response(new Uint8Array([1, 2, 255]), { status: 201 }),
};

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    const make = RESPONSES[(req.url ?? '').slice(1)];
    if (make === undefined) writeBare(res, 400);
    else void writeResponse(res, make());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

function raw(method: string, path: string, version = '1.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${method} ${path} HTTP/${version}\r\nHost: x\r\nConnection: close\r\n\r\n`));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () =>
      resolve(
        Buffer.concat(chunks)
          .toString('latin1')
          .replace(/\r\nDate: [^\r]*/, '\r\nDate: X'),
      ),
    );
  });
}

const TAIL = 'Date: X\r\nConnection: close\r\n\r\n';

describe('writeResponse', () => {
  it.each([
    ['adminJson', `HTTP/1.1 200 OK\r\ncache-control: no-store\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: 12\r\n${TAIL}{\n  "a": 1\n}`],
    ['noContentType', `HTTP/1.1 404 Not Found\r\ncontent-type: text/plain;charset=UTF-8\r\ncontent-length: 6\r\n${TAIL}h\u00c3\u00a9llo`],
    ['cookies', `HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nx-b: b\r\nset-cookie: a=1\r\nset-cookie: b=2\r\ncontent-length: 1\r\n${TAIL}x`],
    ['ownLength', `HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-type: text/x\r\n${TAIL}abc`],
    ['emptyBody', `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 0\r\n${TAIL}`],
    ['noBody', 'HTTP/1.1 404 Not Found\r\nx-a: 1\r\nDate: X\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['noContent', `HTTP/1.1 204 No Content\r\n${TAIL}`],
    ['bytes', `HTTP/1.1 201 Created\r\ncontent-type: text/plain; charset=UTF-8\r\ncontent-length: 3\r\n${TAIL}\u0001\u0002\u00ff`],
  ])('%s', async (name, expected) => {
    expect(await raw('GET', `/${name}`)).toBe(expected);
  });

  it('answers HEAD with the same head and no body', async () => {
    expect(await raw('HEAD', '/adminJson')).toBe(`HTTP/1.1 200 OK\r\ncache-control: no-store\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: 12\r\n${TAIL}`);
  });
});

describe('writeBare', () => {
  it.each([
    ['1.1', 'HTTP/1.1 400 Bad Request\r\nDate: X\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['1.0', 'HTTP/1.1 400 Bad Request\r\nDate: X\r\nConnection: close\r\n\r\n'],
  ])('HTTP/%s', async (version, expected) => {
    expect(await raw('GET', '/no-such-response', version)).toBe(expected);
  });
});
