/**
 * The requests the benchmarks send, built once before a load and reused by every connection: a good
 * JWT Bearer grant for the served world, the same grant signed with another key (`invalid assertion`),
 * the catalogue as a mix (every scenario that runs over HTTPS without a `mock` section, built with
 * buildRequest from the HTTPS mock target's context, each aimed at the login port with its logical
 * host in the Host header, as the node adapter serves it), and the peer's requests. `send` makes one
 * request to check that a load gets the answers it should before it is measured.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { catalogue } from '../../scenarios/load.ts';
import { buildRequest } from '../../src/client/build-request.ts';
import { JWT_BEARER_GRANT, buildClaims, importPrivateKey, signAssertion, tokenForm } from '../../src/client/assertion.ts';
import { httpsTarget } from '../../src/runner/mock-target.ts';
import type { LoadRequest } from './load.ts';

export const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
export const TOKEN_PATH = '/services/oauth2/token';
const LOGIN_AUDIENCE = 'https://login.salesforce.com';

export interface GrantInput {
  consumerKey: string;
  username: string;
  privateKeyPem: string;
}

/** A form body with a correctly signed assertion valid for an hour. */
export async function grantBody(g: GrantInput): Promise<string> {
  const claims = buildClaims({ consumerKey: g.consumerKey, username: g.username, audience: LOGIN_AUDIENCE, now: Date.now(), lifetimeSeconds: 3600 });
  return tokenForm(await signAssertion(claims, importPrivateKey(g.privateKeyPem)));
}

/** The same grant signed with a key whose certificate is not on the app: `invalid assertion`. */
export async function wrongKeyBody(g: GrantInput): Promise<string> {
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const claims = buildClaims({ consumerKey: g.consumerKey, username: g.username, audience: LOGIN_AUDIENCE, now: Date.now(), lifetimeSeconds: 3600 });
  return tokenForm(await signAssertion(claims, other));
}

export const peerBodies = {
  /** The JWT Bearer grant as the peer gets it (it answers 400 invalid_grant without reading it). */
  jwtBearer: (assertionForm: string) => assertionForm,
  /** Its cheapest grant that issues a token: one RS256 signature. */
  clientCredentials: `grant_type=client_credentials&scope=api`,
};

export interface MixEntry {
  id: string;
  expectedStatus: number;
  request: LoadRequest;
}

/**
 * The catalogue as one request sequence. Assertions expire three minutes after they are built (the
 * catalogue's own `exp`), so build the mix right before the load that uses it.
 */
export async function catalogueMix(): Promise<MixEntry[]> {
  const target = await httpsTarget();
  try {
    const out: MixEntry[] = [];
    for (const s of catalogue()) {
      if (!s.runsOn.includes('mock-https') || s.mock !== undefined) continue;
      const ctx = target.context(s);
      if ('skip' in ctx) continue;
      // The real host name of each role: it goes in the Host header, and every request goes to one port.
      const built = buildRequest({ ...ctx, hostUrl: (role) => ctx.realUrl(role) }, s.mistakes);
      const url = new URL(built.url);
      if (url.protocol !== 'https:') continue;
      out.push({ id: s.id, expectedStatus: s.expect.status, request: { method: built.method, path: `${url.pathname}${url.search}`, headers: { ...built.headers, Host: url.host }, ...(built.body === undefined ? {} : { body: built.body }) } });
    }
    return out;
  } finally {
    await target.close();
  }
}

/** One request, to check what a load will get. Resolves to the status (0 when the connection drops). */
export function send(base: string, r: LoadRequest, caFile: string | null): Promise<number> {
  const url = new URL(r.path, base);
  const headers: Record<string, string> = { ...r.headers };
  if (r.body !== undefined && r.body !== '') headers['Content-Length'] = String(Buffer.byteLength(r.body));
  const options = { method: r.method, headers, ...(caFile === null ? {} : { ca: readFileSync(caFile, 'utf8') }), timeout: 10_000 };
  return new Promise((resolve) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end(r.body);
  });
}

export { JWT_BEARER_GRANT };
