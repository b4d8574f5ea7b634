/**
 * The `assertion` parameter and its JOSE header: three base64url parts, a JSON object header and
 * payload, and `alg` RS256 (the only algorithm Salesforce accepts: no HS256, no `none`, no ECDSA).
 * `kid`, `jku`, `jwk` and `x5u` headers are ignored: the certificate always comes from the app.
 * With the canonicalBase64url knob each part must also be the one spelling an encoder writes for its
 * bytes (RFC 4648 §3.5), so a signature re-spelt in its unused bits is not the same signature.
 */
import { type Check, type DecodedAssertion, fail, found, pass, show, skip } from '../check.ts';

const INSPECT = 'npx sfjwt inspect <JWT>';

const B64URL = /^[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export interface DecodeOptions {
  /** Refuse a part that is not the canonical base64url of its bytes (the canonicalBase64url knob). */
  canonical?: boolean;
}

/**
 * Why base64url text (already known to be of the alphabet) is not the canonical spelling of its
 * bytes, or undefined when it is. 4n+2 characters carry one byte and 4 unused bits, 4n+3 two bytes and
 * 2 unused bits; an encoder writes them as zeros, and 4n+1 characters are no encoding at all. Node's
 * decoder ignores both (java.util.Base64 the unused bits), so the same bytes have up to 16 spellings.
 */
function nonCanonical(part: string): string | undefined {
  const rest = part.length % 4;
  if (rest === 1) return 'it has one character too many (base64url text is never 4n+1 characters long)';
  if (rest === 0) return undefined;
  const last = ALPHABET.indexOf(part.at(-1) ?? 'A');
  const unused = rest === 2 ? 0b1111 : 0b11;
  if ((last & unused) === 0) return undefined;
  return `its last character "${ALPHABET[last]}" sets bits beyond the bytes it encodes (an encoder writes "${ALPHABET[last & ~unused]}")`;
}

/** Why a part is not base64url (canonical, if asked), or undefined when it is. */
function notBase64url(part: string, options: DecodeOptions): string | undefined {
  if (!B64URL.test(part)) return 'is not base64url (it holds characters outside A-Z a-z 0-9 - _; standard base64 "+", "/" or "=" padding are not allowed)';
  const why = options.canonical === true ? nonCanonical(part) : undefined;
  return why === undefined ? undefined : `is not canonical base64url: ${why}`;
}

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

function decodeJsonPart(part: string, options: DecodeOptions): Record<string, unknown> | string {
  const bad = notBase64url(part, options);
  if (bad !== undefined) return bad;
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
export function decodeAssertion(raw: string, options: DecodeOptions = {}): DecodedAssertion | string {
  const parts = raw.split('.');
  if (parts.length !== 3) return `has ${parts.length} part${parts.length === 1 ? '' : 's'} separated by "."; a signed JWT has 3 (header.payload.signature)`;
  const [h = '', p = '', s = ''] = parts;
  const header = decodeJsonPart(h, options);
  if (typeof header === 'string') return `header ${header}`;
  const payload = decodeJsonPart(p, options);
  if (typeof payload === 'string') return `payload ${payload}`;
  if (!B64URL.test(s)) return 'signature is not base64url';
  const why = options.canonical === true ? nonCanonical(s) : undefined;
  if (why !== undefined) return `signature is not canonical base64url: ${why}`;
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

export const assertionCheck: Check = {
  id: 'assertion',
  title: 'assertion is a well-formed JWT',
  level: 'MUST',
  confidence: 'OBS1',
  description: 'The assertion parameter is a compact JWS: base64url header, payload and signature separated by dots, header and payload JSON objects.',
  outcomes: ['invalidAssertion'],
  knobs: ['canonicalBase64url'],
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
    const decoded = decodeAssertion(raw.trim(), { canonical: ctx.knobs.canonicalBase64url });
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
