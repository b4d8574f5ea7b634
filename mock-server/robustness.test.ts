/**
 * The mock never answers 500 and never falls over, whatever arrives: garbage and random binary form
 * bodies, invalid UTF-8 and latin-1 bytes, broken percent-encoding, assertions whose parts are broken
 * base64, JSON that is not an object or is nested 10,000 levels deep, absurd `exp` values, unicode
 * claims and duplicated parameters. Bodies over the 1 MiB limit get 413 and malformed HTTP gets a
 * bare 400, and the server keeps serving the next good request. Everything runs over real HTTP and
 * HTTPS servers on 127.0.0.1:0 and, where an in-process client can send it, through msw.
 */
import { connect } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signCompact } from '../lib/jws.ts';
import { salesforceHandlers } from './adapters/msw.ts';
import { type StartedMockOrg, startMockOrg } from './adapters/node-server.ts';
import { frozenClock } from './core/clock.ts';
import { MockOrg } from './core/mock-org.ts';
import { goodClaims, JWT_GRANT, NOW, NOW_S, signAssertion, testKeys, testStateDir, testWorld } from './testing/fixtures.ts';
import { SALESFORCE, SALESFORCE_ERROR_BODIES, TOO_LARGE_BODY } from './testing/salesforce-answers.ts';
import { sendOverNode } from './testing/transports.ts';

const LOGIN = 'login.salesforce.com';
const TOKEN_PATH = '/services/oauth2/token';
const FORM = 'application/x-www-form-urlencoded';
const MiB = 1024 * 1024;

const UNSUPPORTED = SALESFORCE.unsupportedGrantType;
const INVALID_ASSERTION = SALESFORCE.invalidAssertion;
const CLIENT_INVALID = SALESFORCE.clientIdentifierInvalid;
const AUDIENCE = SALESFORCE.audienceInvalid;
const EXPIRED = SALESFORCE.expired;
const NOT_APPROVED = SALESFORCE.notApproved;

// ---------------------------------------------------------------------------------------------
// Deterministic bytes and assertion builders.

