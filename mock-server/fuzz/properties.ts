/**
 * Property-based tests of the token endpoint with fast-check, shared by `npm test` (a fixed seed and
 * a few hundred cases) and `npm run fuzz` (many more). For arbitrary and mutated requests — methods,
 * headers, bodies, encodings, JWT segments, claim types, huge numbers, unicode, nested JSON — the mock
 * answers a well-formed Salesforce response, never a 500, never hangs, and never grants a token
 * unless an independent oracle agrees every check passed with the right key. Where the oracle knows
 * Salesforce's exact answer (a method other than POST, a grant_type that is not the JWT Bearer one),
 * the mock must give exactly that. The oracle's answers are written down in
 * testing/salesforce-answers.ts, never read from the mock's own outcome table.
 */
import { createPublicKey, verify } from 'node:crypto';
import fc from 'fast-check';
import { base64url, signatureOf, signingInput } from '../../lib/jws.ts';
import { frozenClock } from '../core/clock.ts';
import { MockOrg } from '../core/mock-org.ts';
import { goodClaims, JWT_GRANT, NOW, NOW_S, otherPrivateKey, testKeys, testWorld } from '../testing/fixtures.ts';
import { SALESFORCE, SALESFORCE_ERROR_BODIES } from '../testing/salesforce-answers.ts';
import { realHostUrls } from '../world/hosts.ts';

/** The test world, made once: the generators below read its good claims for every case. */
const WORLD = testWorld();

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

const claimValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER, -1, 0, NOW_S, NOW, '9'.repeat(40), 'CurrentTimeStemp+2min', '', null),
);

/** A claims object derived from the good one: some claims replaced, renamed, removed or added. */
const identity = (base: Record<string, unknown>) => base;
/** Mostly the correct value, sometimes a mutation: so the generator reaches both grants and refusals. */
const usually = <T>(good: T, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(good), weight: 6 }, { arbitrary: bad, weight: 1 });

const mutatedClaimsRaw = fc
  .record({
    replace: fc.dictionary(fc.constantFrom('iss', 'sub', 'aud', 'exp', 'prn'), claimValue, { maxKeys: 3 }),
    remove: fc.subarray(['iss', 'sub', 'aud', 'exp']),
    extra: fc.dictionary(fc.string({ maxLength: 8 }), claimValue, { maxKeys: 3 }),
  })
  .map(({ replace, remove, extra }) => (base: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...base, ...extra, ...replace };
    for (const k of remove) delete out[k];
    return out;
  });
const mutatedClaims = usually<(base: Record<string, unknown>) => Record<string, unknown>>(identity, mutatedClaimsRaw);

const header = fc.oneof(
  { arbitrary: fc.constant({ alg: 'RS256' } as unknown), weight: 12 },
  fc.record(
    { alg: fc.oneof(fc.constantFrom('RS256', 'HS256', 'none', 'ES256', 'RS512', 'rs256', ''), fc.string({ maxLength: 10 })), typ: fc.option(fc.constantFrom('JWT', 'jwt'), { nil: undefined }) },
    { requiredKeys: ['alg'] },
  ),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<unknown>,
);

/** How the assertion is assembled: signed by the right key, another key, or not at all; then maybe mangled. */
const assertion = fc
  .record({
    header,
    claims: mutatedClaims,
    signer: usually('right', fc.constantFrom('other', 'none')),
    mangle: fc.option(fc.oneof(fc.record({ at: fc.nat(600), ch: fc.string({ minLength: 1, maxLength: 3 }) }), fc.constantFrom('drop-part', 'extra-part', 'spaces', 'standard-base64')), {
      nil: undefined,
      freq: 6,
    }),
  })
  .map(({ header: h, claims, signer, mangle }) => {
    // The header may be any JSON value (a string too), so both parts go in as exact JSON text.
    const input = signingInput(JSON.stringify(h) ?? 'null', JSON.stringify(claims(goodClaims(WORLD))));
    const sig = signer === 'none' ? '' : base64url(signatureOf('RS256', input, signer === 'right' ? testKeys().key : otherPrivateKey()));
    let jwt = `${input}.${sig}`;
    if (typeof mangle === 'object' && mangle !== null) jwt = `${jwt.slice(0, mangle.at)}${mangle.ch}${jwt.slice(mangle.at + 1)}`;
    if (mangle === 'drop-part') jwt = jwt.split('.').slice(0, 2).join('.');
    if (mangle === 'extra-part') jwt = `${jwt}.x`;
    if (mangle === 'spaces') jwt = ` ${jwt}\n`;
    if (mangle === 'standard-base64') jwt = jwt.replace(/-/g, '+').replace(/_/g, '/');
    return jwt;
  });

