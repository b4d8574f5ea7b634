/**
 * `inspect` on assertions built with the catalogue's own mistakes (src/client/build-request.ts): the
 * exact findings for each mistake, the notes on each claim, the signature verified against the
 * app's certificate and against another one, the assertion found in whatever was pasted, and never
 * the signature in the output.
 */
import { describe, expect, it } from 'vitest';
import { loadCertificate } from '../../lib/pki/certificate.ts';
import { generateRsaKeyPair, issueCertificate } from '../../lib/pki/generate.ts';
import { NOW, NOW_S, testKeys } from '../../mock-server/testing/fixtures.ts';
import type { Mistake } from '../../scenarios/mistake-schema.ts';
import { buildRequest, type RequestContext } from '../client/build-request.ts';
import { extractAssertion, hostName, inspectAssertion } from './inspect.ts';
import { renderInspection } from './inspect-render.ts';

const URLS: Record<string, string> = { login: 'https://login.salesforce.com', test: 'https://test.salesforce.com', 'my-domain': 'https://acme.my.salesforce.com' };
const ctx: RequestContext = {
  consumerKey: '3MVG9sfjwtTestConsumerKey',
  username: 'integration@acme.com',
  userId: '005000000000001AAA',
  privateKey: testKeys().key,
  hostUrl: (role) => URLS[role],
  realUrl: (role) => URLS[role],
  usernameOf: () => undefined,
  host: 'login',
  audience: 'https://login.salesforce.com',
  now: NOW,
};
const jwt = (mistakes: Mistake[] = []) => buildRequest(ctx, mistakes).assertion ?? '';
const signatureOf = (token: string) => token.split('.')[2] ?? '';
const cert = (pem: string, source = 'server.crt') => ({ info: loadCertificate(Buffer.from(pem), source), source });
let other: string | undefined;
const otherCertificatePem = () => (other ??= issueCertificate(generateRsaKeyPair(2048), { subject: [{ shortName: 'CN', value: 'another' }], notBefore: new Date(NOW - 86_400_000) }));

describe('inspect: findings for each mistake', () => {
  it.each<[string, Mistake[], string | undefined, [string, string, string][]]>([
    ['the correct assertion', [], 'login.salesforce.com', []],
    [
      'HS256 keyed with the private key text',
      [
        { at: 'header', set: { alg: 'HS256' } },
        { at: 'sign', with: 'hmac-private-key-text' },
      ],
      undefined,
      [['alg-not-rs256', 'error', 'alg']],
    ],
    [
      'alg none, no signature',
      [
        { at: 'header', set: { alg: 'none' } },
        { at: 'sign', with: 'none' },
      ],
      undefined,
      [['alg-not-rs256', 'error', 'alg']],
    ],
    ['"Iss" for "iss"', [{ at: 'claims', rename: { iss: 'Iss' } }], undefined, [['claim-name-case', 'error', 'issuer']]],
    ['exp in milliseconds', [{ at: 'claims', set: { exp: { $: 'nowMs', ms: 300_000 } } }], undefined, [['exp-milliseconds', 'warning', 'expiry']]],
    ['exp as text', [{ at: 'claims', set: { exp: 'CurrentTimeStemp+2min' } }], undefined, [['exp-not-number', 'error', 'expiry']]],
    ['exp an hour ago', [{ at: 'claims', set: { exp: { $: 'now', seconds: -3600 } } }], undefined, [['exp-past', 'error', 'expiry']]],
    ['sub = the user Id', [{ at: 'claims', set: { sub: { $: 'userId' } } }], undefined, [['sub-is-user-id', 'error', 'user']]],
    ['aud with the "LoginURL " label', [{ at: 'claims', set: { aud: 'LoginURL https://login.salesforce.com' } }], undefined, [['aud-not-url', 'error', 'audience']]],
    ['aud = the token URL', [{ at: 'claims', set: { aud: { $: 'realUrl', host: 'login', suffix: '/services/oauth2/token' } } }], undefined, [['aud-token-url', 'error', 'audience']]],
    ['the sandbox aud posted to login', [{ at: 'claims', set: { aud: 'https://test.salesforce.com' } }], 'login.salesforce.com', [['aud-wrong-environment', 'error', 'audience']]],
    ['the sandbox aud without a host', [{ at: 'claims', set: { aud: 'https://test.salesforce.com' } }], undefined, []],
    ['two parts', [{ at: 'sign', tamper: 'two-parts' }], undefined, [['jwt-malformed', 'error', 'assertion']]],
    ['signature stripped', [{ at: 'sign', tamper: 'strip-signature' }], undefined, [['signature-missing', 'error', 'signature']]],
  ])('%s', (_name, mistakes, host, expected) => {
    const result = inspectAssertion({ jwt: jwt(mistakes), now: NOW, host });
    expect(result.findings.map((f) => [f.id, f.severity, f.check])).toEqual(expected);
  });
});

