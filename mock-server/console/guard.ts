/**
 * What keeps the console's forms to the person who runs the mock. Pages are read as the admin API's
 * GET routes are (under the mock's own host names only); a form that changes the mock must (1) come
 * from a page of the mock's own origin (Origin, else Sec-Fetch-Site: same-origin), (2) carry the
 * per-run form token every console page embeds (a page of another site cannot read it), and (3) when
 * the mock has an admin token, come with the console's session cookie, which visiting
 * `/__sfjwt/ui/login?token=<admin token>` sets (HttpOnly, SameSite=Strict). Tokens are HMACs of a
 * random secret made per org and never leave the process otherwise.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { adminTokenOf, ownOrigin, sameToken } from '../admin/protection.ts';
import type { IncomingRequest } from '../core/incoming.ts';
import type { MockOrg, ServeContext } from '../core/mock-org.ts';

export const CONSOLE_PREFIX = '/__sfjwt/ui';
export const SESSION_COOKIE = 'sfjwt-console';

const SECRETS = new WeakMap<MockOrg, Buffer>();

function mac(org: MockOrg, what: string): string {
  let secret = SECRETS.get(org);
  if (secret === undefined) {
    secret = randomBytes(32);
    SECRETS.set(org, secret);
  }
  return createHmac('sha256', secret).update(what).digest('base64url');
}

/** The token every form of this run carries (field `csrf`). */
export function formToken(org: MockOrg): string {
  return mac(org, 'form');
}

function cookieOf(request: IncomingRequest, name: string): string | undefined {
  for (const part of (request.header('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether the request may change the mock as far as sessions go: the mock has no admin token, or the cookie is the console's. */
export function hasSession(org: MockOrg, request: IncomingRequest): boolean {
  const token = adminTokenOf(org);
  if (token === undefined) return true;
  const given = cookieOf(request, SESSION_COOKIE);
  return given !== undefined && sameToken(given, mac(org, `session ${token}`));
}

/** The Set-Cookie of a console session when `given` is the admin token; undefined otherwise. */
export function sessionCookie(org: MockOrg, given: string, secure: boolean): string | undefined {
  const token = adminTokenOf(org);
  if (token === undefined || !sameToken(given, token)) return undefined;
  return `${SESSION_COOKIE}=${mac(org, `session ${token}`)}; Path=${CONSOLE_PREFIX}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Why a form post is refused (403), or undefined when it may change the mock. */
export function formRefusal(org: MockOrg, request: IncomingRequest, sc: ServeContext, fields: URLSearchParams): string | undefined {
  const origin = request.header('origin');
  const site = request.header('sec-fetch-site')?.trim().toLowerCase();
  if (origin !== null ? !ownOrigin(org, sc, origin) : site !== 'same-origin')
    return `a form of another site (${origin === null ? `Sec-Fetch-Site: ${site ?? 'absent'}` : `Origin: ${origin}`}) cannot change the mock`;
  const csrf = fields.get('csrf');
  if (csrf === null || !sameToken(csrf, formToken(org))) return 'the form token is missing or out of date: reload the page and send the form again';
  if (!hasSession(org, request)) return 'the console needs the admin token first: open the console link the mock prints (…/__sfjwt/ui/login?token=…)';
  return undefined;
}
