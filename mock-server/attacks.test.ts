/**
 * The classic JWT attacks, each refused with `invalid assertion` and decided by the check that must
 * catch it: `alg: none`, HS256 keyed with the certificate's public key (key confusion), a `jwk`,
 * `jku`, `x5u`, `x5c` or `kid` header pointing at an attacker's key, a stripped, truncated or spliced
 * signature, a removed (revoked) certificate, a payload changed after signing. The mock never fetches
 * anything a header points at.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { base64url as b64, signCompact } from '../lib/jws.ts';
import { formBody, goodClaims, JWT_GRANT, otherPrivateKey, testKeys, testOrg, tokenRequest } from './testing/fixtures.ts';
import { DEFAULT_APPS } from './world/default-world.ts';
import { realHostUrls } from './world/hosts.ts';

/** The attacker's key: one whose certificate is on no app. */
const attacker = otherPrivateKey();
const attackerJwk = createPublicKey(attacker).export({ format: 'jwk' });

const rs256 = (key: KeyObject) => ({ alg: 'RS256', key }) as const;
const hs256 = (secret: string) => ({ alg: 'HS256', key: secret }) as const;
function jws(header: Record<string, unknown>, claims: Record<string, unknown>, signer: ReturnType<typeof rs256> | ReturnType<typeof hs256>): string {
  return signCompact({ header, payload: claims, ...signer });
}

describe('classic JWT attacks', () => {
  let fetchSpy: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    fetchSpy = vi.spyOn(globalThis, 'fetch');
  });
  afterEach(() => fetchSpy.mockRestore());

  const { org } = testOrg();
  const world = org.index.world;
  const claims = goodClaims(world);
  const certPublicPem = createPublicKey(testKeys().certificatePem).export({ type: 'spki', format: 'pem' }).toString();
  const good = jws({ alg: 'RS256' }, claims, rs256(testKeys().key));
  const [gh, gp, gs] = good.split('.') as [string, string, string];
  const other = jws({ alg: 'RS256' }, { ...claims, sub: 'frozen@acme.com' }, rs256(testKeys().key));

  it.each([
    ['alg none, unsigned', () => `${b64('{"alg":"none"}')}.${gp}.`, 'alg'],
    ['alg "None" (case games)', () => `${b64('{"alg":"None"}')}.${gp}.`, 'alg'],
    ["HS256 keyed with the certificate's public key (key confusion)", () => jws({ alg: 'HS256' }, claims, hs256(certPublicPem)), 'alg'],
    ['HS256 keyed with the certificate PEM', () => jws({ alg: 'HS256' }, claims, hs256(testKeys().certificatePem)), 'alg'],
    ["jwk header with the attacker's key, signed by the attacker", () => jws({ alg: 'RS256', jwk: attackerJwk }, claims, rs256(attacker)), 'signature'],
    ['jku header pointing at the attacker', () => jws({ alg: 'RS256', jku: 'https://attacker.example/jwks.json' }, claims, rs256(attacker)), 'signature'],
    ['x5u header pointing at the attacker', () => jws({ alg: 'RS256', x5u: 'https://attacker.example/cert.pem' }, claims, rs256(attacker)), 'signature'],
    ["x5c header with the attacker's certificate", () => jws({ alg: 'RS256', x5c: ['MIIBattacker'] }, claims, rs256(attacker)), 'signature'],
    ['kid pointing elsewhere', () => jws({ alg: 'RS256', kid: '../../../dev/null' }, claims, rs256(attacker)), 'signature'],
    ['signature stripped', () => `${gh}.${gp}.`, 'signature'],
    ['signature truncated', () => `${gh}.${gp}.${gs.slice(0, 100)}`, 'signature'],
    ['signature of another assertion spliced on', () => `${gh}.${gp}.${other.split('.')[2] ?? ''}`, 'signature'],
    ['payload changed after signing', () => `${gh}.${b64(JSON.stringify({ ...claims, sub: 'frozen@acme.com' }))}.${gs}`, 'signature'],
    ['header changed after signing (typ added)', () => `${b64('{"alg":"RS256","typ":"JWT"}')}.${gp}.${gs}`, 'signature'],
  ] as const)('%s → invalid assertion, decided by %s', async (_name, make, check) => {
    const res = await org.handle(tokenRequest('https://login.salesforce.com/services/oauth2/token', formBody({ grant_type: JWT_GRANT, assertion: make() })), {
      host: 'login.salesforce.com',
      secure: true,
      clientIp: '127.0.0.1',
      urls: realHostUrls(),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('{"error":"invalid_grant","error_description":"invalid assertion"}');
    expect(org.journal.list(1)[0]?.decidedBy).toBe(check);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('a certificate removed from the app (revoked) no longer verifies a good signature', async () => {
    const send = () =>
      org.handle(tokenRequest('https://login.salesforce.com/services/oauth2/token', formBody({ grant_type: JWT_GRANT, assertion: good })), {
        host: 'login.salesforce.com',
        secure: true,
        clientIp: '127.0.0.1',
        urls: realHostUrls(),
      });
    expect((await send()).status).toBe(200);
    const app = org.index.app(DEFAULT_APPS.selfAuthorized);
    if (app === undefined) throw new Error('no app');
    expect(org.index.removeCertificate(app, org.index.certificates(app)[0]?.sha256 ?? '')).toBe(true);
    const res = await send();
    expect(res.status).toBe(400);
    expect(org.journal.list(1)[0]?.decidedBy).toBe('signature');
    org.reset();
  });
});
