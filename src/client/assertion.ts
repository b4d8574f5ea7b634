/**
 * Building and signing a JWT Bearer assertion: the claims Salesforce reads (`iss`, `sub`, `aud`,
 * `exp` in seconds), an RS256 header, a compact JWS signed by lib/jws.ts (the signer every part of
 * sfjwt uses), and the form body. Each step is exported on its own so that a mistake can be applied
 * at exactly one step.
 */
import type { KeyObject } from 'node:crypto';
import { isJwsAlg, signCompact } from '../../lib/jws.ts';
import { loadPrivateKey } from '../../lib/pki/load.ts';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface ClaimsInput {
  consumerKey: string;
  username: string;
  audience: string;
  /** Milliseconds since the epoch; the assertion expires three minutes later. */
  now: number;
  lifetimeSeconds?: number;
}

export function buildClaims(input: ClaimsInput): Record<string, unknown> {
  return { iss: input.consumerKey, sub: input.username, aud: input.audience, exp: Math.floor(input.now / 1000) + (input.lifetimeSeconds ?? 180) };
}

/** A private key in any form `keys check` reads (PEM, encrypted PEM, DER, PKCS#12, JKS). */
export function importPrivateKey(data: string | Buffer, passphrase?: string): KeyObject {
  return loadPrivateKey(typeof data === 'string' ? Buffer.from(data) : data, { passphrase }).key;
}

/**
 * The compact JWS of `claims` under `header`, signed with the algorithm `header.alg` names. Signing
 * is synchronous; the promise stays so that callers written against the earlier jose-based signer
 * keep working, and a bad key or algorithm rejects it.
 */
export async function signAssertion(claims: Record<string, unknown>, key: KeyObject, header: Record<string, unknown> = { alg: 'RS256' }): Promise<string> {
  const alg = header['alg'];
  if (!isJwsAlg(alg) || alg === 'none') throw new TypeError(`cannot sign with alg ${JSON.stringify(alg)}: RS256 is what Salesforce verifies`);
  return signCompact({ header, payload: claims, alg, key });
}

export function tokenForm(assertion: string): string {
  return new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString();
}
