/**
 * `doctor --request FILE` as a user meets it, in this process through `main(argv, io)` against the
 * mock: the captured request answers --login, --client-id and --username (its URL, its assertion's
 * iss and sub), --key is optional (the probes that would re-sign are listed as not sent), flags
 * given win, and a request whose assertion says nothing needs the flags only when --key asks to
 * re-sign. A key the doctor cannot open is the root cause (exit 1); SFJWT_KEY_PASSPHRASE opens it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { NOW, testKeys, testStateDir, testWorld } from '../../mock-server/testing/fixtures.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { buildRequest } from '../client/build-request.ts';
import { main } from './main.ts';

const home = mkdtempSync(join(tmpdir(), 'sfjwt-doctor-cli-'));
const world = testWorld();
const consumerKey = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized)?.consumerKey ?? '';
let mock: StartedMockOrg;
const at = (name: string) => join(home, name);

beforeAll(async () => {
  mock = await startMockOrg({ world, clock: frozenClock(NOW), strict: true, stateDir: testStateDir('sfjwt-doctor-cli-mock-') });
  writeFileSync(at('ca.pem'), mock.caPem ?? '');
  writeFileSync(at('server.key'), testKeys().privateKeyPem);
});
afterAll(async () => mock.close());

/** `npx sfjwt …` in this process: exit code and what it wrote. */
async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (chunk) => ((stdout += chunk), true), isTTY: false },
    stderr: { write: (chunk) => ((stderr += chunk), true), isTTY: false },
    stdin: Object.assign(Readable.from([]), { isTTY: false }),
    env: { SFJWT_HOME: home, NO_COLOR: '1', ...env },
    now: () => NOW,
  });
  return { code, stdout, stderr };
}

/** A request as a client sent it to the mock's login host, written to a file. */
function requestFile(name: string, claims: { sub?: string; aud?: string }, assertion?: string): string {
  const r = buildRequest({
    consumerKey,
    username: claims.sub ?? 'integration@acme.com',
    privateKey: testKeys().key,
    hostUrl: () => mock.login,
    realUrl: () => mock.login,
    usernameOf: () => undefined,
    host: 'login',
    audience: claims.aud ?? 'https://login.salesforce.com',
    now: NOW,
  });
  const body = assertion === undefined ? r.body : `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:jwt-bearer')}&assertion=${assertion}`;
  writeFileSync(at(name), JSON.stringify({ method: r.method, url: r.url, headers: r.headers, body }));
  return at(name);
}

const json = (stdout: string) =>
  JSON.parse(stdout) as { ok: boolean; answer: string; rootCause: { check: string; title: string; evidence: string[]; fix: string } | null; probes: { what: string; answer: string }[] };
const NOT_SENT = 'not sent: no key to re-sign the request with (give the key to run this probe)';