/** Numerical Recipes LCG: the same seed gives the same bytes on every run and machine. */
function lcgBytes(seed: number, length: number): Buffer {
  let state = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const RS256 = b64('{"alg":"RS256"}');
const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/** A compact JWS over exactly these header and payload bytes, signed with the test key (a valid RS256 signature). */
function signRaw(header: string | Buffer, payload: string | Buffer): string {
  return signCompact({ header, payload, alg: 'RS256', key: testKeys().key });
}

/** The good claims as JSON text with one more member appended verbatim (a raw JSON value). */
function claimsWith(extra: string, overrides: Record<string, unknown> = {}): string {
  return `${JSON.stringify(goodClaims(WORLD, overrides)).slice(0, -1)},${extra}}`;
}

/** The good claims as JSON text with the `exp` member's value written verbatim. */
function claimsWithRawExp(rawExp: string): string {
  const { exp: _exp, ...rest } = goodClaims(WORLD);
  return `${JSON.stringify(rest).slice(0, -1)},"exp":${rawExp}}`;
}

const form = (...fields: [string, string][]) => Buffer.from(new URLSearchParams(fields).toString());
const bytes = (...parts: (string | Buffer | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const WORLD = testWorld();
// RS256 is deterministic: the good assertion is the same bytes every time, so it is signed once.
let goodAssertion: string | undefined;
const good = () => (goodAssertion ??= signAssertion({ claims: goodClaims(WORLD) }));

// ---------------------------------------------------------------------------------------------
// One raw client per transport: exact request bytes in, status, headers and body bytes out.

interface RawRequest {
  host?: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** HTTP transports: Transfer-Encoding: chunked in 64 KiB writes, no Content-Length. */
  chunked?: boolean;
}

interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

interface Client {
  name: 'msw' | 'http' | 'https';
  org: MockOrg;
  send(req: RawRequest): Promise<RawResponse>;
  close(): Promise<void>;
  started?: StartedMockOrg;
}

async function serverClient(tls: boolean): Promise<Client> {
  const started = await startMockOrg({ world: testWorld(), clock: frozenClock(NOW), seed: 7, stateDir: testStateDir(), tls });
  return {
    name: tls ? 'https' : 'http',
    org: started.org,
    started,
    send: (req) => sendOverNode(started, tls, { ...req, host: req.host ?? LOGIN, path: req.path ?? TOKEN_PATH }),
    close: () => started.close(),
  };
}

function mswClient(): Client {
  const org = new MockOrg({ world: testWorld(), clock: frozenClock(NOW), seed: 7 });
  const server = setupServer(...salesforceHandlers(org));
  server.listen({ onUnhandledRequest: 'error' });
  return {
    name: 'msw',
    org,
    async send(req) {
      const method = req.method ?? 'POST';
      const init: RequestInit = { method, headers: req.headers ?? {}, redirect: 'manual' };
      if (req.body !== undefined && method !== 'GET' && method !== 'HEAD') init.body = new Uint8Array(req.body);
      const res = await fetch(`https://${req.host ?? LOGIN}${req.path ?? TOKEN_PATH}`, init);
      return { status: res.status, headers: res.headers, body: await res.text() };
    },
    close: async () => server.close(),
  };
}

const ACCESS_TOKEN = /^00D[A-Za-z0-9]{12}!AQ[A-Za-z0-9._]{94}$/;

async function expectStillServing(c: Client): Promise<void> {
  const res = await c.send({ headers: { 'Content-Type': FORM }, body: form(['grant_type', JWT_GRANT], ['assertion', await good()]) });
  expect(res.status).toBe(200);
  expect((JSON.parse(res.body) as Record<string, string>)['access_token']).toMatch(ACCESS_TOKEN);
}

// ---------------------------------------------------------------------------------------------
// The table.

type Expected = string | 'token' | 'html404';

interface Row {
  name: string;
  /** Content-Type to send; null for none. Default application/x-www-form-urlencoded. */
  contentType?: string | null;
  path?: string;
  body: () => Buffer | Promise<Buffer>;
  status: number;
  /** Exact error body bytes, 'token' for a success, 'html404' for the not-found page. */
  expect: Expected;
}

/** Rejects when `promise` has not settled within `ms` (so a hanging request fails fast instead of at the test timeout). */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const rows: Row[] = [
  // Garbage forms.
  { name: 'garbage separators', body: () => Buffer.from('&&&==&=&%%%&&'), status: 400, expect: UNSUPPORTED },
  { name: 'grant_type key without a value', body: () => Buffer.from('grant_type'), status: 400, expect: UNSUPPORTED },
  { name: '10,000 equals signs', body: () => Buffer.from('='.repeat(10_000)), status: 400, expect: UNSUPPORTED },
  { name: '100,000 parameters', body: () => Buffer.from('a=1&'.repeat(100_000)), status: 400, expect: UNSUPPORTED },
  { name: 'NUL bytes', body: () => bytes('grant_type=\0\0&assertion=\0'), status: 400, expect: UNSUPPORTED },
  { name: 'an assertion of five parts', body: () => form(['grant_type', JWT_GRANT], ['assertion', 'a.b.c.d.e']), status: 400, expect: INVALID_ASSERTION },
  { name: 'empty body with a form Content-Type', body: () => Buffer.alloc(0), status: 400, expect: UNSUPPORTED },
  // Random binary bodies (seeded, so the same bytes every run).
  ...(
    [
      [1, 1],
      [2, 512],
      [3, 4096],
      [4, 65_536],
    ] as const
  ).map(([seed, size]): Row => ({ name: `random bytes, seed ${seed}, ${size} B, form Content-Type`, body: () => lcgBytes(seed, size), status: 400, expect: UNSUPPORTED })),
  { name: 'random bytes as application/octet-stream', contentType: 'application/octet-stream', body: () => lcgBytes(5, 8192), status: 400, expect: UNSUPPORTED },
  { name: 'random bytes without a Content-Type', contentType: null, body: () => lcgBytes(6, 8192), status: 400, expect: UNSUPPORTED },
  { name: 'random bytes as the assertion', body: () => bytes(`grant_type=${encodeURIComponent(JWT_GRANT)}&assertion=`, lcgBytes(7, 2048)), status: 400, expect: INVALID_ASSERTION },
  {
    name: 'random bytes base64url-encoded as three parts',
    body: () => form(['grant_type', JWT_GRANT], ['assertion', `${b64(lcgBytes(8, 64))}.${b64(lcgBytes(9, 256))}.${b64(lcgBytes(10, 256))}`]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  // Invalid UTF-8.
  { name: 'invalid UTF-8 in the assertion', body: () => bytes(`grant_type=${encodeURIComponent(JWT_GRANT)}&assertion=`, [0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), status: 400, expect: INVALID_ASSERTION },
  { name: 'invalid UTF-8 after the grant_type', body: () => bytes(`grant_type=${encodeURIComponent(JWT_GRANT)}`, [0xc3, 0x28], '&assertion=x.y.z'), status: 400, expect: UNSUPPORTED },
  { name: 'percent-encoded invalid UTF-8 in the assertion', body: () => Buffer.from(`grant_type=${encodeURIComponent(JWT_GRANT)}&assertion=%FF%FE%C3%28`), status: 400, expect: INVALID_ASSERTION },
  {
    name: 'invalid UTF-8 in an extra parameter of a good request',
    body: async () => bytes(form(['grant_type', JWT_GRANT], ['assertion', await good()]), '&note=', [0xff, 0xc0, 0x80]),
    status: 200,
    expect: 'token',
  },
  {
    name: 'invalid UTF-8 inside the signed sub claim',
    body: () => {
      const [before = '', after = ''] = JSON.stringify(goodClaims(WORLD, { sub: 'XX' })).split('XX');
      return form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', bytes(before, [0xff, 0xfe], '@acme.com', after))]);
    },
    status: 400,
    expect: NOT_APPROVED,
  },
  // Latin-1 with charset=ISO-8859-1 (the mock reads bodies as UTF-8, with bad bytes replaced).
  {
    name: 'latin-1 bytes in an extra parameter of a good request',
    contentType: `${FORM}; charset=ISO-8859-1`,
    body: async () => bytes(form(['grant_type', JWT_GRANT], ['assertion', await good()]), '&note=J\xf6rg M\xfcller'),
    status: 200,
    expect: 'token',
  },
  {
    name: 'latin-1 bytes as the assertion',
    contentType: `${FORM}; charset=ISO-8859-1`,
    body: () => bytes(`grant_type=${encodeURIComponent(JWT_GRANT)}&assertion=\xe9t\xe9.\xe0.\xff`),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  {
    name: 'latin-1 bytes in the grant_type',
    contentType: `${FORM}; charset=ISO-8859-1`,
    body: () => bytes('grant_type=urn:ietf:params:oauth:grant-type:jwt-b\xe9arer&assertion=a.b.c'),
    status: 400,
    expect: UNSUPPORTED,
  },
  {
    name: 'latin-1 sub inside a signed assertion',
    contentType: `${FORM}; charset=ISO-8859-1`,
    body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', bytes(JSON.stringify(goodClaims(WORLD, { sub: 'J\xf6rg@acme.com' }))))]),
    status: 400,
    expect: NOT_APPROVED,
  },
  // Percent-encoding errors.
  { name: '%ZZ as the grant_type', body: () => Buffer.from('grant_type=%ZZ&assertion=%'), status: 400, expect: UNSUPPORTED },
  { name: '%ZZ and a cut-off escape in the assertion', body: () => Buffer.from(`grant_type=${encodeURIComponent(JWT_GRANT)}&assertion=%ZZ%E0%A4%A`), status: 400, expect: INVALID_ASSERTION },
  { name: '%ZZ after a good grant_type', body: () => Buffer.from(`grant_type=${encodeURIComponent(JWT_GRANT)}%ZZ&assertion=a.b.c`), status: 400, expect: UNSUPPORTED },
  { name: 'every character of a good request percent-encoded', body: async () => Buffer.from(`grant_type=${pctAll(JWT_GRANT)}&assertion=${pctAll(await good())}`), status: 200, expect: 'token' },
  { name: '%ZZ in the path', path: `${TOKEN_PATH}%ZZ`, body: async () => form(['grant_type', JWT_GRANT], ['assertion', await good()]), status: 404, expect: 'html404' },
  { name: 'a cut-off UTF-8 escape in the path', path: `${TOKEN_PATH}/%E0%A4%A`, body: async () => form(['grant_type', JWT_GRANT], ['assertion', await good()]), status: 404, expect: 'html404' },
  {
    name: '%ZZ in the query string of a good form POST (the query is read first)',
    path: `${TOKEN_PATH}?grant_type=%ZZ&x=%`,
    body: async () => form(['grant_type', JWT_GRANT], ['assertion', await good()]),
    status: 400,
    expect: UNSUPPORTED,
  },
  {
    name: 'a broken escape in an unused query parameter of a good form POST',
    path: `${TOKEN_PATH}?x=%ZZ&y=%`,
    body: async () => form(['grant_type', JWT_GRANT], ['assertion', await good()]),
    status: 200,
    expect: 'token',
  },
  // Assertion parts.
  { name: 'header not base64url', body: async () => form(['grant_type', JWT_GRANT], ['assertion', `!!!.${(await good()).split('.').slice(1).join('.')}`]), status: 400, expect: INVALID_ASSERTION },
  {
    name: 'payload in standard base64 with + / =',
    body: () => form(['grant_type', JWT_GRANT], ['assertion', `${RS256}.${paddedStandardBase64(JSON.stringify(goodClaims(WORLD)))}.AAAA`]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  { name: 'signature with = padding', body: async () => form(['grant_type', JWT_GRANT], ['assertion', `${await good()}==`]), status: 400, expect: INVALID_ASSERTION },
  { name: 'payload not JSON', body: () => form(['grant_type', JWT_GRANT], ['assertion', `${RS256}.${b64('not json at all')}.AAAA`]), status: 400, expect: INVALID_ASSERTION },
  { name: 'payload a JSON array', body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', '[1,2,3]')]), status: 400, expect: INVALID_ASSERTION },
  { name: 'payload a JSON number', body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', '42')]), status: 400, expect: INVALID_ASSERTION },
  { name: 'payload JSON null', body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', 'null')]), status: 400, expect: INVALID_ASSERTION },
  { name: 'payload a JSON string', body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', '"integration@acme.com"')]), status: 400, expect: INVALID_ASSERTION },
  { name: 'header a JSON array', body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('["RS256"]', JSON.stringify(goodClaims(WORLD)))]), status: 400, expect: INVALID_ASSERTION },
  { name: 'payload 10,000 levels of [[[', body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', deepArray(10_000))]), status: 400, expect: INVALID_ASSERTION },
  {
    name: 'header 10,000 levels of [[[',
    body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw(deepArray(10_000), JSON.stringify(goodClaims(WORLD)))]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  { name: 'payload 10,000 levels of {"a":', body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', deepObject(10_000))]), status: 400, expect: INVALID_ASSERTION },
  {
    name: 'an unread claim nested 10,000 levels deep',
    body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', claimsWith(`"x":${deepArray(10_000)}`))]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  {
    name: 'an unread claim nested 500 levels deep (no limit hit)',
    body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', claimsWith(`"x":${deepArray(500)}`))]),
    status: 200,
    expect: 'token',
  },
  { name: 'an assertion of 900 KB', body: () => form(['grant_type', JWT_GRANT], ['assertion', `${RS256}.${'A'.repeat(900_000)}.AAAA`]), status: 400, expect: INVALID_ASSERTION },
  {
    name: 'alg nested 10,000 levels deep',
    body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw(`{"alg":${deepArray(10_000)}}`, JSON.stringify(goodClaims(WORLD)))]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  {
    name: 'aud nested 10,000 levels deep',
    body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', claimsWith(`"aud":${deepArray(10_000)}`))]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  {
    name: 'exp nested 10,000 levels deep',
    body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', claimsWithRawExp(deepArray(10_000)))]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  // exp.
  { name: 'exp 1e308', body: async () => form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: goodClaims(WORLD, { exp: 1e308 }) })]), status: 200, expect: 'token' },
  {
    name: 'exp "9".repeat(400) as a string of digits (too large to be a time)',
    body: async () => form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: goodClaims(WORLD, { exp: '9'.repeat(400) }) })]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  {
    name: 'exp 9…9 (400 digits) as a JSON number (parses to Infinity)',
    body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', claimsWithRawExp('9'.repeat(400)))]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  { name: 'exp 1e999 (Infinity)', body: () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', claimsWithRawExp('1e999'))]), status: 400, expect: INVALID_ASSERTION },
  { name: 'exp 0', body: async () => form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: goodClaims(WORLD, { exp: 0 }) })]), status: 400, expect: EXPIRED },
  { name: 'exp -1', body: async () => form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: goodClaims(WORLD, { exp: -1 }) })]), status: 400, expect: EXPIRED },
  { name: 'exp -1e308', body: async () => form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: goodClaims(WORLD, { exp: -1e308 }) })]), status: 400, expect: EXPIRED },
  {
    name: 'exp -1e13 on an unsigned assertion',
    body: () => form(['grant_type', JWT_GRANT], ['assertion', `${RS256}.${b64(JSON.stringify(goodClaims(WORLD, { exp: -1e13 })))}.AAAA`]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  {
    name: 'exp an object',
    body: async () => form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: goodClaims(WORLD, { exp: { seconds: NOW_S + 60 } }) })]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  // Unicode claims.
  {
    name: 'CJK username as sub',
    body: async () => form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: goodClaims(WORLD, { sub: '統合@acme.com' }) })]),
    status: 400,
    expect: NOT_APPROVED,
  },
  {
    name: 'emoji username as sub',
    body: async () => form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: goodClaims(WORLD, { sub: '🔑🔑@acme.com' }) })]),
    status: 400,
    expect: NOT_APPROVED,
  },
  {
    name: 'lone surrogate as iss',
    body: async () => form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: goodClaims(WORLD, { iss: '\ud800' }) })]),
    status: 400,
    expect: CLIENT_INVALID,
  },
  {
    name: 'Cyrillic о in the aud host',
    body: async () => form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: goodClaims(WORLD, { aud: 'https://lоgin.salesforce.com' }) })]),
    status: 400,
    expect: AUDIENCE,
  },
  {
    name: 'Cyrillic ѕ in the claim name sub',
    body: async () => {
      const { sub, ...rest } = goodClaims(WORLD);
      return form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: { ...rest, ѕub: sub } })]);
    },
    status: 400,
    expect: NOT_APPROVED,
  },
  {
    name: 'zero-width space after RS256',
    body: async () => form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256\\u200b"}', JSON.stringify(goodClaims(WORLD)))]),
    status: 400,
    expect: INVALID_ASSERTION,
  },
  {
    name: 'unicode in an extra claim',
    body: async () => form(['grant_type', JWT_GRANT], ['assertion', await signAssertion({ claims: goodClaims(WORLD, { note: 'Zoë 🧪 統合 \u202e' }) })]),
    status: 200,
    expect: 'token',
  },
  // Duplicate parameters, read as a Java servlet reads them: query string first, then the body; the first value wins.
  { name: 'grant_type twice, the good one last', body: async () => form(['grant_type', 'password'], ['grant_type', JWT_GRANT], ['assertion', await good()]), status: 400, expect: UNSUPPORTED },
  { name: 'grant_type twice, the good one first', body: async () => form(['grant_type', JWT_GRANT], ['grant_type', 'password'], ['assertion', await good()]), status: 200, expect: 'token' },
  { name: 'assertion twice, garbage last', body: async () => form(['grant_type', JWT_GRANT], ['assertion', await good()], ['assertion', 'garbage']), status: 200, expect: 'token' },
  { name: 'assertion twice, the good one last', body: async () => form(['grant_type', JWT_GRANT], ['assertion', 'garbage'], ['assertion', await good()]), status: 400, expect: INVALID_ASSERTION },
  {
    name: 'grant_type=password in the query, the good one in the body',
    path: `${TOKEN_PATH}?grant_type=password`,
    body: async () => form(['grant_type', JWT_GRANT], ['assertion', await good()]),
    status: 400,
    expect: UNSUPPORTED,
  },
  {
    name: 'good params in the query, grant_type=password in the body',
    path: `${TOKEN_PATH}?grant_type=${encodeURIComponent(JWT_GRANT)}`,
    body: async () => form(['grant_type', 'password'], ['assertion', await good()]),
    status: 200,
    expect: 'token',
  },
];

