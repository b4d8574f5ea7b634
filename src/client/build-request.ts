/**
 * A JWT Bearer request built in visible steps — claims → header → payload text → signature → form →
 * HTTP request — with any mistakes applied at their step. Every step is exported so a test or a
 * training page can show what each one produced. The correct request is this with no mistakes.
 * Signatures come from lib/jws.ts, the one signer of sfjwt.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { base64url, type JwsAlg, type JwsKey, signatureOf, signingInput } from '../../lib/jws.ts';
import { rfc7515ExampleKey } from '../../lib/pki/example-key.ts';
import type { Mistake, SymbolicValue } from '../../scenarios/mistake-schema.ts';
import { buildClaims, JWT_BEARER_GRANT } from './assertion.ts';

export const TOKEN_PATH = '/services/oauth2/token';

/** What the request is made of, resolved by the target from the scenario's roles. */
export interface RequestContext {
  consumerKey: string;
  consumerSecret?: string | undefined;
  appName?: string | undefined;
  username: string;
  userEmail?: string | undefined;
  userId?: string | undefined;
  privateKey: KeyObject;
  /** Base URL (as the client sees it) of a host role: login, test, my-domain, site, lightning. */
  hostUrl(role: string): string | undefined;
  /** The real Salesforce URL of a host role, for `aud`. */
  realUrl(role: string): string | undefined;
  /** The username of another user role (for mistakes that name one). */
  usernameOf(role: string): string | undefined;
  host: string;
  audience: string;
  /** Milliseconds since the epoch. */
  now: number;
}

export interface BuiltRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** The assertion as sent (for redaction: it never goes into a report whole). */
  assertion: string | undefined;
  claims: Record<string, unknown>;
  header: Record<string, unknown>;
}

export class UnresolvedValueError extends Error {}

/** Sets an own property, also for a name such as `__proto__` (which `o[k] = v` would take as the prototype). */
function setOwn<T>(o: Record<string, T>, k: string, v: T): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export function resolveValue(value: unknown, ctx: RequestContext): unknown {
  // An own "$" key only, as the scenario schema checks it (scenarios/mistake-schema.ts).
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, '$')) return value;
  const symbol = value as SymbolicValue;
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new UnresolvedValueError(`the target does not provide ${what}`);
    return v;
  };
  switch (symbol.$) {
    case 'now':
      return Math.floor(ctx.now / 1000) + symbol.seconds;
    case 'nowMs':
      return ctx.now + symbol.ms;
    case 'string':
      return String(Math.floor(ctx.now / 1000) + symbol.seconds);
    case 'consumerSecret':
      return need(ctx.consumerSecret, 'the consumer secret');
    case 'appName':
      return need(ctx.appName, 'the app name');
    case 'userEmail':
      return need(ctx.userEmail, "the user's e-mail address");
    case 'userId':
      return need(ctx.userId, "the user's Id");
    case 'username':
      return need(ctx.usernameOf(symbol.role), `a user "${symbol.role}"`);
    case 'url':
      return `${need(ctx.hostUrl(symbol.host), `the host "${symbol.host}"`)}${symbol.suffix}`;
    case 'realUrl':
      return `${symbol.prefix}${need(ctx.realUrl(symbol.host), `the host "${symbol.host}"`)}${symbol.suffix}`;
  }
}

function applyObject(
  target: Record<string, unknown>,
  m: { rename?: Record<string, string> | undefined; set?: Record<string, unknown> | undefined; remove?: string[] | undefined },
  ctx: RequestContext,
): Record<string, unknown> {
  let out = { ...target };
  for (const [from, to] of Object.entries(m.rename ?? {})) {
    // Keep the key's position: a renamed claim sits where the original was.
    out = Object.fromEntries(Object.entries(out).map(([k, v]) => (k === from ? [to, v] : [k, v])));
  }
  for (const [k, v] of Object.entries(m.set ?? {})) setOwn(out, k, resolveValue(v, ctx));
  for (const k of m.remove ?? []) delete out[k];
  return out;
}

export function buildClaimsStep(ctx: RequestContext, mistakes: readonly Mistake[]): Record<string, unknown> {
  let claims = buildClaims({ consumerKey: ctx.consumerKey, username: ctx.username, audience: ctx.audience, now: ctx.now });
  for (const m of mistakes) if (m.at === 'claims') claims = applyObject(claims, m, ctx);
  return claims;
}

export function buildHeaderStep(ctx: RequestContext, mistakes: readonly Mistake[]): Record<string, unknown> {
  let header: Record<string, unknown> = { alg: 'RS256' };
  for (const m of mistakes) if (m.at === 'header') header = applyObject(header, m, ctx);
  return header;
}

export function payloadTextStep(claims: Record<string, unknown>, mistakes: readonly Mistake[]): string {
  let text = JSON.stringify(claims);
  for (const m of mistakes) if (m.at === 'payload') text = text.split(m.replace.find).join(m.replace.with);
  return text;
}