describe('doctor --request FILE needs no flag the request answers', () => {
  it('a sandbox user sent to login, with --request alone: the user check, from the assertion’s sub', async () => {
    const file = requestFile('sandbox-at-login.json', { sub: 'integration@acme.com.uat' });
    const r = await run(['doctor', '--request', file, '--ca', at('ca.pem'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = json(r.stdout);
    expect(report.rootCause).toMatchObject({
      check: 'user',
      title: 'The username belongs to a sandbox, the login URL to production',
      fix: "Log integration@acme.com.uat in at https://test.salesforce.com (or the sandbox's My Domain, https://<domain>--uat.sandbox.my.salesforce.com) with aud https://test.salesforce.com.",
    });
    expect(report.rootCause?.evidence[1]).toBe(
      `integration@acme.com.uat ends with ".uat", the suffix Salesforce appends to usernames in the sandbox "uat"; the setup sends aud https://login.salesforce.com, production's, to ${mock.login}`,
    );
  });

  it('without --key, the probes that would re-sign are listed as not sent, in the text report too', async () => {
    const file = requestFile('test-aud-at-login.json', { aud: 'https://test.salesforce.com' });
    const r = await run(['doctor', '--request', file, '--ca', at('ca.pem')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['answer: 400 invalid_grant: audience is invalid', '']);
    // The root cause line ends with the confidence the evidence step gives it.
    expect(lines[2]?.startsWith('Root cause: aud is not an audience of this host (check: audience')).toBe(true);
    expect(lines.slice(3, 5)).toEqual(['  - Salesforce answered 400 invalid_grant: audience is invalid', '  - no other audience was tried: there is no key to re-sign the request with']);
    expect(r.stdout).toContain(`Probes:\n  the same request with aud https://login.salesforce.com: ${NOT_SENT}\n  the same request with aud ${mock.login}: ${NOT_SENT}`);
  });

  it('with --key the same request is re-signed for the probes, which find the audience that works', async () => {
    const file = requestFile('test-aud-at-login-key.json', { aud: 'https://test.salesforce.com' });
    const report = json((await run(['doctor', '--request', file, '--key', at('server.key'), '--ca', at('ca.pem'), '--json'])).stdout);
    expect(report.rootCause).toMatchObject({ check: 'audience', fix: 'Set aud to https://login.salesforce.com.' });
    expect(report.probes).toEqual([{ name: 'aud https://login.salesforce.com', what: 'the same request with aud https://login.salesforce.com', answer: '200 with an access token' }]);
  });

  it('flags given win over what the request says', async () => {
    const file = requestFile('override.json', { sub: 'integration@acme.com.uat' });
    // The captured request is sent as it is; --username changes what the doctor lints and re-signs.
    const r = await run(['doctor', '--request', file, '--username', 'integration@acme.com', '--ca', at('ca.pem'), '--json']);
    const report = JSON.parse(r.stdout) as { rootCause: { check: string; alternatives: string[] }; findings: { id: string }[] };
    // Linted as integration@acme.com, no sandbox suffix is seen: the answer alone leaves app-access or user.
    expect(report.findings.map((f) => f.id)).toEqual([]);
    expect(report.rootCause).toMatchObject({ check: 'app-access', alternatives: ['user'] });
  });

  it('a request whose assertion says nothing: fine without --key; with it, the flags it cannot answer are asked for', async () => {
    const file = requestFile('two-parts.json', {}, 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0');
    const bare = await run(['doctor', '--request', file, '--ca', at('ca.pem'), '--json']);
    expect(bare.code).toBe(1);
    expect(json(bare.stdout).rootCause?.check).toBe('assertion');
    const keyed = await run(['doctor', '--request', file, '--key', at('server.key'), '--ca', at('ca.pem')]);
    expect(keyed.code).toBe(2);
    expect(keyed.stderr.split('\n').slice(0, 2)).toEqual([
      `sfjwt: doctor --request with --key needs --client-id and --username: the request's assertion has 2 parts separated by "."; a signed JWT has 3 (header.payload.signature)`,
      '  → Give --client-id and --username, or leave out --key to diagnose the request as sent.',
    ]);
  });

  it('without --request the flags are still needed', async () => {
    const r = await run(['doctor', '--login', mock.login]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('sfjwt: doctor needs --target, or --client-id, --username, --key');
  });
});

describe('doctor with a key it cannot open', () => {
  const PASSPHRASE = 'the-right-passphrase';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const flags = () => ['doctor', '--login', mock.login, '--client-id', consumerKey, '--username', 'integration@acme.com', '--key', at('server.pass.key'), '--ca', at('ca.pem')];
  beforeAll(() => writeFileSync(at('server.pass.key'), privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE })));

  it.each([
    ['no passphrase', [], {}, 'Root cause: The key cannot be opened: it is encrypted and no passphrase was given (check: signature'],
    ['a wrong passphrase', ['--passphrase', 'not-it'], {}, 'Root cause: The key cannot be opened: the passphrase does not open it (check: signature'],
    ['a wrong SFJWT_KEY_PASSPHRASE', [], { SFJWT_KEY_PASSPHRASE: 'not-it' }, 'Root cause: The key cannot be opened: the passphrase does not open it (check: signature'],
  ] as const)('%s: the root cause, exit 1, the passphrase never printed', async (_name, extra, env, line) => {
    const r = await run([...flags(), ...extra], env);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['answer: not sent: the key cannot be read', '']);
    expect(lines[2]?.startsWith(line)).toBe(true);
    expect(r.stdout).not.toContain('not-it');
  });

  it('SFJWT_KEY_PASSPHRASE opens it (the app then refuses a key whose certificate it does not hold)', async () => {
    const r = await run(flags(), { SFJWT_KEY_PASSPHRASE: PASSPHRASE });
    expect(r.stdout.split('\n')[0]).toBe('answer: 400 invalid_grant: invalid assertion');
  });
});
