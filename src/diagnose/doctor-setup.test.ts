/**
 * The doctor and the setup lints against the mock (HTTPS, strict): a sandbox user sent to the
 * production login URL is the user check's root cause, with the lint quoted as evidence, even where
 * no probe of the other environment can run; a key that cannot be opened (no passphrase, a wrong
 * one, a damaged file, a certificate) is the root cause, and nothing is sent; a captured request is
 * diagnosed without a key, the probes that would re-sign it listed as not sent.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { NOW, testKeys, testStateDir, testWorld } from '../../mock-server/testing/fixtures.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { buildRequest } from '../client/build-request.ts';
import type { FetchLike } from '../client/https-fetch.ts';
import { fetchTrusting } from '../client/https-fetch.ts';
import { type DoctorInput, runDoctor } from './doctor.ts';

const dir = testStateDir('sfjwt-doctor-setup-');
const world = testWorld();
const consumerKey = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized)?.consumerKey ?? '';
let mock: StartedMockOrg;

beforeAll(async () => {
  mock = await startMockOrg({ world, clock: frozenClock(NOW), strict: true, stateDir: dir });
});
afterAll(async () => mock.close());

const input = (over: Partial<DoctorInput>): DoctorInput => ({
  loginUrl: mock.login,
  consumerKey,
  username: 'integration@acme.com',
  key: { data: Buffer.from(testKeys().privateKeyPem), source: 'server.key' },
  fetch: fetchTrusting(mock.caPem),
  now: () => NOW,
  ...over,
});

describe('a sandbox user sent to the production login URL', () => {
  // The default world's sandbox acme-uat has integration@acme.com.uat.
  const SAW = (login: string) =>
    `integration@acme.com.uat ends with ".uat", the suffix Salesforce appends to usernames in the sandbox "uat"; the setup sends aud https://login.salesforce.com, production's, to ${login}`;

  it('is the user check, the username quoted as evidence, without a probe of the other environment (none was possible)', async () => {
    // No other login URL: the mock's host is no Salesforce host, so the doctor has no sandbox to probe.
    const report = await runDoctor(input({ username: 'integration@acme.com.uat' }));
    expect(report.rootCause).toEqual({
      check: 'user',
      title: 'The username belongs to a sandbox, the login URL to production',
      evidence: ["Salesforce answered 400 invalid_grant: user hasn't approved this consumer", SAW(mock.login)],
      fix: "Log integration@acme.com.uat in at https://test.salesforce.com (or the sandbox's My Domain, https://<domain>--uat.sandbox.my.salesforce.com) with aud https://test.salesforce.com.",
      alternatives: ['audience', 'app-access'],
    });
    expect(report.probes).toEqual([]);
    expect(report.findings.find((f) => f.id === 'username-sandbox-at-production')).toMatchObject({ check: 'user', severity: 'error', saw: SAW(mock.login) });
  });

  it("names the sandbox's login URL when it is known, and following the fix gets a token", async () => {
    const report = await runDoctor(input({ username: 'integration@acme.com.uat', hosts: { test: mock.test } }));
    expect(report.rootCause?.fix).toBe(`Log integration@acme.com.uat in at ${mock.test} with aud https://test.salesforce.com.`);
    const fixed = await runDoctor(input({ username: 'integration@acme.com.uat', loginUrl: mock.test, audience: 'https://test.salesforce.com' }));
    expect(fixed).toMatchObject({ ok: true, rootCause: null, answer: '200 with an access token' });
    expect(fixed.findings.map((f) => f.id)).toEqual([]);
  });
});

describe('a key the doctor cannot open is the root cause; nothing is sent', () => {
  const PASSPHRASE = 'the-right-passphrase';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const encrypted = Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }));
  const pem = testKeys().privateKeyPem.split('\n');
  const damaged = Buffer.from([...pem.slice(0, 4), ...pem.slice(9)].join('\n'));
  const ENC = 'an encrypted private key (PKCS#8 PEM, "BEGIN ENCRYPTED PRIVATE KEY")';
  const NOT_SENT = 'nothing was sent: without the key the assertion cannot be signed';
  const refuse: FetchLike = async () => expect.unreachable('the doctor sent a request without a key');

  it.each([
    [
      'an encrypted key, no passphrase',
      { data: encrypted, source: 'server.pass.key' },
      'The key cannot be opened: it is encrypted and no passphrase was given',
      `server.pass.key is ${ENC} and needs a passphrase`,
      'Give the passphrase of server.pass.key: --passphrase P, or SFJWT_KEY_PASSPHRASE (other local users cannot read it, as they can a flag), or passphrase in the target; or give the unencrypted key.',
    ],
    [
      'an encrypted key, a wrong passphrase',
      { data: encrypted, source: 'server.pass.key', passphrase: 'not-it' },
      'The key cannot be opened: the passphrase does not open it',
      `the passphrase does not open server.pass.key (${ENC})`,
      'Give the passphrase server.pass.key was encrypted with (it is case-sensitive; a JKS key password may differ from the store password) with --passphrase or SFJWT_KEY_PASSPHRASE, or the key file this passphrase belongs to.',
    ],
    [
      'a damaged key file',
      { data: damaged, source: 'server.key' },
      'The key cannot be opened: the file is damaged',
      'server.key looks like a private key (PKCS#8 PEM, "BEGIN PRIVATE KEY") but cannot be read: it is damaged, cut short or edited (error:1E08010C:DECODER routines::unsupported)',
      'Copy the key file again, whole: every line from -----BEGIN to -----END, unchanged (a copy from a terminal or a chat can wrap, cut or trim lines).',
    ],
    [
      'the certificate given as the key',
      { data: Buffer.from(testKeys().certificatePem), source: 'server.crt' },
      'The key cannot be opened: the key file is a certificate, not the private key',
      'server.crt is an X.509 certificate ("BEGIN CERTIFICATE")',
      'Sign with the private key the certificate was made from (server.key, "BEGIN PRIVATE KEY"); the certificate goes to the connected app (and to --cert, to compare).',
    ],
  ] as const)('%s', async (_name, key, title, saw, fix) => {
    const report = await runDoctor(input({ key, fetch: refuse }));
    expect(report).toMatchObject({ ok: false, answer: 'not sent: the key cannot be read', probes: [] });
    expect(report.rootCause).toEqual({ check: 'signature', title, evidence: [saw, NOT_SENT], fix, alternatives: [] });
  });

  it('the right passphrase opens it (and the app, holding another certificate, refuses the signature)', async () => {
    const report = await runDoctor(input({ key: { data: encrypted, source: 'server.pass.key', passphrase: PASSPHRASE } }));
    expect(report.answer).toBe('400 invalid_grant: invalid assertion');
    expect(report.rootCause?.check).toBe('signature');
  });
});

describe('a captured request without a key', () => {
  const captured = (audience: string) => {
    const r = buildRequest({
      consumerKey,
      username: 'integration@acme.com',
      privateKey: testKeys().key,
      hostUrl: () => mock.login,
      realUrl: () => mock.login,
      usernameOf: () => undefined,
      host: 'login',
      audience,
      now: NOW,
    });
    return { method: r.method, url: r.url, headers: r.headers, body: r.body };
  };

  it('is diagnosed as sent; the probes that would re-sign it are listed as not sent, and the evidence says so', async () => {
    const report = await runDoctor(input({ key: undefined, request: captured('https://test.salesforce.com') }));
    const NOT_SENT = 'not sent: no key to re-sign the request with (give the key to run this probe)';
    expect(report.answer).toBe('400 invalid_grant: audience is invalid');
    expect(report.rootCause).toMatchObject({
      check: 'audience',
      evidence: ['Salesforce answered 400 invalid_grant: audience is invalid', 'no other audience was tried: there is no key to re-sign the request with'],
    });
    expect(report.probes).toEqual([
      { name: 'aud https://login.salesforce.com', what: 'the same request with aud https://login.salesforce.com', answer: NOT_SENT },
      { name: `aud ${mock.login}`, what: `the same request with aud ${mock.login}`, answer: NOT_SENT },
    ]);
  });

  it('a captured request that works: ok', async () => {
    const report = await runDoctor(input({ key: undefined, request: captured('https://login.salesforce.com') }));
    expect(report).toMatchObject({ ok: true, rootCause: null, probes: [] });
  });

  it('no key and no request: the root cause says what to give', async () => {
    const report = await runDoctor(input({ key: undefined }));
    expect(report).toMatchObject({ ok: false, answer: 'not sent: no key' });
    expect(report.rootCause).toEqual({
      check: 'signature',
      title: 'No key to sign with',
      evidence: ['no key and no captured request were given'],
      fix: 'Give the private key whose certificate is on the connected app (--key server.key), or a captured request (--request FILE).',
      alternatives: [],
    });
  });
});
