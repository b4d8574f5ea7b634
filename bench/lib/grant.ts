/**
 * The JWT Bearer grant the benchmarks send, built here with node:crypto alone (RS256 is PKCS#1 v1.5
 * over SHA-256) and not with the project's client, so that a benchmark of one checkout never loads
 * that checkout's code (or another's) into the driver: a half-edited or differently laid-out tree is
 * only ever run through its own bin/sfjwt.js. The claims are the correct ones for the default world
 * (iss = consumer key, sub = username, aud = login.salesforce.com, exp an hour ahead). Also the
 * same grant signed with a key whose certificate is not on the app (`invalid assertion`), the
 * peers' bodies, and `send`, one request to check what a load will get.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LoadRequest } from './load.ts';

export const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
export const TOKEN_PATH = '/services/oauth2/token';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const LOGIN_AUDIENCE = 'https://login.salesforce.com';

export interface GrantInput {
  consumerKey: string;
  username: string;
  privateKeyPem: string;
}

const b64url = (x: string | Buffer) => Buffer.from(x).toString('base64url');

function assertion(g: GrantInput, key: KeyObject): string {
  const claims = { iss: g.consumerKey, sub: g.username, aud: LOGIN_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600 };
  const input = `${b64url(JSON.stringify({ alg: 'RS256' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
}

function form(jwt: string): string {
  return new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: jwt }).toString();
}

/** A form body with a correctly signed assertion valid for an hour. */
export async function grantBody(g: GrantInput): Promise<string> {
  return form(assertion(g, createPrivateKey(g.privateKeyPem)));
}

/** The same grant signed with a key whose certificate is not on the app: `invalid assertion`. */
export async function wrongKeyBody(g: GrantInput): Promise<string> {
  return form(assertion(g, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey));
}

export const peerBodies = {
  /** oauth2-mock-server 7.2.1 answers a JWT Bearer grant 400 invalid_grant without reading it. */
  jwtBearer: (assertionForm: string) => assertionForm,
  /** Its cheapest grant that issues a token: one RS256 signature. */
  clientCredentials: `grant_type=client_credentials&scope=api`,
};

/** One request, to check what a load will get. Resolves to the status (0 when the connection drops). */
export function send(base: string, r: LoadRequest, caFile: string | null): Promise<number> {
  const url = new URL(r.path, base);
  const headers: Record<string, string> = { ...r.headers };
  if (r.body !== undefined && r.body !== '') headers['Content-Length'] = String(Buffer.byteLength(r.body));
  const options = { method: r.method, headers, agent: false, ...(caFile === null ? {} : { ca: readFileSync(caFile, 'utf8') }), timeout: 10_000 };
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