describe('inspect: claim notes', () => {
  const notes = (mistakes: Mistake[], host?: string) => Object.fromEntries(inspectAssertion({ jwt: jwt(mistakes), now: NOW, host }).claims.map((c) => [c.name, c.notes]));

  it('the correct assertion, posted to login', () => {
    expect(notes([], 'login.salesforce.com')).toEqual({
      iss: ['the shape of a consumer key (3MVG…, 25 characters)'],
      sub: ['shaped like a username'],
      aud: ['the production audience: for login.salesforce.com and production My Domains', 'valid for login.salesforce.com'],
      exp: ['2026-03-01T12:03:00.000Z, 180 s from now'],
    });
  });

  it.each<[string, Mistake[], string | undefined, string, string[]]>([
    [
      'exp in ms',
      [{ at: 'claims', set: { exp: { $: 'nowMs', ms: 300_000 } } }],
      undefined,
      'exp',
      [`looks like milliseconds: read as seconds it is +058134-01-24T11:20:00.000Z, far ahead, so Salesforce accepts it; as milliseconds it would be 2026-03-01T12:05:00.000Z (300 s from now)`],
    ],
    [
      'exp an hour ago',
      [{ at: 'claims', set: { exp: { $: 'now', seconds: -3600 } } }],
      undefined,
      'exp',
      ['2026-03-01T11:00:00.000Z, 3600 s ago', 'expired: Salesforce answers expired authorization code'],
    ],
    [
      'exp within the leeway',
      [{ at: 'claims', set: { exp: { $: 'now', seconds: -60 } } }],
      undefined,
      'exp',
      ['2026-03-01T11:59:00.000Z, 60 s ago', 'passed, but within the ~180 s of leeway Salesforce allows'],
    ],
    [
      'exp as digits',
      [{ at: 'claims', set: { exp: { $: 'string', seconds: 86_400 * 3 } } }],
      undefined,
      'exp',
      ['a string of digits: accepted, though a JSON number is what the spec asks for', '2026-03-04T12:00:00.000Z, 259200 s from now (~3 days)'],
    ],
    ['exp as text', [{ at: 'claims', set: { exp: 'CurrentTimeStemp+2min' } }], undefined, 'exp', ['not a number of seconds: Salesforce cannot read it as a time']],
    ['"Iss"', [{ at: 'claims', rename: { iss: 'Iss' } }], undefined, 'Iss', ['claim names are case-sensitive: this is not iss']],
    ['no iss', [{ at: 'claims', rename: { iss: 'Iss' } }], undefined, 'iss', ['missing']],
    ['iss the secret', [{ at: 'claims', set: { iss: '1234567890123456789012345678901234' } }], undefined, 'iss', ['34 digits: the shape of a consumer secret, not of the consumer key']],
    ['sub the Id', [{ at: 'claims', set: { sub: { $: 'userId' } } }], undefined, 'sub', ['a user Id (005…), not a username']],
    [
      'a sandbox username',
      [{ at: 'claims', set: { sub: 'integration@acme.com.uat' } }],
      undefined,
      'sub',
      ['shaped like a username', 'ends like a sandbox username (a suffix after the domain): sandbox users log in at test.salesforce.com'],
    ],
    [
      'aud the sandbox at login',
      [{ at: 'claims', set: { aud: 'https://test.salesforce.com' } }],
      'login.salesforce.com',
      'aud',
      ['the sandbox audience: for test.salesforce.com and sandbox My Domains', 'not what a connected app posted to login.salesforce.com sends: https://login.salesforce.com'],
    ],
    [
      'aud the My Domain at the My Domain',
      [{ at: 'claims', set: { aud: 'https://acme.my.salesforce.com' } }],
      'acme.my.salesforce.com',
      'aud',
      [
        'a production My Domain URL: External Client Apps take it; connected apps take https://login.salesforce.com',
        'not what a connected app posted to acme.my.salesforce.com sends: https://login.salesforce.com (an External Client App takes this My Domain URL)',
      ],
    ],
    [
      'aud without scheme, no host',
      [{ at: 'claims', set: { aud: 'login.salesforce.com/' } }],
      undefined,
      'aud',
      [
        'the production audience: for login.salesforce.com and production My Domains',
        'no https:// in front: accepted, but write the full URL',
        'a trailing slash: accepted',
        'give --host (the host it is posted to) to check it against that host',
      ],
    ],
    ['aud the token URL', [{ at: 'claims', set: { aud: 'https://login.salesforce.com/services/oauth2/token' } }], undefined, 'aud', ['the token URL: aud is the login URL without a path']],
    // What the mock's audience check refuses, inspect never calls valid.
    [
      'aud with :443 at login',
      [{ at: 'claims', set: { aud: 'https://login.salesforce.com:443' } }],
      'login.salesforce.com',
      'aud',
      ['the production audience: for login.salesforce.com and production My Domains', 'not what a connected app posted to login.salesforce.com sends: https://login.salesforce.com'],
    ],
    [
      'aud over http at login',
      [{ at: 'claims', set: { aud: 'http://login.salesforce.com' } }],
      'login.salesforce.com',
      'aud',
      [
        'the production audience: for login.salesforce.com and production My Domains',
        'a scheme other than https://: not an audience',
        'not what a connected app posted to login.salesforce.com sends: https://login.salesforce.com',
      ],
    ],
    [
      'aud with two trailing slashes at login',
      [{ at: 'claims', set: { aud: 'https://login.salesforce.com//' } }],
      'login.salesforce.com',
      'aud',
      [
        'the production audience: for login.salesforce.com and production My Domains',
        'more than one trailing slash: not an audience',
        'not what a connected app posted to login.salesforce.com sends: https://login.salesforce.com',
      ],
    ],
    [
      'aud with one trailing slash, in capitals, at login',
      [{ at: 'claims', set: { aud: 'HTTPS://Login.Salesforce.com/' } }],
      'login.salesforce.com',
      'aud',
      ['the production audience: for login.salesforce.com and production My Domains', 'a trailing slash: accepted', 'valid for login.salesforce.com'],
    ],
    ['an extra claim', [{ at: 'claims', set: { scope: 'api' } }], undefined, 'scope', ['not read by Salesforce (extra claims are accepted and ignored)']],
  ])('%s', (_name, mistakes, host, claim, expected) => {
    expect(notes(mistakes, host)[claim]).toEqual(expected);
  });
});

