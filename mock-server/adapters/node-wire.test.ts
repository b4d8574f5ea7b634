/**
 * The node adapter writes the core's wire answers to the socket itself instead of building a fetch
 * Response for @hono/node-server to read back (a measured speed-up, see README Performance). The bytes
 * must be the same: each answer here goes out both ways over real HTTP on 127.0.0.1, once through
 * writeWire and once as toResponse(answer) through @hono/node-server, and the raw bytes are compared.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonResponse, notFoundPage, oauthResponse, payloadTooLarge, redirect, setHeader, textResponse, toResponse, type WireResponse } from '../core/responses.ts';
import { writeWire } from './node-server.ts';

const options = { browserId: 'AbCdEfGhIjKlMnOpQrStUv', now: new Date('2026-03-01T12:34:56Z') };
const withTrace = (w: WireResponse) => {
  setHeader(w, 'x-sfjwt-trace', 'trace-7');
  return w;
};
const ANSWERS: Record<string, () => WireResponse> = {
  success: () =>
    withTrace(
      oauthResponse(
        200,
        [
          ['access_token', '00D!AQabc'],
          ['scope', 'api'],
          ['instance_url', 'https://acme.my.salesforce.com'],
          ['token_type', 'Bearer'],
        ],
        options,
      ),
    ),
  error: () =>
    withTrace(
      oauthResponse(
        400,
        [
          ['error', 'invalid_grant'],
          ['error_description', 'invalid assertion'],
        ],
        options,
      ),
    ),
  xml: () =>
    oauthResponse(
      400,
      [
        ['error', 'invalid_grant'],
        ['error_description', 'a <b> & "c"'],
      ],
      { ...options, format: 'xml' },
    ),
  urlencoded: () => oauthResponse(200, [['access_token', 'x!y z']], { ...options, format: 'urlencoded' }),
  json: () => jsonResponse(200, { limits: { a: 1 }, text: 'é ü 日本' }, options),
  text: () => textResponse(403, 'Bad_OAuth_Token', options),
  notFound: () => withTrace(notFoundPage(options)),
  tooLarge: () => withTrace(payloadTooLarge(options)),
  redirect: () => withTrace(redirect('https://acme.my.salesforce.com/services/oauth2/token?a=1', options)),
  wwwAuthenticate: () => {
    const w = jsonResponse(401, [{ errorCode: 'INVALID_SESSION_ID' }], options);
    setHeader(w, 'WWW-Authenticate', 'Token');
    return w;
  },
};

let server: Server;
let port = 0;

beforeAll(async () => {
  const viaHono = getRequestListener((req: Request) => toResponse(ANSWERS[new URL(req.url).pathname.slice('/hono/'.length)]?.() ?? ANSWERS['error']!()), { overrideGlobalObjects: false });
  server = createServer((req, res) => {
    const [, how = '', name = ''] = (req.url ?? '').split('/');
    const answer = ANSWERS[name];
    if (how === 'direct' && answer !== undefined) writeWire(res, answer());
    else void viaHono(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The raw bytes of one answer (its Date header is the answer's own, so both ways carry the same). */
function raw(method: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  });
}

describe('writeWire', () => {
  for (const name of Object.keys(ANSWERS)) {
    for (const method of ['GET', 'HEAD']) {
      it(`writes the same bytes as @hono/node-server writes toResponse(answer): ${name}, ${method}`, async () => {
        const direct = await raw(method, `/direct/${name}`);
        const hono = await raw(method, `/hono/${name}`);
        expect(direct).toContain('x-content-type-options: nosniff');
        expect(direct).toBe(hono);
      });
    }
  }
});
