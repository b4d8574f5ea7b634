/**
 * Header look-up over node's raw pairs gives what fetch `Headers.get` gives for the same pairs (the
 * core reads headers the same way whichever adapter fed it), including where node's own
 * `req.headers` differs: repeated Content-Type or Authorization (node keeps the first), Cookie
 * (joined with "; "), Set-Cookie (an array in node), untrimmed values. Each case also goes through
 * a real node:http server, so the raw pairs are node's own.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { rawHeader } from './headers.ts';

const fromFetch = (raw: string[], name: string) => {
  const h = new Headers();
  for (let i = 0; i < raw.length; i += 2) h.append(raw[i] ?? '', raw[i + 1] ?? '');
  return h.get(name);
};

/** node's rawHeaders for a request with these header lines. */
async function nodeRaw(lines: string): Promise<string[]> {
  let seen: IncomingMessage | undefined;
  const server = createServer((req, res) => {
    seen = req;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET / HTTP/1.1\r\nHost: x\r\n${lines}Connection: close\r\n\r\n`, 'latin1'));
    socket.on('error', reject);
    socket.on('data', () => undefined);
    socket.on('close', () => resolve());
  });
  await new Promise((r) => server.close(r));
  if (seen === undefined) throw new Error('no request reached the server');
  return seen.rawHeaders;
}

describe('rawHeader', () => {
  it.each([
    ['one value', 'Content-Type: application/x-www-form-urlencoded\r\n', 'content-type', 'application/x-www-form-urlencoded'],
    ['a name in any case', 'CONTENT-type: a\r\n', 'Content-Type', 'a'],
    ['absent', '', 'accept', null],
    ['two Content-Types, joined (node keeps the first)', 'Content-Type: a\r\nContent-Type: b\r\n', 'content-type', 'a, b'],
    ['two Authorizations, joined', 'Authorization: Bearer a\r\nAuthorization: Bearer b\r\n', 'authorization', 'Bearer a, Bearer b'],
    ['two Accepts, joined', 'Accept: a\r\nAccept:  b \r\n', 'accept', 'a, b'],
    ['two Cookies, joined with "; "', 'Cookie: a=1\r\nCookie: b=2\r\n', 'cookie', 'a=1; b=2'],
    ['two Set-Cookies, joined with ", " (an array in node)', 'Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n', 'set-cookie', 'a=1, b=2'],
    ['whitespace around a value, trimmed', 'X-A: \t a b \t\r\n', 'x-a', 'a b'],
    ['an empty value', 'X-A:\r\n', 'x-a', ''],
    ['two values, each trimmed', 'X-A: a  \r\nX-A:   b\r\n', 'x-a', 'a, b'],
    ['a latin-1 byte', 'X-A: caf\u00e9\r\n', 'x-a', 'caf\u00e9'],
    ['the Host', '', 'host', 'x'],
  ])('%s', async (_name, lines, name, expected) => {
    const raw = await nodeRaw(lines);
    expect(rawHeader(raw, name)).toBe(expected);
    expect(rawHeader(raw, name)).toBe(fromFetch(raw, name));
  });
});
