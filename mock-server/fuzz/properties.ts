/**
 * Property-based tests of the token endpoint with fast-check, shared by `npm test` (a fixed seed and
 * a few hundred cases) and `npm run fuzz` (many more). For arbitrary and mutated requests — methods,
 * headers, bodies, encodings, JWT segments, claim types, huge numbers, unicode, nested JSON — the mock
 * answers a well-formed Salesforce response, never a 500, never hangs, and never grants a token
 * unless an independent oracle agrees every check passed with the right key. Where the oracle knows
 * Salesforce's exact answer (a method other than POST, a grant_type that is not the JWT Bearer one),
 * the mock must give exactly that. The oracle's answers are written down in
 * testing/salesforce-answers.ts, never read from the mock's own outcome table.
 *
 * The hostile classes are generated too: `aud` spellings a URL parser would forgive (userinfo, a
 * query, `:443`, dot segments, `%2e`, tabs, ideographic full stops, fullwidth letters, soft hyphens),
 * signatures re-spelt in their unused base64url bits, forms of tens of thousands of parameters,
 * claims of hundreds of kilobytes, and the world's consumer secret sent as a claim. Whatever arrives,
 * the trace the journal keeps stays under TRACE_CEILING characters of JSON and never holds a secret.
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
/** A secret the journal must never keep, however a client sends it. */
const SECRET = WORLD.apps[0]?.consumerSecret ?? '';
/** What one stored trace may take as JSON, whatever the request: the README promises far less. */
export const TRACE_CEILING = 64 * 1024;

/** `aud` spellings: the lenient ones the documented leniency takes, and those it must refuse. */
const AUD_SPELLINGS = [
  'https://login.salesforce.com/',
  'HTTPS://LOGIN.SALESFORCE.COM',
  'login.salesforce.com',
  'https://x@login.salesforce.com',
  'https://login.salesforce.com?a=1',
  'https://login.salesforce.com#x',
  'https://login.salesforce.com:443',
  'https://login.salesforce.com/./',
  'https://login.salesforce.com//',
  'https://login%2esalesforce.com',
  'https://login.salesforce\t.com',
  'https://login.sales\nforce.com',
  'https://login\u3002salesforce\u3002com',
  'https://\uff4c\uff4f\uff47\uff49\uff4e.salesforce.com',
  'https://log\u00adin.salesforce.com',
  'http://login.salesforce.com',
  ' https://login.salesforce.com',
];

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

const claimValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER, -1, 0, NOW_S, NOW, '9'.repeat(40), 'CurrentTimeStemp+2min', '', null, SECRET),
  fc.constantFrom(...AUD_SPELLINGS),
  // A claim of up to 400 KB (a body just under the limit, once encoded): rare, it is slow to make.
  { arbitrary: fc.integer({ min: 10_000, max: 400_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
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
type ClaimsChange = (base: Record<string, unknown>) => Record<string, unknown>;
/** aud spelt one of the ways a URL parser would forgive (or the documented leniency takes). */
const audSpelt = fc.constantFrom(...AUD_SPELLINGS).map(
  (aud): ClaimsChange =>
    (base) => ({ ...base, aud }),
);
/** The consumer secret where a confused client puts it: as iss, sub or an extra claim. */
const secretSent = fc.constantFrom('iss', 'sub', 'client_secret').map(
  (name): ClaimsChange =>
    (base) => ({ ...base, [name]: SECRET }),
);
const mutatedClaims: fc.Arbitrary<ClaimsChange> = fc.oneof(
  { arbitrary: fc.constant(identity), weight: 12 },
  { arbitrary: mutatedClaimsRaw, weight: 2 },
  { arbitrary: audSpelt, weight: 1 },
  { arbitrary: secretSent, weight: 1 },
);

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
    mangle: fc.option(
      fc.oneof(fc.record({ at: fc.nat(600), ch: fc.string({ minLength: 1, maxLength: 3 }) }), fc.constantFrom('drop-part', 'extra-part', 'spaces', 'standard-base64', 'respell-signature')),
      {
        nil: undefined,
        freq: 6,
      },
    ),
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
    if (mangle === 'respell-signature') jwt = respellLast(jwt);
    return jwt;
  });

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same bytes in another spelling: the last character of a base64url text whose length leaves
 * unused bits (2 or 4) with some of those bits set. Decoders that ignore them read the same bytes.
 */
export function respellLast(text: string): string {
  const unused = { 2: 4, 3: 2 }[(text.length % 4) as 2 | 3];
  if (unused === undefined) return text;
  const at = B64URL.indexOf(text.at(-1) ?? '');
  if (at < 0) return text;
  return `${text.slice(0, -1)}${B64URL[at | ((1 << unused) - 1)] ?? ''}`;
}

/** Tens of thousands of parameters, empty or named, after the real ones: work bounded per request. */
const flood = fc.record({ n: fc.integer({ min: 2_000, max: 60_000 }), named: fc.boolean() }).map(({ n, named }) => (named ? '&a='.repeat(n) : '&'.repeat(n)));

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
    flooded: fc.option(flood, { nil: undefined, freq: 12 }),
  })
  .map(({ grantType, grantKey, assertion: a, extra, encode, flooded }) => {
    if (encode === 'json') return JSON.stringify({ [grantKey]: grantType, assertion: a });
    const params = new URLSearchParams([[grantKey, grantType], ['assertion', a], ...extra]).toString();
    return `${encode === 'raw-percent' ? `${params}&x=%ZZ%E0%A4%A` : params}${flooded ?? ''}`;
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

/**
 * Whether `aud` is the login host's audience under the documented leniency, and nothing more: the
 * exact URL, or it with the scheme and host in any letter case, one trailing slash, or no scheme.
 */
function audienceOk(aud: unknown): boolean {
  const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((v): v is string => typeof v === 'string') : [];
  return values.some((v) => /^(?:https:\/\/)?login\.salesforce\.com\/?$/i.test(v));
}

/** Whether a base64url text is the one spelling an encoder writes for its bytes. */
const canonical = (text: string) => Buffer.from(text, 'base64url').toString('base64url') === text;

/**
 * The oracle: would Salesforce grant a token for this request? Checked independently of the mock's
 * code. With `canonicalBase64url` (the knob on), a segment in another spelling of its bytes is refused.
 */
export function oracleGrants(req: FuzzRequest, options: { canonicalBase64url?: boolean } = {}): boolean {
  if (req.method !== 'POST' || !isTokenEndpoint(req)) return false;
  const params = readParams(req);
  if (params.get('grant_type') !== JWT_GRANT) return false;
  const parts = (params.get('assertion') ?? '').trim().split('.');
  if (parts.length !== 3) return false;
  const [h = '', p = '', s = ''] = parts;
  try {
    if ((JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: unknown }).alg !== 'RS256') return false;
    if (!audienceOk((JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud?: unknown }).aud)) return false;
    if (options.canonicalBase64url === true && ![h, p, s].every(canonical)) return false;
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

export function fuzzOrg(knobs: { canonicalBase64url?: boolean } = {}): MockOrg {
  return new MockOrg({ world: testWorld(), clock: frozenClock(NOW), seed: 1, knobs: { loginRatePerHour: null, journalSize: 200, ...knobs } });
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
export function tokenEndpointProperty(org: MockOrg, tally: Record<string, number> = {}, oracle: { canonicalBase64url?: boolean } = {}) {
  return fc.asyncProperty(fuzzRequest, async (req) => {
    const before = org.journal.total;
    const { status, body } = await handleWithin(org, req);
    if (org.journal.total !== before + 1) throw new Error(`the journal counted ${org.journal.total - before} requests for one`);
    const kept = JSON.stringify(org.journal.list(1)[0]);
    if (kept.length > TRACE_CEILING) throw new Error(`the journal kept a trace of ${kept.length} characters (ceiling ${TRACE_CEILING})`);
    if (SECRET !== '' && kept.includes(SECRET)) throw new Error('the journal kept the consumer secret');
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
    if (granted && !oracleGrants(req, oracle)) throw new Error('a token was granted that the oracle refuses');
  });
}
