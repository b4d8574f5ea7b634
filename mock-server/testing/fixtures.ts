/**
 * Test support: the default world with the run's test key pair (see material.ts: made once per run),
 * a frozen clock, a state folder with the local CA already made, and a signer that builds assertions
 * through lib/jws.ts exactly as a careful client does, with every part overridable so tests can make
 * each mistake on purpose.
 */

import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isJwsAlg, type JwsAlg, type JwsKey, signCompact } from '../../lib/jws.ts';
import { rfc7515ExampleKey } from '../../lib/pki/example-key.ts';
import { frozenClock } from '../core/clock.ts';
import { MockOrg, type MockOrgOptions } from '../core/mock-org.ts';
import { DEFAULT_APPS, defaultWorld } from '../world/default-world.ts';
import type { World } from '../world/schema.ts';
import { testMaterial } from './material.ts';
import { NOW, NOW_S } from './now.ts';

/** 2026-03-01T12:00:00Z: the frozen "now" of the tests. */
export { NOW, NOW_S };

let cached: { privateKeyPem: string; certificatePem: string; key: KeyObject } | undefined;

/** The app key pair of the test world (2048-bit RSA, its certificate valid from a day before NOW). */
export function testKeys() {
  if (cached === undefined) {
    const m = testMaterial();
    cached = { privateKeyPem: m.privateKeyPem, certificatePem: m.certificatePem, key: createPrivateKey(m.privateKeyPem) };
  }
  return cached;
}

/** A key whose certificate is on no app: RFC 7515's published example key (nothing to generate). */
export function otherPrivateKey(): KeyObject {
  return rfc7515ExampleKey();
}

let ecKey: KeyObject | undefined;
/** An EC key on P-256 (made in well under a millisecond, so per process). */
export function ecPrivateKey(): KeyObject {
  ecKey ??= generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return ecKey;
}

/**
 * A fresh state folder for a mock, with the run's local CA, its leaf and the default world's app key
 * already in it, so a mock started on it makes no key. A test of what is made on first use takes an
 * empty folder instead.
 */
export function testStateDir(prefix = 'sfjwt-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(testMaterial().stateTemplate, dir, { recursive: true });
  return dir;
}

export function testWorld(): World {
  return defaultWorld({ seed: 42, certificatePem: testKeys().certificatePem });
}

export function testOrg(options: Partial<MockOrgOptions> = {}) {
  const clock = frozenClock(NOW);
  const org = new MockOrg({ world: testWorld(), clock, seed: 7, ...options });
  return { org, clock };
}

export function consumerKeyOf(world: World, app: string = DEFAULT_APPS.selfAuthorized): string {
  const found = world.apps.find((a) => a.name === app);
  if (found === undefined) throw new Error(`no app ${app}`);
  return found.consumerKey;
}

export interface AssertionParts {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** The signing key: the test key by default for RS256/RS384/RS512; the secret for HS256. */
  key?: JwsKey;
  /** The algorithm that signs, when it is not what `header.alg` says. */
  alg?: JwsAlg;
}

/** Signs header and claims with what `header.alg` (or `alg`) names: RS256 with the test key unless told otherwise. */
export function signAssertion(parts: AssertionParts): string {
  const header = parts.header ?? { alg: 'RS256' };
  const alg = parts.alg ?? header['alg'];
  if (!isJwsAlg(alg)) throw new TypeError(`the signer has no algorithm ${JSON.stringify(alg)}: give parts.alg`);
  const key = alg === 'none' ? undefined : (parts.key ?? (alg.startsWith('RS') ? testKeys().key : undefined));
  return signCompact({ header, payload: parts.claims ?? {}, alg, key });
}

/** Claims that log the default world's happy user in through login.salesforce.com. */
export function goodClaims(world: World, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: consumerKeyOf(world),
    sub: 'integration@acme.com',
    aud: 'https://login.salesforce.com',
    exp: NOW_S + 180,
    ...overrides,
  };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export function tokenRequest(url: string, body: string, init: RequestInit = {}): Request {
  return new Request(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body, ...init });
}