describe('inspect: the signature', () => {
  it.each<[string, Mistake[], () => string, [string, string, string] | undefined, boolean | undefined]>([
    ["verifies with the app's certificate", [], () => testKeys().certificatePem, ['signature-verified', 'info', 'RS256 signature verified with server.crt (CN=sfjwt test, SHA-256 '], true],
    ['does not verify with another certificate', [], otherCertificatePem, ['signature-mismatch', 'error', 'the signature does not verify with server.crt (CN=another, SHA-256 '], false],
    [
      'does not verify after the payload changed',
      [{ at: 'sign', tamper: 'payload-after-signing' }],
      () => testKeys().certificatePem,
      ['signature-mismatch', 'error', 'the signature does not verify with server.crt'],
      false,
    ],
    [
      'is no RS256 signature with HS256',
      [
        { at: 'header', set: { alg: 'HS256' } },
        { at: 'sign', with: 'hmac-private-key-text' },
      ],
      () => testKeys().certificatePem,
      ['signature-mismatch', 'error', 'alg "HS256" is not an RS256 signature'],
      false,
    ],
    ['is not checked on a malformed JWT', [{ at: 'sign', tamper: 'two-parts' }], () => testKeys().certificatePem, undefined, undefined],
  ])('%s', (_name, mistakes, pem, finding, verified) => {
    const result = inspectAssertion({ jwt: jwt(mistakes), now: NOW, certificate: cert(pem()) });
    const f = result.findings.find((x) => x.check === 'signature' && x.id.startsWith('signature-'));
    expect(f === undefined ? undefined : [f.id, f.severity, f.saw.slice(0, finding?.[2].length ?? 0)]).toEqual(finding);
    expect(result.signature.verified).toBe(verified);
  });

  it('is reported by length only: never the signature segment or the whole JWT', () => {
    for (const mistakes of [
      [],
      [
        { at: 'header', set: { alg: 'HS256' } },
        { at: 'sign', with: 'hmac-private-key-text' },
      ],
      [{ at: 'claims', set: { exp: 'soon' } }],
    ] as Mistake[][]) {
      const token = jwt(mistakes);
      const result = inspectAssertion({ jwt: `assertion=${token}`, now: NOW, host: 'login.salesforce.com', certificate: cert(testKeys().certificatePem) });
      const outputs = [renderInspection(result), JSON.stringify(result)];
      for (const out of outputs) {
        expect(out).not.toContain(signatureOf(token));
        expect(out).not.toContain(token);
      }
      expect(renderInspection(result)).toContain(`\nSignature\n  [${Buffer.from(signatureOf(token), 'base64url').length} bytes] `);
    }
  });
});