const form = fc
  .record({
    grantType: usually(JWT_GRANT, fc.oneof(fc.constantFrom('urn:ietf:params:oauth:grant-type', 'password', ''), fc.string({ maxLength: 20 }))),
    grantKey: usually('grant_type', fc.constantFrom('grand_type', 'Grant_Type')),
    assertion,
    extra: fc.array(
      fc.tuple(
        fc.string({ maxLength: 10 }).filter((k) => k !== 'grant_type' && k !== 'assertion'),
        fc.string({ maxLength: 20 }),
      ),
      { maxLength: 3 },
    ),
    encode: usually('form', fc.constantFrom('json', 'raw-percent')),
  })
  .map(({ grantType, grantKey, assertion: a, extra, encode }) => {
    if (encode === 'json') return JSON.stringify({ [grantKey]: grantType, assertion: a });
    const params = new URLSearchParams([[grantKey, grantType], ['assertion', a], ...extra]).toString();
    return encode === 'raw-percent' ? `${params}&x=%ZZ%E0%A4%A` : params;
  });

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: usually('POST', fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD')),
    path: usually('/services/oauth2/token', fc.oneof(fc.constantFrom('/services/oauth2/token/', '/SERVICES/oauth2/token', '/id/x/y', '/services/data/v60.0/limits', '/'), fc.webPath())),
    contentType: usually<string | undefined>(
      'application/x-www-form-urlencoded',
      fc.constantFrom(undefined, 'application/x-www-form-urlencoded; charset=ISO-8859-1', 'application/json', 'text/plain', 'multipart/form-data; boundary=x'),
    ),
    body: fc.oneof({ arbitrary: form, weight: 12 }, { arbitrary: fc.uint8Array({ maxLength: 512 }), weight: 1 }, { arbitrary: fc.string({ unit: 'binary', maxLength: 300 }), weight: 1 }),
    extraHeaders: usually<Record<string, string>>(
      {},
      fc.dictionary(
        fc.constantFrom('accept', 'grant_type', 'assertion', 'x-forwarded-for', 'authorization'),
        fc.string({ maxLength: 30 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
        { maxKeys: 2 },
      ),
    ),
    query: fc.option(form, { nil: undefined, freq: 6 }),
  })
  .map(({ method, path, contentType, body, extraHeaders, query }) => {
    const headers: Record<string, string> = { ...extraHeaders };
    if (contentType !== undefined) headers['content-type'] = contentType;
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const url = `https://login.salesforce.com${path.startsWith('/') ? path : `/${path}`}${query === undefined ? '' : `?${query}`}`;
    return { method, url, headers, body: method === 'GET' || method === 'HEAD' ? undefined : bytes };
  });

/** The parameters Salesforce reads, as a Java servlet reads them: the query string first, then a form body. */
function readParams(req: FuzzRequest): URLSearchParams {
  const params = new URLSearchParams(new URL(req.url).search);
  if (formContentType(req) === 'application/x-www-form-urlencoded') for (const [k, v] of new URLSearchParams(new TextDecoder().decode(req.body ?? new Uint8Array()))) params.append(k, v);
  return params;
}

const formContentType = (req: FuzzRequest) => req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
const isTokenEndpoint = (req: FuzzRequest) => new URL(req.url).pathname === '/services/oauth2/token';

/** The oracle: would Salesforce grant a token for this request? Checked independently of the mock's code. */
export function oracleGrants(req: FuzzRequest): boolean {
  if (req.method !== 'POST' || !isTokenEndpoint(req)) return false;
  const params = readParams(req);
  if (params.get('grant_type') !== JWT_GRANT) return false;
  const parts = (params.get('assertion') ?? '').trim().split('.');
  if (parts.length !== 3) return false;
  const [h = '', p = '', s = ''] = parts;
  try {
    if ((JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: unknown }).alg !== 'RS256') return false;
    const good = verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(testKeys().certificatePem), Buffer.from(s, 'base64url'));
    return good && /^[A-Za-z0-9_-]*$/.test(`${h}${p}${s}`);
  } catch {
    return false;
  }
}

