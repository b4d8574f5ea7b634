/**
 * `explain` and `inspect` as a user meets them: a real `node bin/sfjwt.js` process. Exit code 0 when
 * explained or clean, 1 when inspect finds errors, 2 for usage mistakes (with a message and no
 * stack trace); `inspect -` reads standard input; the signature is never printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testKeys } from '../../mock-server/testing/fixtures.ts';
import { buildRequest, type RequestContext } from '../client/build-request.ts';
import type { Mistake } from '../../scenarios/mistake-schema.ts';

const BIN = new URL('../../bin/sfjwt.js', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'sfjwt-diagnose-cli-'));
const env = { ...process.env, SFJWT_HOME: home, NO_COLOR: '1' };

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 30_000, ...(input === undefined ? {} : { input }) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const URL_OF = (role: string) => (role === 'test' ? 'https://test.salesforce.com' : 'https://login.salesforce.com');
const jwt = (mistakes: Mistake[] = []) => {
  // The CLI judges exp against the real clock, so these are signed now.
  const ctx: RequestContext = { consumerKey: '3MVG9sfjwtCliTest', username: 'integration@acme.com', privateKey: testKeys().key, hostUrl: URL_OF, realUrl: URL_OF, usernameOf: () => undefined, host: 'login', audience: 'https://login.salesforce.com', now: Date.now() };
  return buildRequest(ctx, mistakes).assertion ?? '';
};
const certFile = join(home, 'server.crt');
const keyFile = join(home, 'server.key');
writeFileSync(certFile, testKeys().certificatePem);
writeFileSync(keyFile, testKeys().privateKeyPem);

describe('sfjwt explain', () => {
  it.each([
    [["user hasn't approved this consumer"], 'invalid_grant: user hasn\'t approved this consumer  (HTTP 400)'],
    [['user', "hasn't", 'approved'], 'invalid_grant: user hasn\'t approved this consumer  (HTTP 400)'],
    [['{"error":"invalid_grant","error_description":"audience is invalid"}'], 'invalid_grant: audience is invalid  (HTTP 400)'],
    [['sub.typo'], 'sub.typo: Mistyped username in sub'],
    [['signature'], 'signature: Signature verifies with a certificate on the app'],
  ])('%j exits 0', (args, first) => {
    const r = run(['explain', ...args]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(first);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('--json prints the structured explanation', () => {
    const r = run(['explain', '--json', 'invalid_client_id']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as { kind: string; answers: { error: string; causes: { check: string; scenarios: { id: string }[] }[] }[] };
    expect(e.kind).toBe('answer');
    expect(e.answers.map((a) => [a.error, a.causes.map((c) => c.check)])).toEqual([['invalid_client_id', ['issuer']]]);
    expect(e.answers[0]?.causes[0]?.scenarios.map((s) => s.id)).toContain('claims.iss-capitalised');
  });

  it.each([
    [['invalid_grnt'], ['sfjwt: explain does not know "invalid_grnt"', '  → Close matches: invalid_grant.']],
    [['hello world'], ['sfjwt: explain does not know "hello world"']],
    [[], ['sfjwt: explain needs something to explain', '  → Usage: npx sfjwt explain <error code | error_description | JSON body | scenario id | check id> [--json]']],
    [['--nope'], ["sfjwt: Unknown option '--nope'"]],
  ])('%j exits 2 with a clear message', (args, lines) => {
    const r = run(['explain', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(0, lines.length)).toEqual(lines);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    if (args.length === 1 && !args[0]?.startsWith('-')) expect(r.stderr).toContain('explain knows error codes (unsupported_grant_type, invalid_request, invalid_grant,');
  });
});

describe('sfjwt inspect', () => {
  it('a correct assertion with its certificate: exit 0, verified, no signature printed', () => {
    const token = jwt();
    const r = run(['inspect', token, '--cert', certFile, '--host', 'login.salesforce.com']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\nSignature\n  [256 bytes] verified with the certificate\n');
    expect(r.stdout).toContain('  info    signature-verified (check signature): The signature verifies with the certificate\n');
    expect(r.stdout.endsWith('\nno errors\n')).toBe(true);
    expect(r.stdout).not.toContain(token.split('.')[2]);
  });

  it('errors: exit 1, each with its check', () => {
    const r = run(['inspect', jwt([{ at: 'claims', rename: { iss: 'Iss' } }, { at: 'claims', set: { aud: 'https://test.salesforce.com' } }]), '--host', 'https://login.salesforce.com']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  error   claim-name-case (check issuer): "Iss" instead of "iss"\n');
    expect(r.stdout).toContain('  error   aud-wrong-environment (check audience): Sandbox audience sent to a production host\n');
    expect(r.stdout.endsWith('\n2 errors\n')).toBe(true);
  });

  it.each([
    ['a bare JWT', (t: string) => `${t}\n`],
    ['assertion=<jwt>', (t: string) => `assertion=${t}`],
    ['a whole form body', (t: string) => `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${t}\n`],
  ])('- reads %s from standard input', (_name, wrapIt) => {
    const token = jwt();
    const r = run(['inspect', '-', '--json', '--cert', certFile], wrapIt(token));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['header', 'payload', 'findings', 'signature']);
    expect(out).toMatchObject({ header: { alg: 'RS256' }, payload: { iss: '3MVG9sfjwtCliTest', sub: 'integration@acme.com' }, signature: { bytes: 256, verified: true } });
    expect(r.stdout).not.toContain(token.split('.')[2]);
  });

  it('a mismatching certificate: exit 1 with signature-mismatch', () => {
    const token = jwt([{ at: 'sign', with: 'other-key' }]);
    const r = run(['inspect', token, '--cert', certFile, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: { id: string; check: string; severity: string }[]; signature: unknown };
    expect(out.findings.map((f) => [f.id, f.check, f.severity])).toEqual([['signature-mismatch', 'signature', 'error']]);
    expect(out.signature).toEqual({ bytes: 256, verified: false });
  });

  it.each([
    [[], '', 'sfjwt: inspect needs a JWT, or - to read it from standard input'],
    [['-'], '  \n', 'sfjwt: no JWT on standard input'],
    [['a.b.c', 'd.e.f'], '', 'sfjwt: inspect takes one JWT, got 2 arguments'],
    [['a.b.c', '--cert', join(home, 'missing.crt')], '', `sfjwt: cannot read the certificate file ${join(home, 'missing.crt')}: ENOENT`],
    [['a.b.c', '--cert', keyFile], '', `sfjwt: ${keyFile} is a private key (PKCS#8 PEM, "BEGIN PRIVATE KEY"), not a certificate`],
    [['a.b.c', '--host', 'http://'], '', 'sfjwt: --host takes a host name or URL, got "http://"'],
  ])('%j exits 2 with a clear message', (args, input, message) => {
    const r = run(['inspect', ...args], input);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help of both commands, and both in the command list', () => {
    expect(run(['inspect', '--help']).stdout).toContain('npx sfjwt inspect <JWT | -> [--cert FILE] [--host HOST] [--json]');
    expect(run(['explain', '--help']).stdout).toContain('npx sfjwt explain <error code');
    const list = run(['--help']).stdout;
    expect(list).toMatch(/^ {2}explain +Explain a Salesforce answer/m);
    expect(list).toMatch(/^ {2}inspect +Decode and lint an assertion/m);
  });
});