describe('inspect: reading what was pasted', () => {
  const token = jwt();
  it.each([
    ['a bare JWT', token],
    ['with white space', `  ${token}\n`],
    ['assertion=<jwt>', `assertion=${token}`],
    ['a form body', `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${token}`],
    ['a curl line', `curl https://login.salesforce.com/services/oauth2/token -d 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=${token}'`],
    ['a JSON body', `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","assertion":"${token}"}`],
    ['a quoted JWT', `"${token}"`],
  ])('%s', (_name, text) => {
    expect(extractAssertion(text)).toBe(token);
  });

  it.each([
    ['login.salesforce.com', 'login.salesforce.com'],
    ['https://Acme.my.salesforce.com/', 'acme.my.salesforce.com'],
    ['https://test.salesforce.com/services/oauth2/token', 'test.salesforce.com'],
    ['http://', undefined],
  ])('--host %s', (given, host) => {
    expect(hostName(given)).toBe(host);
  });

  it('renders header, payload, claims, signature and findings', () => {
    const text = renderInspection(inspectAssertion({ jwt: jwt([{ at: 'claims', rename: { iss: 'Iss' } }]), now: NOW }));
    expect(text).toBe(
      [
        'Header',
        '  {',
        '    "alg": "RS256"',
        '  }',
        '',
        'Payload',
        '  {',
        '    "Iss": "3MVG9sfjwtTestConsumerKey",',
        '    "sub": "integration@acme.com",',
        '    "aud": "https://login.salesforce.com",',
        `    "exp": ${NOW_S + 180}`,
        '  }',
        '',
        'Claims',
        '  Iss  "3MVG9sfjwtTestConsumerKey"',
        '       - claim names are case-sensitive: this is not iss',
        '  sub  "integration@acme.com"',
        '       - shaped like a username',
        '  aud  "https://login.salesforce.com"',
        '       - the production audience: for login.salesforce.com and production My Domains',
        '       - give --host (the host it is posted to) to check it against that host',
        `  exp  ${NOW_S + 180}`,
        '       - 2026-03-01T12:03:00.000Z, 180 s from now',
        '  iss  (missing)',
        '       - missing',
        '',
        'Signature',
        '  [256 bytes] not verified (give --cert FILE, the certificate on the connected app)',
        '',
        'Findings',
        '  error   claim-name-case (check issuer): "Iss" instead of "iss"',
        '          the payload has "Iss" and no "iss"',
        '          fix: Claim names are case-sensitive: rename "Iss" to "iss".',
        '',
        '1 error',
      ].join('\n'),
    );
  });
});
