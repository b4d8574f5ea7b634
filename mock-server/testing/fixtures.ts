/**
 * Test support: the default world with a key pair made in memory (one per process, 2048-bit RSA),
 * a frozen clock, and a signer that builds assertions with jose exactly as a careful client does,
 * with every part overridable so tests can make each mistake on purpose.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { generateRsaKeyPair, issueCertificate } from '../../lib/pki/generate.ts';
import { frozenClock } from '../core/clock.ts';
import { MockOrg, type MockOrgOptions } from '../core/mock-org.ts';
import { DEFAULT_APPS, defaultWorld } from '../world/default-world.ts';
import type { World } from '../world/schema.ts';

/** 2026-03-01T12:00:00Z: the frozen "now" of the tests. */
export const NOW = Date.parse('2026-03-01T12:00:00Z');
export const NOW_S = NOW / 1000;

let cached: { privateKeyPem: string; certificatePem: string; key: KeyObject } | undefined;

export function testKeys() {
  if (cached === undefined) {
    const pair = generateRsaKeyPair(2048);
    const certificatePem = issueCertificate(pair, { subject: [{ shortName: 'CN', value: 'sfjwt test' }], notBefore: new Date(NOW - 86_400_000) });
    cached = { privateKeyPem: pair.privateKeyPem, certificatePem, key: createPrivateKey(pair.privateKeyPem) };
  }
  return cached;
}

let otherKey: KeyObject | undefined;
/** A key whose certificate is on no app. */
export function otherPrivateKey(): KeyObject {
  otherKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return otherKey;
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
  key?: KeyObject;
}

/** Signs header and claims with RS256 (or whatever `header.alg` says, with `key`). */
export async function signAssertion(parts: AssertionParts): Promise<string> {
  const header = parts.header ?? { alg: 'RS256' };
  const payload = new TextEncoder().encode(JSON.stringify(parts.claims ?? {}));
  return new CompactSign(payload).setProtectedHeader(header as { alg: string }).sign(parts.key ?? testKeys().key);
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
