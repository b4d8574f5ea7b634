/**
 * The ceiling: a bare node:http (or node:https, with the same local CA and an RSA-2048 leaf like the
 * mock's) server on 127.0.0.1 that reads each request body and answers a fixed JSON body of about the
 * size of a token response. No routing, no parsing, no checks: what node itself costs per request.
 * Run as its own process; prints one JSON line {url, ca} once listening. Args: [--https]
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

const BODY = Buffer.from(
  JSON.stringify({
    access_token: `00D000000000001!AQ${'x'.repeat(94)}`,
    scope: 'api',
    instance_url: 'https://acme.my.salesforce.com',
    id: 'https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA',
    token_type: 'Bearer',
  }),
);
const HEADERS = { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': String(BODY.length) };

const listener = (req: IncomingMessage, res: ServerResponse) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, HEADERS);
    res.end(BODY);
  });
};

const https = process.argv.includes('--https');
// This checkout's local CA and leaf, loaded only for HTTPS: over HTTP the server runs no project code.
const tls = https ? await import('./tls.ts').then((m) => m.serverTlsHere()) : undefined;
const server = tls === undefined ? createHttpServer(listener) : createHttpsServer({ key: tls.key, cert: tls.cert }, listener);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `${https ? 'https' : 'http'}://127.0.0.1:${port}`, ca: tls?.caFile ?? null })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
