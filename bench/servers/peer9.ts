/**
 * The jwt-bearer peer: oauth2-mock-server 9.3 (installed as the package alias oauth2-mock-server-9)
 * serving its own token endpoint, POST /token, on 127.0.0.1 (HTTP, or HTTPS with the local CA's
 * leaf), one RS256 signing key generated at start. Run as its own process; prints one JSON line
 * {url, ca, version} once listening. Args: [--https]
 *
 * What its token endpoint does with grant_type urn:ietf:params:oauth:grant-type:jwt-bearer (read in
 * its dist/oauth2-server-*.mjs, tokenHandler and parseJwtBearerAssertionPayload): it reads the
 * form body, checks that `assertion` is a string, base64url-decodes the assertion's second segment
 * and JSON-parses it, requires a string `sub`, and signs an RS256 access token with `sub` and
 * `client_id` set to that `sub` (jose SignJWT). It never checks the assertion's signature, issuer,
 * audience or expiry. So the same form body the mock takes (grant_type + our RS256 assertion, whose
 * `sub` is the username) gets 200 and a token here: the peer's cost is one form parse, one JSON
 * parse and one RS256 signature per grant.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OAuth2Server } from 'oauth2-mock-server-9';

const https = process.argv.includes('--https');
// This checkout's local CA and leaf, loaded only for HTTPS: over HTTP the server runs no project code.
const tls = https ? await import('./tls.ts').then((m) => m.serverTlsHere()) : undefined;
let keyFile: string | undefined;
let certFile: string | undefined;
const dir = mkdtempSync(join(tmpdir(), 'sfjwt-peer9-'));
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
// The version actually loaded, so a report never quotes a peer it did not run.
// Its exports map has no ./package.json: go up from its entry point (dist/index.mjs).
const pkg = join(dirname(dirname(createRequire(import.meta.url).resolve('oauth2-mock-server-9'))), 'package.json');
const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
process.stdout.write(`${JSON.stringify({ url: `${https ? 'https' : 'http'}://127.0.0.1:${server.address().port}`, ca: tls?.caFile ?? null, version })}\n`);
process.once('SIGTERM', () => {
  void server.stop().finally(() => process.exit(0));
});
