/**
 * The `assertion` parameter and its JOSE header: three base64url parts, a JSON object header and
 * payload, and `alg` RS256 (the only algorithm Salesforce accepts: no HS256, no `none`, no ECDSA).
 * `kid`, `jku`, `jwk` and `x5u` headers are ignored: the certificate always comes from the app.
 */
import { type Check, type DecodedAssertion, fail, found, pass, show, skip } from '../check.ts';

const INSPECT = 'npx sfjwt inspect <JWT>';

const B64URL = /^[A-Za-z0-9_-]*$/;

/** Deepest nesting accepted in a header or payload; Jackson, Salesforce's JSON parser, defaults to 1000. */
export const MAX_JSON_DEPTH = 1000;

/** Nesting depth of a parsed JSON value, walked without recursion so a hostile value cannot overflow the stack. */
function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (d > max) max = d;
    if (d > MAX_JSON_DEPTH) return d;
    if (v !== null && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

function decodeJsonPart(part: string): Record<string, unknown> | string {
  if (!B64URL.test(part)) return 'is not base64url (it holds characters outside A-Z a-z 0-9 - _; standard base64 "+", "/" or "=" padding are not allowed)';
  const text = Buffer.from(part, 'base64url').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return `is not valid JSON (${(cause as Error).message.replace(/^JSON\.parse: /, '')}): check for a missing quote or comma`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is JSON but not an object';
  if (jsonDepth(value) > MAX_JSON_DEPTH) return `nests JSON deeper than ${MAX_JSON_DEPTH} levels`;
  return value as Record<string, unknown>;
}

/** Decodes a compact JWS, or says what is wrong with it. */
export function decodeAssertion(raw: string): DecodedAssertion | string {
  const parts = raw.split('.');
  if (parts.length !== 3) return `has ${parts.length} part${parts.length === 1 ? '' : 's'} separated by "."; a signed JWT has 3 (header.payload.signature)`;
  const [h = '', p = '', s = ''] = parts;
  const header = decodeJsonPart(h);
  if (typeof header === 'string') return `header ${header}`;
  const payload = decodeJsonPart(p);
  if (typeof payload === 'string') return `payload ${payload}`;
  if (!B64URL.test(s)) return 'signature is not base64url';
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

export const assertionCheck: Check = {
  id: 'assertion',
  title: 'assertion is a well-formed JWT',
  level: 'MUST',
  confidence: 'OBS1',
  description: 'The assertion parameter is a compact JWS: base64url header, payload and signature separated by dots, header and payload JSON objects.',
  outcomes: ['invalidAssertion'],
  knobs: [],
  rootCause: {
    title: 'The assertion is not a well-formed JWT',
    fix: 'Send the compact JWT exactly as the signing library produced it (three base64url parts, JSON header and payload) in the assertion form field.',
  },
  confirm: `${INSPECT} reports jwt-malformed: not three base64url parts, or a header or payload that is not JSON.`,
  run(ctx) {
    const expected = 'a compact JWS: base64url(header).base64url(payload).base64url(signature)';
    const raw = ctx.params.get('assertion');
    if (raw === null || raw === '') {
      return fail('invalidAssertion', expected, raw === null ? 'no assertion parameter' : 'an empty assertion', 'Send the signed JWT in the assertion form field.');
    }
    const decoded = decodeAssertion(raw.trim());
    if (typeof decoded === 'string') {
      const fix = decoded.includes('JSON')
        ? 'Build the claims with a JSON library rather than by string concatenation.'
        : 'Send the compact JWT exactly as the signing library produced it (base64url, three parts, no spaces or quotes).';
      return fail('invalidAssertion', expected, `the assertion ${decoded}`, fix);
    }
    return found({ assertion: decoded }, expected, 'a JWT with a JSON header and payload', raw !== raw.trim() ? 'white space around the assertion was ignored' : undefined);
  },
};

export const algCheck: Check = {
  id: 'alg',
  title: 'alg is RS256',
  level: 'MUST',
  confidence: 'INF',
  description: 'Salesforce verifies RSA SHA-256 signatures only: alg must be RS256 (HS256, none, ES256 and RS512 are refused).',
  outcomes: ['invalidAssertion'],
  knobs: [],
  rootCause: { title: 'The assertion is not signed with RS256', fix: 'Sign with RS256 (RSA with SHA-256) using the private key whose certificate is on the connected app.' },
  confirm: `${INSPECT} shows the header's alg: anything but RS256 is refused.`,
  run(_ctx, { assertion }) {
    if (assertion === undefined) return skip('no decodable assertion');
    const alg = assertion.header['alg'];
    if (alg === 'RS256') {
      const extra = ['kid', 'jku', 'jwk', 'x5u', 'x5c'].filter((k) => k in assertion.header);
      return pass('"RS256"', show(alg), extra.length > 0 ? `header ${extra.join(', ')} ignored: the certificate comes from the connected app` : undefined);
    }
    let fix = 'Sign with RS256 (RSA with SHA-256) using the private key whose certificate is on the connected app.';
    if (alg === 'HS256') fix = 'HMAC-SHA256 with the key text as a secret is not accepted: sign with RS256 (RSA SHA-256) and the private key.';
    if (alg === 'none' || alg === undefined) fix = 'An unsigned JWT is never accepted: sign it with RS256 and the private key.';
    if (typeof alg === 'string' && alg.startsWith('ES')) fix = 'ECDSA keys are not accepted: use an RSA key pair (2048 bits or more) and RS256.';
    return fail('invalidAssertion', '"RS256"', alg === undefined ? 'no alg' : show(alg), fix);
  },
};