/** Standard base64 (with "=" padding, so never valid base64url) of a JSON object's text. */
function paddedStandardBase64(json: string): string {
  let text = json;
  while (Buffer.byteLength(text) % 3 === 0) text = `${text.slice(0, -1)} }`;
  const out = Buffer.from(text).toString('base64');
  if (!out.endsWith('=')) throw new Error('expected padding');
  return out;
}

function pctAll(s: string): string {
  return [...Buffer.from(s)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

const CLIENTS = ['msw', 'http', 'https'] as const;

describe.each(CLIENTS)('over %s', (name) => {
  let c: Client;
  beforeAll(async () => {
    c = name === 'msw' ? mswClient() : await serverClient(name === 'https');
  });
  afterAll(async () => c.close());
  beforeEach(() => c.org.reset());

  const run = async (row: Row) => {
    const headers: Record<string, string> = {};
    if (row.contentType !== null) headers['Content-Type'] = row.contentType ?? FORM;
    const res = await c.send({ headers, body: await row.body(), ...(row.path === undefined ? {} : { path: row.path }) });
    expect(res.status).toBeLessThan(500);
    expect(res.status).toBe(row.status);
    if (row.expect === 'token') {
      expect((JSON.parse(res.body) as Record<string, string>)['access_token']).toMatch(ACCESS_TOKEN);
    } else if (row.expect === 'html404') {
      expect(res.headers.get('content-type')).toBe('text/html;charset=UTF-8');
      expect(res.body).toContain('<title>URL No Longer Exists</title>');
    } else {
      expect(SALESFORCE_ERROR_BODIES.has(res.body)).toBe(true);
      expect(res.body).toBe(row.expect);
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    }
    await expectStillServing(c);
  };

  it.each(rows.map((r) => [r.name, r] as const))('%s', async (_n, row) => run(row));

  describe('body size limit (1 MiB)', () => {
    it('a body of exactly 1 MiB is read (and is not a form of grant_type)', async () => {
      const res = await c.send({ headers: { 'Content-Type': FORM }, body: Buffer.alloc(MiB, 'a') });
      expect(res.status).toBe(400);
      expect(res.body).toBe(UNSUPPORTED);
    });

    // `within` makes a hang (as once under msw) fail in 2 s rather than at the test timeout.
    it('1 MiB + 1 byte with Content-Length gets 413, then a good request is served', async () => {
      const res = await within(2000, c.send({ headers: { 'Content-Type': FORM }, body: Buffer.alloc(MiB + 1, 'a') }));
      expect(res.status).toBe(413);
      expect(res.body).toBe(TOO_LARGE_BODY);
      expect(res.headers.get('content-type')).toBe('text/html;charset=UTF-8');
      if (name !== 'msw') expect(res.headers.get('connection')).toBe('close');
      const trace = c.org.journal.list(1)[0];
      expect(trace?.outcome).toBe('payloadTooLarge');
      await expectStillServing(c);
    });

    it.runIf(name !== 'msw')('1 MiB + 1 byte chunked (no Content-Length) gets 413, then a good request is served', async () => {
      const res = await c.send({ headers: { 'Content-Type': FORM }, body: Buffer.alloc(MiB + 1, 'a'), chunked: true });
      expect(res.status).toBe(413);
      expect(res.body).toBe(TOO_LARGE_BODY);
      await expectStillServing(c);
    });

    it.runIf(name !== 'msw')('8 MiB of random bytes chunked gets 413, then a good request is served', async () => {
      const res = await c.send({ headers: { 'Content-Type': FORM }, body: lcgBytes(11, 8 * MiB), chunked: true });
      expect(res.status).toBe(413);
      expect(res.body).toBe(TOO_LARGE_BODY);
      await expectStillServing(c);
    });
  });

  describe('admin API after hostile token requests', () => {
    it('the journal of the garbage above renders (no secrets, no 500)', async () => {
      await c.send({ headers: { 'Content-Type': FORM }, body: lcgBytes(12, 4096) });
      await c.send({ headers: { 'Content-Type': FORM }, body: form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', deepObject(500))]) });
      const res = await c.send({ method: 'GET', path: '/__sfjwt/journal' });
      expect(res.status).toBe(200);
      expect((JSON.parse(res.body) as { total: number }).total).toBe(2);
    });

    it('the journal renders after an assertion with a claim nested 10,000 levels deep', async () => {
      const token = await c.send({ headers: { 'Content-Type': FORM }, body: form(['grant_type', JWT_GRANT], ['assertion', signRaw('{"alg":"RS256"}', claimsWith(`"x":${deepArray(10_000)}`))]) });
      expect(token.status).toBeLessThan(500);
      const res = await c.send({ method: 'GET', path: '/__sfjwt/journal' });
      expect(res.status).toBeLessThan(500);
      expect(res.status).toBe(200);
    });

    it('GET /__sfjwt/traces/%ZZ answers 404, not 500', async () => {
      const res = await c.send({ method: 'GET', path: '/__sfjwt/traces/%ZZ' });
      expect(res.status).toBeLessThan(500);
      expect(res.status).toBe(404);
    });
  });
});

describe('malformed HTTP over a raw socket (http mode)', () => {
  let started: StartedMockOrg;
  let c: Client;
  beforeAll(async () => {
    c = await serverClient(false);
    if (c.started === undefined) throw new Error('no server');
    started = c.started;
  });
  afterAll(async () => c.close());

  const rawExchange = (data: Buffer) =>
    new Promise<string>((resolve, reject) => {
      const port = Number(new URL(started.login).port);
      const chunks: Buffer[] = [];
      const socket = connect(port, '127.0.0.1', () => socket.write(data));
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.on('error', reject);
      socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    });

  it.each([
    ['a request line that is one word', Buffer.from('GARBAGE\r\n\r\n')],
    ['an unknown HTTP version', Buffer.from('GET / HTTP/9.9\r\n\r\n')],
    ['an unknown method', Buffer.from(`FOO ${TOKEN_PATH} HTTP/1.1\r\nHost: x\r\n\r\n`)],
    ['a NUL in the request target', Buffer.from('GET /\0 HTTP/1.1\r\n\r\n')],
    ['a header line without a colon', Buffer.from('GET / HTTP/1.1\r\nno colon here\r\n\r\n')],
    ['Content-Length that is not a number', Buffer.from(`POST ${TOKEN_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`)],
    ['Content-Length of 23 digits', Buffer.from(`POST ${TOKEN_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: ${'9'.repeat(23)}\r\n\r\n`)],
    ['Content-Length with Transfer-Encoding: chunked', Buffer.from(`POST ${TOKEN_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n`)],
    ['a chunk size that is not hex', Buffer.from(`POST ${TOKEN_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n`)],
    ['a Host header that is not a host', Buffer.from(`GET ${TOKEN_PATH} HTTP/1.1\r\nHost: [\r\nConnection: close\r\n\r\n`)],
    ['random bytes then a blank line', Buffer.concat([Buffer.from('X'), lcgBytes(13, 300).map((b) => (b === 0x0d || b === 0x0a ? 0x20 : b)), Buffer.from('\r\n\r\n')])],
  ])('%s gets HTTP/1.1 400 and the server keeps serving', async (_n, data) => {
    const answer = await rawExchange(data);
    expect(answer.startsWith('HTTP/1.1 400 ')).toBe(true);
    await expectStillServing(c);
  });
});