/**
 * Salesforce's exact answer where the reference table fixes it before the assertion is read, or
 * undefined where the oracle does not model it: any method but POST on the token path gets "must
 * use HTTP POST" (HEAD and OPTIONS left out: no body, and a preflight); a POST whose first
 * grant_type (query string first, then a form body; a multipart body left out) is not the JWT
 * Bearer grant gets "grant type not supported".
 */
export function oracleAnswer(req: FuzzRequest): { status: number; body: string } | undefined {
  if (!isTokenEndpoint(req)) return undefined;
  if (['GET', 'PUT', 'DELETE', 'PATCH'].includes(req.method)) return { status: 400, body: SALESFORCE.mustUsePost };
  if (req.method !== 'POST' || formContentType(req)?.startsWith('multipart/') === true) return undefined;
  if (readParams(req).get('grant_type') !== JWT_GRANT) return { status: 400, body: SALESFORCE.unsupportedGrantType };
  return undefined;
}

export function fuzzOrg(): MockOrg {
  return new MockOrg({ world: testWorld(), clock: frozenClock(NOW), seed: 1, knobs: { loginRatePerHour: null, journalSize: 200 } });
}

/** One request through the mock's core, with a time limit so a hang fails instead of blocking. */
export async function handleWithin(org: MockOrg, req: FuzzRequest, ms = 2_000): Promise<{ status: number; body: string }> {
  const init: RequestInit = { method: req.method, headers: req.headers };
  if (req.body !== undefined) init.body = new Uint8Array(req.body);
  let timer: NodeJS.Timeout | undefined;
  const answer = org
    .handle(new Request(req.url, init), { host: 'login.salesforce.com', secure: true, clientIp: '127.0.0.1', urls: realHostUrls() })
    .then(async (r) => ({ status: r.status, body: await r.text() }));
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The property: a well-formed Salesforce answer, exactly Salesforce's where the oracle knows it, and
 * a token only when the oracle grants one. `tally` counts answers by status, and under `exact` the
 * cases whose answer the oracle fixed.
 */
export function tokenEndpointProperty(org: MockOrg, tally: Record<string, number> = {}) {
  return fc.asyncProperty(fuzzRequest, async (req) => {
    const { status, body } = await handleWithin(org, req);
    tally[status] = (tally[status] ?? 0) + 1;
    if (![200, 302, 400, 401, 403, 404, 413].includes(status)) throw new Error(`status ${status}`);
    if (status === 400 && isTokenEndpoint(req) && !SALESFORCE_ERROR_BODIES.has(body)) throw new Error(`not a Salesforce error body: ${body.slice(0, 200)}`);
    const known = oracleAnswer(req);
    if (known !== undefined) {
      if (status !== known.status || body !== known.body) throw new Error(`Salesforce answers ${known.status} ${known.body}, the mock ${status} ${body.slice(0, 200)}`);
      tally['exact'] = (tally['exact'] ?? 0) + 1;
    }
    const granted = status === 200 && body.includes('"access_token"');
    // The oracle does not model every check: it only vetoes. A grant it would refuse is a hole.
    if (granted && !oracleGrants(req)) throw new Error('a token was granted that the oracle refuses');
  });
}
