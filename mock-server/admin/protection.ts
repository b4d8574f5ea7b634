/**
 * What keeps the admin API to those who run the mock, once it listens on a port that every web page
 * in a local browser and every local process can reach. Three rules, checked before any route runs:
 * (1) it answers only under the mock's own host names (an IP address, localhost, a Salesforce name of
 * its world, a name it serves under), so a DNS name rebound to 127.0.0.1 reads nothing; GET /health,
 * a liveness probe that tells nothing, answers any name. (2) A state change (any method but GET and
 * HEAD) comes from no web page of another origin (Origin, Sec-Fetch-Site) and declares a JSON body,
 * which no page can send without a CORS preflight the mock never grants. (3) When the mock has an
 * admin token (startMockOrg makes one per start; the in-process msw mock has none), a state change
 * carries it, and a request that carries it is answered under any host name. The body of a state
 * change is read here, at most ADMIN_MAX_BODY_BYTES of it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { UsageError } from '../../lib/errors.ts';
import type { IncomingRequest } from '../core/incoming.ts';
import type { MockOrg, ServeContext } from '../core/mock-org.ts';
import { LOGIN_HOST } from '../world/hosts.ts';
import { problem } from './answers.ts';
import { ADMIN_PREFIX } from './prefix.ts';

/** An admin body is a small JSON object (a certificate upload is a few KB): the token endpoint's default limit. */
export const ADMIN_MAX_BODY_BYTES = 1_048_576;

/** The admin token of each org served on a port; an org without one (msw, in this process) takes state changes without. */
const TOKENS = new WeakMap<MockOrg, string>();

/** A token of 32 random bytes, base64url (43 characters). */
export function newAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The token as given, or a UsageError: it travels in a header, and a short one could be guessed by a local process. */
export function checkAdminToken(token: string, source = 'the admin token'): string {
  if (!/^[\x21-\x7e]{16,256}$/.test(token)) {
    throw new UsageError(`${source} must be 16 to 256 visible ASCII characters without spaces, got ${token.length} character${token.length === 1 ? '' : 's'}`, {
      actions: ['Leave it out for a random one, printed once the mock listens.'],
    });
  }
  return token;
}

