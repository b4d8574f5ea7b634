/**
 * The JWS signer against what it must agree with: the worked examples of RFC 7515 (A.1 HS256 and
 * A.2 RS256, whose outputs are fixed bytes), jose's verifier for every algorithm, and jose's own
 * CompactSign (what the client signed with before) byte for byte wherever the algorithm is
 * deterministic. Keys are the RFC's published RSA key (lib/pki/example-key.ts) and a P-256 key, so
 * nothing slow is generated.
 */
import { createPublicKey, createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { KeyMaterialError } from './errors.ts';
import { base64url, isJwsAlg, JWS_ALGS, type JwsAlg, signatureOf, signCompact, signingInput } from './jws.ts';
import { rfc7515ExampleKey } from './pki/example-key.ts';

/** RFC 7515 Appendix A.2.1: the example RSA key. */
const RFC_RSA = rfc7515ExampleKey();
/** RFC 7515 Appendix A.1.1: the HMAC key. */
const RFC_HMAC = Buffer.from('AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow', 'base64url');
/** The payload of both examples, with the CRLFs and spaces the RFC chose (no serialiser writes them). */
const RFC_PAYLOAD = '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}';

const EC = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const SECRET = 'the PEM text of a key, as some guides key HMAC with';
/** 2026-03-01T12:00:00Z, the tests' frozen now; the claims expire three minutes later. */
const NOW = 1_772_366_400_000;
const CLAIMS = { iss: '3MVG9example', sub: 'integration@acme.com', aud: 'https://login.salesforce.com', exp: NOW / 1000 + 180, note: 'Zoë 🧪 統合 \ud800' };

const keyOf = (alg: JwsAlg): KeyObject | string | undefined => (alg === 'ES256' ? EC : alg === 'HS256' ? SECRET : alg === 'none' ? undefined : RFC_RSA);
const verifyKeyOf = (alg: JwsAlg) => (alg === 'ES256' ? createPublicKey(EC) : alg === 'HS256' ? createSecretKey(Buffer.from(SECRET)) : createPublicKey(RFC_RSA));

describe('signCompact against RFC 7515', () => {
  it("A.1: HS256 over the exact header and payload text gives the appendix's bytes", () => {
    expect(signCompact({ header: '{"typ":"JWT",\r\n "alg":"HS256"}', payload: RFC_PAYLOAD, alg: 'HS256', key: RFC_HMAC })).toBe(
      'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    );
  });

  it("A.2: RS256 with the appendix's key gives its signature; a header object is written as JSON", () => {
    expect(signCompact({ header: { alg: 'RS256' }, payload: RFC_PAYLOAD, alg: 'RS256', key: RFC_RSA })).toBe(
      'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw',
    );
  });
});

describe('signCompact, read by jose', () => {
  it.each(JWS_ALGS.filter((a) => a !== 'none'))('%s verifies with jose, header and payload bytes intact', async (alg) => {
    const jws = signCompact({ header: { alg, typ: 'JWT' }, payload: CLAIMS, alg, key: keyOf(alg) });
    const { payload, protectedHeader } = await compactVerify(jws, verifyKeyOf(alg), { algorithms: [alg] });
    expect(protectedHeader).toEqual({ alg, typ: 'JWT' });
    expect(Buffer.from(payload).toString('utf8')).toBe(JSON.stringify(CLAIMS));
  });

  it('ES256 is the 64-byte r||s JWS wants, not DER', () => {
    const [, , s = ''] = signCompact({ header: { alg: 'ES256' }, payload: CLAIMS, alg: 'ES256', key: EC }).split('.');
    expect(Buffer.from(s, 'base64url')).toHaveLength(64);
  });

  it('none: an empty third part, which jose reads as an unsecured JWT', () => {
    const jws = signCompact({ header: { alg: 'none' }, payload: CLAIMS, alg: 'none' });
    expect(jws.endsWith('.')).toBe(true);
    expect(jws.split('.')).toHaveLength(3);
    const { header, payload } = UnsecuredJWT.decode(jws, { currentDate: new Date(NOW) });
    expect(header).toEqual({ alg: 'none' });
    // JSON.stringify writes the lone surrogate as the escape \ud800, so it comes back as it went in.
    expect(payload).toEqual(CLAIMS);
  });

  it('a header that names another algorithm than the one that signs (as a mistake does) is kept as given', async () => {
    const jws = signCompact({ header: { alg: 'RS256' }, payload: CLAIMS, alg: 'ES256', key: EC });
    expect(JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString())).toEqual({ alg: 'RS256' });
    await expect(compactVerify(jws, createPublicKey(RFC_RSA))).rejects.toThrow('signature verification failed');
  });
});

describe("signCompact, byte for byte as jose's CompactSign (the earlier client signer)", () => {
  it.each(['RS256', 'RS384', 'RS512', 'HS256'] as const)('%s', async (alg) => {
    const header = { alg, typ: 'JWT', kid: 'k1' };
    const key = alg === 'HS256' ? new TextEncoder().encode(SECRET) : RFC_RSA;
    const jose = await new CompactSign(new TextEncoder().encode(JSON.stringify(CLAIMS))).setProtectedHeader(header).sign(key);
    expect(signCompact({ header, payload: CLAIMS, alg, key: keyOf(alg) })).toBe(jose);
  });
});

describe('the parts', () => {
  it('base64url has no padding and no + or /', () => {
    expect(base64url('??>')).toBe('Pz8-');
    expect(base64url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
  });

  it('signingInput takes exact text, exact bytes or a value as JSON, and is the first two parts', () => {
    expect(signingInput('{"alg":"RS256"}', Uint8Array.of(0xff, 0xfe))).toBe('eyJhbGciOiJSUzI1NiJ9.__4');
    expect(signingInput(['RS256'], '"text"')).toBe(`${base64url('["RS256"]')}.${base64url('"text"')}`);
    const jws = signCompact({ header: { alg: 'RS256' }, payload: CLAIMS, alg: 'RS256', key: RFC_RSA });
    expect(jws.slice(0, jws.lastIndexOf('.'))).toBe(signingInput({ alg: 'RS256' }, CLAIMS));
  });

  it('signatureOf is the third part, decoded', () => {
    const input = signingInput({ alg: 'HS256' }, CLAIMS);
    expect(`${input}.${base64url(signatureOf('HS256', input, SECRET))}`).toBe(signCompact({ header: { alg: 'HS256' }, payload: CLAIMS, alg: 'HS256', key: SECRET }));
  });

  it('isJwsAlg knows exactly the six algorithms', () => {
    expect(JWS_ALGS.filter(isJwsAlg)).toEqual(['RS256', 'RS384', 'RS512', 'ES256', 'HS256', 'none']);
    expect(['rs256', 'PS256', 'None', '', undefined, 256].filter(isJwsAlg)).toEqual([]);
  });
});

describe('what the signer refuses', () => {
  it.each([
    ['RS256 with an EC key', () => signCompact({ header: {}, payload: {}, alg: 'RS256', key: EC }), 'cannot sign RS256 with an EC key on prime256v1: RS256 needs an RSA key'],
    ['ES256 with an RSA key', () => signCompact({ header: {}, payload: {}, alg: 'ES256', key: RFC_RSA }), 'cannot sign ES256 with a RSA key: ES256 needs an EC key on P-256'],
  ])('%s: KeyMaterialError with what to do', (_name, sign, message) => {
    let thrown: unknown;
    try {
      sign();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KeyMaterialError);
    expect((thrown as KeyMaterialError).message).toBe(message);
    expect((thrown as KeyMaterialError).actions).toHaveLength(1);
  });

  it.each([
    ['RS256 with a public key', () => signCompact({ header: {}, payload: {}, alg: 'RS256', key: createPublicKey(RFC_RSA) }), 'RS256 signs with a private KeyObject, got a public key'],
    ['RS256 with PEM text', () => signCompact({ header: {}, payload: {}, alg: 'RS256', key: 'pem' }), 'RS256 signs with a private KeyObject, got text'],
    ['RS512 with no key', () => signCompact({ header: {}, payload: {}, alg: 'RS512' }), 'RS512 signs with a private KeyObject, got no key'],
    ['HS256 with a private key', () => signCompact({ header: {}, payload: {}, alg: 'HS256', key: RFC_RSA }), 'HS256 keys with a secret, got a private key'],
    ['HS256 with no secret', () => signCompact({ header: {}, payload: {}, alg: 'HS256' }), 'HS256 needs a secret'],
    ['none with a key', () => signCompact({ header: {}, payload: {}, alg: 'none', key: RFC_RSA }), 'alg none takes no key'],
    [
      'an algorithm it does not have',
      () => signCompact({ header: {}, payload: {}, alg: 'PS256' as JwsAlg, key: RFC_RSA }),
      'unsupported JWS alg "PS256": one of RS256, RS384, RS512, ES256, HS256, none',
    ],
    ['a payload that is not JSON', () => signCompact({ header: {}, payload: { toJSON: () => undefined }, alg: 'none' }), 'the JWS payload cannot be written as JSON'],
  ])('%s: TypeError (a bug of the caller)', (_name, sign, message) => {
    expect(sign).toThrow(new TypeError(message));
  });
});
