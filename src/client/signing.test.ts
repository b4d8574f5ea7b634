/**
 * The client signs through lib/jws.ts and its bytes are what it sent before: signAssertion as jose's
 * CompactSign made them, and each way of signing in signStep (RS256, HS256 keyed with the PEM text,
 * none, and every tamper) as the node:crypto code it replaced, kept here as the reference. The
 * signatures with keys of their own (RFC 7515's example key, an EC key) are checked for what they are.
 */
import { createHmac, createPublicKey, sign, verify } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { rfc7515ExampleKey } from '../../lib/pki/example-key.ts';
import { NOW, testKeys } from '../../mock-server/testing/fixtures.ts';
import type { Mistake } from '../../scenarios/mistake-schema.ts';
import { buildClaims, signAssertion } from './assertion.ts';
import { buildRequest, type RequestContext, signStep } from './build-request.ts';

const key = testKeys().key;
const ctx: RequestContext = {
  consumerKey: '3MVG9sfjwtSigningTest',
  username: 'integration@acme.com',
  privateKey: key,
  hostUrl: () => 'https://login.salesforce.com',
  realUrl: () => 'https://login.salesforce.com',
  usernameOf: () => undefined,
  host: 'login',
  audience: 'https://login.salesforce.com',
  now: NOW,
};
const claims = buildClaims({ consumerKey: ctx.consumerKey, username: ctx.username, audience: ctx.audience, now: NOW });
const payload = JSON.stringify(claims);

/** signStep as it was before lib/jws.ts, for the ways of signing whose bytes are fixed. */
function previousSignStep(header: Record<string, unknown>, payloadText: string, how: 'rs256' | 'hmac-private-key-text' | 'none', tamper?: string): string {
  const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');
  const input = `${b64(JSON.stringify(header))}.${b64(payloadText)}`;
  const signature =
    how === 'rs256'
      ? sign('sha256', Buffer.from(input), key)
      : how === 'none'
        ? Buffer.alloc(0)
        : createHmac('sha256', key.export({ type: 'pkcs8', format: 'pem' }))
            .update(input)
            .digest();
  switch (tamper) {
    case 'payload-after-signing':
      return `${b64(JSON.stringify(header))}.${b64(payloadText.replace(/}$/, ',"admin":true}'))}.${b64(signature)}`;
    case 'strip-signature':
      return `${input}.`;
    case 'truncate-signature':
      return `${input}.${b64(signature.subarray(0, Math.floor(signature.length / 2)))}`;
    case 'two-parts':
      return input;
    default:
      return `${input}.${b64(signature)}`;
  }
}

describe("the client's signatures, byte for byte as before", () => {
  it("signAssertion is what jose's CompactSign made, for the default header and for one with typ", async () => {
    for (const header of [undefined, { alg: 'RS256', typ: 'JWT' }]) {
      const jose = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader(header ?? { alg: 'RS256' }).sign(key);
      expect(await signAssertion(claims, key, header)).toBe(jose);
    }
  });

  it('signAssertion refuses alg none and an algorithm it does not have, rejecting its promise', async () => {
    await expect(signAssertion(claims, key, { alg: 'none' })).rejects.toThrow(new TypeError('cannot sign with alg "none": RS256 is what Salesforce verifies'));
    await expect(signAssertion(claims, key, { alg: 'PS256' })).rejects.toThrow(new TypeError('cannot sign with alg "PS256": RS256 is what Salesforce verifies'));
  });

  it.each([
    ['rs256', undefined],
    ['hmac-private-key-text', undefined],
    ['none', undefined],
    ['rs256', 'payload-after-signing'],
    ['rs256', 'strip-signature'],
    ['rs256', 'truncate-signature'],
    ['rs256', 'two-parts'],
  ] as const)('signStep with %s, tamper %s', (how, tamper) => {
    const mistake: Mistake = { at: 'sign', with: how, ...(tamper === undefined ? {} : { tamper }) };
    expect(signStep({ alg: 'RS256' }, payload, ctx, [mistake])).toBe(previousSignStep({ alg: 'RS256' }, payload, how, tamper));
  });

  it('the correct request carries the RS256 assertion of the claims, which verifies with the key', async () => {
    const built = buildRequest(ctx);
    expect(built.assertion).toBe(previousSignStep({ alg: 'RS256' }, payload, 'rs256'));
    const { payload: signed } = await compactVerify(built.assertion ?? '', createPublicKey(key), { algorithms: ['RS256'] });
    expect(JSON.parse(Buffer.from(signed).toString())).toEqual(claims);
  });
});

describe("the client's signatures with keys of their own", () => {
  const parts = (jws: string) => jws.split('.').map((p) => Buffer.from(p, 'base64url'));

  it("other-key: RS256 by RFC 7515's example key, the same bytes every run, which the app's key does not verify", () => {
    const jws = signStep({ alg: 'RS256' }, payload, ctx, [{ at: 'sign', with: 'other-key' }]);
    const [h = '', p = '', s = ''] = jws.split('.');
    expect(s).toBe(sign('sha256', Buffer.from(`${h}.${p}`), rfc7515ExampleKey()).toString('base64url'));
    expect(verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(key), Buffer.from(s, 'base64url'))).toBe(false);
  });

  it('ec-key: a 64-byte ES256 signature under whatever header the header step made', () => {
    const jws = signStep({ alg: 'ES256' }, payload, ctx, [{ at: 'sign', with: 'ec-key' }]);
    expect(JSON.parse(parts(jws)[0]?.toString() ?? '')).toEqual({ alg: 'ES256' });
    expect(parts(jws)[2]).toHaveLength(64);
  });
});
