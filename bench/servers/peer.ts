/**
 * The peer: the npm package oauth2-mock-server serving its own token endpoint on 127.0.0.1 (HTTPS
 * with the local CA's leaf, or HTTP), one RS256 signing key generated at start. Run as its own
 * process; prints one JSON line {url, ca} once listening. Args: [--https]
 *
 * Its token endpoint does not implement grant_type urn:ietf:params:oauth:grant-type:jwt-bearer: it
 * answers such a request 400 {"error":"invalid_grant"} without reading the assertion. Its cheapest
 * grant that issues a token is client_credentials (one RS256 signature per answer).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAuth2Server } from 'oauth2-mock-server';

const https = process.argv.includes('--https');
// This checkout's local CA and leaf, loaded only for HTTPS: over HTTP the server runs no project code.
const tls = https ? await import('./tls.ts').then((m) => m.serverTlsHere()) : undefined;
let keyFile: string | undefined;
let certFile: string | undefined;
const dir = mkdtempSync(join(tmpdir(), 'sfjwt-peer-'));
if (tls !== undefined) {
  keyFile = join(dir, 'server.key');
  certFile = join(dir, 'server.crt');
  writeFileSync(keyFile, tls.key, { mode: 0o600 });
  writeFileSync(certFile, tls.cert);
}
const server = new OAuth2Server(keyFile, certFile);
rmSync(dir, { recursive: true, force: true });
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ url: `${https ? 'https' : 'http'}://127.0.0.1:${server.address().port}`, ca: tls?.caFile ?? null })}\n`);
process.once('SIGTERM', () => {
  void server.stop().finally(() => process.exit(0));
});