/** Sets (or, with null, removes) the token that state changes of `org` need. */
export function setAdminToken(org: MockOrg, token: string | null): void {
  if (token === null) TOKENS.delete(org);
  else TOKENS.set(org, checkAdminToken(token));
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether the request carries the org's token (Authorization: Bearer, or x-sfjwt-admin-token), compared in constant time. */
function carriesToken(token: string, request: IncomingRequest): boolean {
  const bearer = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(request.header('authorization') ?? '')?.[1];
  const header = request.header('x-sfjwt-admin-token')?.trim();
  return [bearer, header].some((given) => given !== undefined && sameToken(given, token));
}

/** The host name of a Host header or an origin's authority (`[::1]` keeps its brackets), or undefined when it names none. */
function hostNameOf(authority: string): string | undefined {
  try {
    return new URL(`http://${authority}`).hostname;
  } catch {
    return undefined;
  }
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Every origin the mock serves under (`http://127.0.0.1:PORT`, `https://login.salesforce.com`), each loopback one also under the other loopback names. */
function servedOrigins(org: MockOrg, sc: ServeContext): Set<string> {
  const origins = new Set<string>();
  for (const host of org.index.hosts) {
    for (const origin of sc.urls.origins(host.name)) {
      const url = new URL(origin);
      origins.add(url.origin);
      // A port of this machine is the same port under each loopback name.
      if (url.port !== '') for (const name of LOOPBACK_NAMES) origins.add(`${url.protocol}//${name}:${url.port}`);
    }
  }
  return origins;
}

/**
 * A name only the mock answers to. A rebinding attack needs a DNS name of the attacker's, so an IP
 * address is always the mock's own (a page that names one came from that address); so is localhost.
 */
function ownHostName(org: MockOrg, sc: ServeContext, name: string): boolean {
  if (isIP(name.replace(/^\[(.*)\]$/, '$1')) !== 0 || name === 'localhost' || org.index.host(name) !== undefined) return true;
  return [...servedOrigins(org, sc)].some((origin) => new URL(origin).hostname === name);
}

/** The admin token state changes of `org` need, or undefined when it has none. */
export function adminTokenOf(org: MockOrg): string | undefined {
  return TOKENS.get(org);
}

/** Whether `given` is `token`, compared in constant time. */
export function sameToken(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

/** Whether `origin` is one the mock serves (a page of the mock's own, not of another site). */
export function ownOrigin(org: MockOrg, sc: ServeContext, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return org.index.host(url.hostname) !== undefined || servedOrigins(org, sc).has(url.origin);
}

/** The names a request addresses: its URL's host and its Host header's (they differ for an absolute-form target); both must be the mock's. */
function addressedNames(request: IncomingRequest): string[] {
  const header = request.header('host');
  const fromHeader = header === null ? undefined : hostNameOf(header.trim());
  const names = [request.url.hostname];
  if (header !== null) names.push(fromHeader ?? header);
  return names;
}

/**
 * The 403 for a request under a name that is not the mock's (a DNS name rebound to 127.0.0.1), or
 * undefined. Checked for every route but GET /health; a request with the admin token passes.
 */
export function foreignHostRefusal(org: MockOrg, request: IncomingRequest, sc: ServeContext, sub: string): Response | undefined {
  if (request.method === 'GET' && sub === '/health') return undefined;
  const token = TOKENS.get(org);
  if (token !== undefined && carriesToken(token, request)) return undefined;
  const foreign = addressedNames(request).find((name) => !ownHostName(org, sc, name));
  if (foreign === undefined) return undefined;
  // A wildcard bind address cannot be connected to: name localhost, as serve prints it.
  const admin = `${sc.urls.baseUrl(LOGIN_HOST).replace(/\/\/(?:0\.0\.0\.0|\[::\])(?=:\d+$)/, '//localhost')}${ADMIN_PREFIX}`;
  return problem(
    403,
    `the admin API answers only under the mock's own host names, not "${foreign}"`,
    `Use the admin URL the mock prints (${admin})${token === undefined ? '.' : ', or send the admin token.'}`,
  );
}

/** The 403, 401 or 415 for a state change that a web page or a process without the token sent, or undefined. */
export function stateChangeRefusal(org: MockOrg, request: IncomingRequest, sc: ServeContext): Response | undefined {
  const origin = request.header('origin');
  const site = request.header('sec-fetch-site');
  const from = origin !== null && !ownOrigin(org, sc, origin) ? `Origin: ${origin}` : site?.trim().toLowerCase() === 'cross-site' ? 'Sec-Fetch-Site: cross-site' : undefined;
  if (from !== undefined)
    return problem(
      403,
      `the admin API takes no state change from a web page of another origin (${from})`,
      "Change the mock from a test, a script or the command line (sfjwt's admin client), not from a web page.",
    );
  const token = TOKENS.get(org);
  if (token !== undefined && !carriesToken(token, request)) {
    const answer = problem(
      401,
      'a state change needs the admin token',
      'Send Authorization: Bearer <token> or x-sfjwt-admin-token: <token>; serve prints the token (--json: adminToken), startMockOrg() returns it as adminToken.',
    );
    answer.headers.set('WWW-Authenticate', 'Bearer realm="sfjwt admin API"');
    return answer;
  }
  // Only a CORS-simple request (text/plain, a form, multipart, or none) reaches a server without a
  // preflight; a declared JSON body cannot come from a page of another origin.
  const type = request.header('content-type');
  if (type === null || type.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    return problem(
      415,
      `a state change takes a JSON body, and this request has ${type === null ? 'no Content-Type' : `Content-Type "${type}"`}`,
      'Send Content-Type: application/json and a JSON object ({} when there is nothing to say).',
    );
  }
  return undefined;
}

/** The JSON body of a state change (an empty body is `{}`), read within the cap; or the 413 or 400 that says why not. */
export async function readJsonBody(request: IncomingRequest): Promise<{ body: unknown } | Response> {
  const text = await request.readBody(ADMIN_MAX_BODY_BYTES);
  if (text === 'too-large') {
    // The rest of the body stays unread: closing the connection is what lets it.
    const answer = problem(413, `the body is over ${ADMIN_MAX_BODY_BYTES} bytes`, 'Admin requests are small JSON objects (a certificate upload is a few KB).');
    answer.headers.set('Connection', 'close');
    return answer;
  }
  try {
    return { body: text.trim() === '' ? {} : (JSON.parse(text) as unknown) };
  } catch {
    return problem(400, 'the body is not valid JSON', 'Send a JSON object with Content-Type: application/json.');
  }
}