let ecKey: KeyObject | undefined;

type SignWith = NonNullable<Extract<Mistake, { at: 'sign' }>['with']>;

/** The algorithm and key of each way of signing; the header says what it says, whatever signs. */
function signer(how: SignWith, ctx: RequestContext): { alg: JwsAlg; key: JwsKey | undefined } {
  switch (how) {
    case 'rs256':
      // The user's own key signs as it can: an EC key (which Salesforce refuses, as `keys check`
      // and the doctor say) still makes a request, so that Salesforce's answer to it is seen.
      return { alg: ctx.privateKey.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256', key: ctx.privateKey };
    case 'hmac-private-key-text':
      return { alg: 'HS256', key: ctx.privateKey.export({ type: 'pkcs8', format: 'pem' }) };
    case 'none':
      return { alg: 'none', key: undefined };
    case 'other-key':
      // A key that is surely on no app, made by nobody here: RFC 7515's published example key.
      return { alg: 'RS256', key: rfc7515ExampleKey() };
    case 'ec-key':
      ecKey ??= generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      return { alg: 'ES256', key: ecKey };
  }
}

export function signStep(header: Record<string, unknown>, payloadText: string, ctx: RequestContext, mistakes: readonly Mistake[]): string {
  const signMistake = mistakes.find((m): m is Extract<Mistake, { at: 'sign' }> => m.at === 'sign');
  const input = signingInput(header, payloadText);
  const { alg, key } = signer(signMistake?.with ?? 'rs256', ctx);
  const signature = signatureOf(alg, input, key);
  switch (signMistake?.tamper) {
    case 'payload-after-signing':
      return `${signingInput(header, payloadText.replace(/}$/, ',"admin":true}'))}.${base64url(signature)}`;
    case 'strip-signature':
      return `${input}.`;
    case 'truncate-signature':
      return `${input}.${base64url(signature.subarray(0, Math.floor(signature.length / 2)))}`;
    case 'two-parts':
      return input;
    default:
      return `${input}.${base64url(signature)}`;
  }
}

export function buildRequestStep(assertion: string, ctx: RequestContext, mistakes: readonly Mistake[]): Omit<BuiltRequest, 'claims' | 'header'> {
  let params: Record<string, unknown> = { grant_type: JWT_BEARER_GRANT, assertion };
  let encoding = 'form';
  let method = 'POST';
  let host = ctx.host;
  let scheme: string | undefined;
  let path = TOKEN_PATH;
  for (const m of mistakes) {
    if (m.at === 'form') {
      params = applyObject(params, m, ctx);
      encoding = m.encoding ?? encoding;
    } else if (m.at === 'send') {
      method = m.method ?? method;
      host = m.host ?? host;
      scheme = m.scheme ?? scheme;
      path = m.path ?? path;
    }
  }
  const base = ctx.hostUrl(host);
  if (base === undefined) throw new UnresolvedValueError(`the target does not provide the host "${host}"`);
  let url = `${base}${path}`;
  if (scheme === 'http') url = url.replace(/^https:/, 'http:');
  const fields = Object.entries(params).map(([k, v]) => [k, String(v)] as [string, string]);
  const form = new URLSearchParams(fields).toString();
  const headers: Record<string, string> = {};
  let body: string | undefined;
  switch (encoding) {
    case 'form':
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = form;
      break;
    case 'json':
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(Object.fromEntries(fields));
      break;
    case 'headers':
      // As in a Postman "Headers" tab: the parameters travel as HTTP headers, the body is empty.
      for (const [k, v] of fields) setOwn(headers, k, v);
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = '';
      break;
    case 'query':
      url = `${url}${url.includes('?') ? '&' : '?'}${form}`;
      body = undefined;
      break;
    case 'no-content-type':
      body = form;
      break;
    case 'text-plain':
      headers['Content-Type'] = 'text/plain';
      body = form;
      break;
    case 'multipart': {
      const boundary = 'sfjwt-boundary';
      headers['Content-Type'] = `multipart/form-data; boundary=${boundary}`;
      body = `${fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')}--${boundary}--\r\n`;
      break;
    }
  }
  if (method === 'GET') {
    if (body !== undefined && body !== '') url = `${url}${url.includes('?') ? '&' : '?'}${body}`;
    body = undefined;
  }
  return { url, method, headers, body, assertion: typeof params['assertion'] === 'string' ? params['assertion'] : undefined };
}

/** The whole request: every step, with the mistakes applied where they belong. */
export function buildRequest(ctx: RequestContext, mistakes: readonly Mistake[] = []): BuiltRequest {
  const claims = buildClaimsStep(ctx, mistakes);
  const header = buildHeaderStep(ctx, mistakes);
  const assertion = signStep(header, payloadTextStep(claims, mistakes), ctx, mistakes);
  return { ...buildRequestStep(assertion, ctx, mistakes), claims, header };
}
