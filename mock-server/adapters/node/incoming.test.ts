/**
 * A node request as the core reads it, over a real node:http server on 127.0.0.1 fed raw bytes: the
 * body rules of core/body.ts (a limit, a declared Content-Length over it refused before the body is
 * sent, a body that grows past it, a client that hangs up mid-body, UTF-8 with bad bytes replaced,
 * TRACE without a body) and the fetch Request the admin API gets (method, URL, headers, body).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingRequest } from '../../core/incoming.ts';
import { fromNodeRequest } from './incoming.ts';

type Handler = (request: IncomingRequest, incoming: IncomingMessage) => Promise<unknown>;

let server: Server;
let port = 0;
let handler: Handler = async () => null;
/** What the handler of the latest request returned (or threw), whether or not the client stayed to hear it. */
let seen: Promise<unknown> = Promise.resolve();

beforeAll(async () => {
  server = createServer((req, res) => {
    const request = fromNodeRequest(req, 'http');
    if (request === undefined) throw new Error('the test sent a request without a URL');
    const result = handler(request, req);
    seen = result.catch((error: unknown) => ({ threw: String(error) }));
    void seen.then((value) => {
      if (!res.destroyed) res.end(JSON.stringify(value ?? null));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** Opens a connection, writes `head` (latin-1) and resolves once the server has answered or the socket closed. */
function exchange(head: string | Buffer, then?: (socket: Socket) => void): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      then?.(socket);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (Buffer.concat(chunks).includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

const post = (body: string | Buffer, headers = '') => {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return Buffer.concat([Buffer.from(`POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: ${bytes.length}\r\n${headers}\r\n`), bytes]);
};

describe('readBody', () => {
  const readWith = (limit: number) => {
    handler = (request) => request.readBody(limit);
  };

  it.each([
    ['a body under the limit', post('grant_type=x'), 100, 'grant_type=x'],
    ['a body of exactly the limit', post('abcde'), 5, 'abcde'],
    ['a body one byte over the limit', post('abcdef'), 5, 'too-large'],
    ['an empty body', post(''), 5, ''],
    ['bad UTF-8, replaced', post(Buffer.from([0x61, 0xff, 0xfe, 0x62])), 100, 'a\ufffd\ufffdb'],
    ['a cut UTF-8 sequence, replaced', post(Buffer.from([0x61, 0xe6, 0x97])), 100, 'a\ufffd'],
    ['UTF-8, decoded', post('caf\u00e9 \u65e5\u672c'), 100, 'caf\u00e9 \u65e5\u672c'],
    ['a leading BOM, dropped', post(Buffer.from([0xef, 0xbb, 0xbf, 0x61])), 100, 'a'],
    ['a chunked body', Buffer.from('POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n'), 100, 'abcde'],
    ['a chunked body past the limit', Buffer.from(`POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n`), 5, 'too-large'],
  ])('%s', async (_name, raw, limit, expected) => {
    readWith(limit);
    await exchange(raw);
    expect(await seen).toBe(expected);
  });

  it('refuses a declared Content-Length over the limit before a byte of the body is sent', async () => {
    readWith(1000);
    const answer = await exchange('POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n');
    expect(await seen).toBe('too-large');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it('stops reading a body that grows past the limit and answers while the client is still sending', async () => {
    readWith(10);
    const answer = await exchange('POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n', (s) => s.write('a'.repeat(64)));
    expect(await seen).toBe('too-large');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it('gives what arrived when the client hangs up mid-body', async () => {
    readWith(1000);
    await exchange('POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ngrant_type=', (s) => setTimeout(() => s.destroy(), 50));
    expect(await seen).toBe('grant_type=');
  });

  it('reads a complete body node still holds after the client has gone (a forced delay before reading)', async () => {
    handler = async (request, incoming) => {
      await new Promise<void>((resolve) => (incoming.destroyed ? resolve() : incoming.once('close', () => resolve())));
      return request.readBody(1000);
    };
    await exchange(post('grant_type=late'), (s) => setTimeout(() => s.destroy(), 20));
    expect(await seen).toBe('grant_type=late');
  });

  it.each([
    ['a TRACE body is not read', 'TRACE /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello', ''],
    ['a TRACE with a Content-Length over the limit is too large', 'TRACE /b HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\n\r\n', 'too-large'],
  ])('%s', async (_name, raw, expected) => {
    readWith(100);
    await exchange(raw);
    expect(await seen).toBe(expected);
  });

  it('looks headers up as fetch does', async () => {
    handler = async (request) => [request.method, request.url.href, request.header('content-type'), request.header('X-Missing')];
    await exchange(post('x', 'Content-Type: a\r\nContent-Type: b\r\n'));
    expect(await seen).toEqual(['POST', 'http://x/b', 'a, b', null]);
  });
});

describe('a body nobody reads', () => {
  it('is left to node, which discards it, and keep-alive goes on', async () => {
    handler = async (request) => request.method;
    const two = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.concat([post('{"unread":true}'), Buffer.from('GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')])));
      const chunks: Buffer[] = [];
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    });
    expect(two.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(two.endsWith('"GET"')).toBe(true);
  });
});
