/**
 * The one JWS signer of sfjwt: compact serialisation (RFC 7515 §7.1) made synchronously with
 * node:crypto for the algorithms the harness sends — RS256/RS384/RS512 (RSASSA-PKCS1-v1_5, so the
 * same inputs always give the same bytes), ES256 (the 64-byte r||s form JWS wants, not DER), HS256
 * and `none`. The header and the payload are each exact text, exact bytes, or a value written with
 * JSON.stringify; the algorithm that signs is named separately from the header, because a mistake
 * may well say one thing in `alg` and sign with another. The client, the test fixtures and the fuzz
 * generators all sign through here, so an assertion is built the same way wherever it is made.
 */
import { constants, createHmac, type KeyObject, sign } from 'node:crypto';
import { KeyMaterialError } from './errors.ts';

export const JWS_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'HS256', 'none'] as const;
export type JwsAlg = (typeof JWS_ALGS)[number];

/** A header or payload: exact text (as UTF-8), exact bytes, or any other value as JSON. */
export type JwsPart = string | Uint8Array | object;

/** A private KeyObject for RS* and ES256; the secret (text, bytes or a secret KeyObject) for HS256; nothing for `none`. */
export type JwsKey = KeyObject | string | Uint8Array;

export interface SignCompactInput {
  header: JwsPart;
  payload: JwsPart;
  /** The algorithm that signs; `header.alg` is not read, so the two may disagree on purpose. */
  alg: JwsAlg;
  key?: JwsKey | undefined;
}

export function isJwsAlg(value: unknown): value is JwsAlg {
  return typeof value === 'string' && (JWS_ALGS as readonly string[]).includes(value);
}

/** base64url without padding (RFC 7515 §2); text is encoded as UTF-8 first. */
export function base64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64url');
}

function partBytes(part: JwsPart, what: string): string | Uint8Array {
  if (typeof part === 'string' || part instanceof Uint8Array) return part;
  const json: string | undefined = JSON.stringify(part);
  // JSON.stringify gives undefined for a function or a symbol: a harness bug, not a mistake to send.
  if (json === undefined) throw new TypeError(`the JWS ${what} cannot be written as JSON`);
  return json;
}

/** `BASE64URL(header) || '.' || BASE64URL(payload)`: the bytes the signature covers. */
export function signingInput(header: JwsPart, payload: JwsPart): string {
  return `${base64url(partBytes(header, 'header'))}.${base64url(partBytes(payload, 'payload'))}`;
}

const RSA_HASH = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' } as const;

function privateKeyOf(alg: JwsAlg, key: JwsKey | undefined, type: 'rsa' | 'ec'): KeyObject {
  if (key === undefined || typeof key === 'string' || key instanceof Uint8Array || key.type !== 'private') {
    throw new TypeError(`${alg} signs with a private KeyObject, got ${key === undefined ? 'no key' : typeof key === 'string' ? 'text' : key instanceof Uint8Array ? 'bytes' : `a ${key.type} key`}`);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== type || (type === 'ec' && curve !== 'prime256v1')) {
    const got = key.asymmetricKeyType === 'ec' ? `an EC key on ${curve ?? 'an unknown curve'}` : `a ${(key.asymmetricKeyType ?? 'unknown').toUpperCase()} key`;
    const actions = type === 'rsa' ? ['Salesforce verifies RS256 only: sign with an RSA key of 2048 bits or more (npx sfjwt keys generate makes one).'] : ['Give ES256 an EC key on P-256.'];
    throw new KeyMaterialError(`cannot sign ${alg} with ${got}: ${alg} needs ${type === 'rsa' ? 'an RSA key' : 'an EC key on P-256'}`, { actions });
  }
  return key;
}

/** The signature bytes of `input` under `alg` (empty for `none`). */
export function signatureOf(alg: JwsAlg, input: string, key?: JwsKey): Buffer {
  const data = Buffer.from(input);
  switch (alg) {
    case 'RS256':
    case 'RS384':
    case 'RS512':
      return sign(RSA_HASH[alg], data, { key: privateKeyOf(alg, key, 'rsa'), padding: constants.RSA_PKCS1_PADDING });
    case 'ES256':
      return sign('sha256', data, { key: privateKeyOf(alg, key, 'ec'), dsaEncoding: 'ieee-p1363' });
    case 'HS256': {
      if (key === undefined) throw new TypeError('HS256 needs a secret');
      if (typeof key !== 'string' && !(key instanceof Uint8Array) && key.type !== 'secret') throw new TypeError(`HS256 keys with a secret, got a ${key.type} key`);
      return createHmac('sha256', key).update(data).digest();
    }
    case 'none':
      if (key !== undefined) throw new TypeError('alg none takes no key');
      return Buffer.alloc(0);
    default:
      throw new TypeError(`unsupported JWS alg ${JSON.stringify(alg satisfies never)}: one of ${JWS_ALGS.join(', ')}`);
  }
}

/** A compact JWS: `signingInput.BASE64URL(signature)`; for `none` the third part is empty. */
export function signCompact(input: SignCompactInput): string {
  const data = signingInput(input.header, input.payload);
  return `${data}.${base64url(signatureOf(input.alg, data, input.key))}`;
}
