/**
 * `explain` and `inspect` as a user meets them, run in this process through `main(argv, io)` with
 * captured output, standard input given as text, the frozen NOW and an env of its own. Exit code 0
 * when explained or clean, 1 when inspect finds errors, 2 for usage mistakes (with a message and no
 * stack trace); `inspect -` reads standard input; the signature is never printed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NOW, testKeys } from '../../mock-server/testing/fixtures.ts';
import type { Mistake } from '../../scenarios/mistake-schema.ts';
import { buildRequest, type RequestContext } from '../client/build-request.ts';
import { main } from './main.ts';

const home = mkdtempSync(join(tmpdir(), 'sfjwt-diagnose-cli-'));
const env = { SFJWT_HOME: home, NO_COLOR: '1' };

/** `npx sfjwt …` in this process, with `input` on standard input: exit code and what it wrote. */
async function run(args: string[], input?: string, terminal: { env?: Record<string, string>; isTTY?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(Readable.from(input === undefined ? [] : [input]), { isTTY: terminal.isTTY });
  const code = await main(args, {
    stdout: { write: (chunk) => ((stdout += chunk), true), isTTY: terminal.isTTY },
    stderr: { write: (chunk) => ((stderr += chunk), true), isTTY: terminal.isTTY },
    stdin,
    env: terminal.env ?? env,
    now: () => NOW,
  });
  return { code, stdout, stderr };
}

const URL_OF = (role: string) => (role === 'test' ? 'https://test.salesforce.com' : 'https://login.salesforce.com');
const jwt = (mistakes: Mistake[] = []) => {
  // Signed at the NOW the CLI is given, so exp is judged against the same frozen clock.
  const ctx: RequestContext = {
    consumerKey: '3MVG9sfjwtCliTest',
    username: 'integration@acme.com',
    privateKey: testKeys().key,
    hostUrl: URL_OF,
    realUrl: URL_OF,
    usernameOf: () => undefined,
    host: 'login',
    audience: 'https://login.salesforce.com',
    now: NOW,
  };
  return buildRequest(ctx, mistakes).assertion ?? '';
};
const certFile = join(home, 'server.crt');
const keyFile = join(home, 'server.key');
writeFileSync(certFile, testKeys().certificatePem);
writeFileSync(keyFile, testKeys().privateKeyPem);

describe('sfjwt explain', () => {
  it.each([
    [["user hasn't approved this consumer"], "invalid_grant: user hasn't approved this consumer  (HTTP 400)"],
    [['user', "hasn't", 'approved'], "invalid_grant: user hasn't approved this consumer  (HTTP 400)"],
    [['{"error":"invalid_grant","error_description":"audience is invalid"}'], 'invalid_grant: audience is invalid  (HTTP 400)'],
    [['sub.typo'], 'sub.typo: Mistyped username in sub'],
    [['signature'], 'signature: Signature verifies with a certificate on the app'],
  ])('%j exits 0', async (args, first) => {
    const r = await run(['explain', ...args]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(first);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('words typed apart are looked up as one name, and the output says so', async () => {
    const r = await run(['explain', 'invalid', 'grant']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['Read "invalid grant" as invalid_grant.', '', '8 answers match "invalid_grant"']);
    const check = await run(['explain', 'user', 'state']);
    expect(check.stdout.split('\n').slice(0, 3)).toEqual(['Read "user state" as user-state.', '', 'user-state: User active and not frozen; org active']);
    // A query found as typed gets no such line.
    expect((await run(['explain', 'invalid_grant'])).stdout.startsWith('8 answers match "invalid_grant"')).toBe(true);
    const unknown = await run(['explain', 'hello', 'world']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n').slice(0, 2)).toEqual(['sfjwt: explain does not know "hello world"', '  → Looked up "hello world", hello_world and hello-world.']);
  });

  it.each([
    [['INVALID_SESSION_ID'], 'INVALID_SESSION_ID: Session expired or invalid  (HTTP 401, the REST API)'],
    [['Session', 'expired', 'or', 'invalid'], 'INVALID_SESSION_ID: Session expired or invalid  (HTTP 401, the REST API)'],
    [['Bad_OAuth_Token'], 'Bad_OAuth_Token  (HTTP 403, the identity service: the id URL and /services/oauth2/userinfo)'],
    [['URL No Longer Exists'], 'HTTP 404'],
  ])('the answers after the token: %j', async (args, first) => {
    const r = await run(['explain', ...args]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(first);
  });

  it('--json prints the structured explanation', async () => {
    const r = await run(['explain', '--json', 'invalid_client_id']);
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
  ])('%j exits 2 with a clear message', async (args, lines) => {
    const r = await run(['explain', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(0, lines.length)).toEqual(lines);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    if (args.length === 1 && !args[0]?.startsWith('-')) expect(r.stderr).toContain('explain knows error codes (unsupported_grant_type, invalid_request, invalid_grant,');
  });
});

describe('what a terminal gets', () => {
  // Colour and the paste hint follow the stream and env the command is given, not the test's own.
  it.each([
    [{ isTTY: true, env: { SFJWT_HOME: home } }, true],
    [{ isTTY: true, env: { SFJWT_HOME: home, NO_COLOR: '1' } }, false],
    [{ isTTY: false, env: { SFJWT_HOME: home } }, false],
  ])('explain on %j: colour %s', async (terminal, coloured) => {
    const r = await run(['explain', 'invalid_grant'], undefined, terminal);
    expect(r.code).toBe(0);
    expect(r.stdout.includes('\u001b[')).toBe(coloured);
  });

  it.each([
    [true, 'Paste the JWT, then press Ctrl-D (Ctrl-Z Enter on Windows).\n'],
    [false, ''],
  ])('inspect - with a terminal on standard input (%s) says how to end the input', async (isTTY, hint) => {
    const r = await run(['inspect', '-', '--json'], jwt(), { isTTY, env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(hint);
  });
});

describe('sfjwt inspect', () => {
  it('a correct assertion with its certificate: exit 0, verified, no signature printed', async () => {
    const token = jwt();
    const r = await run(['inspect', token, '--cert', certFile, '--host', 'login.salesforce.com']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\nSignature\n  [256 bytes] verified with the certificate\n');
    expect(r.stdout).toContain('  info    signature-verified (check signature): The signature verifies with the certificate\n');
    expect(r.stdout.endsWith('\nno errors\n')).toBe(true);
    expect(r.stdout).not.toContain(token.split('.')[2]);
  });

  it('errors: exit 1, each with its check', async () => {
    const r = await run([
      'inspect',
      jwt([
        { at: 'claims', rename: { iss: 'Iss' } },
        { at: 'claims', set: { aud: 'https://test.salesforce.com' } },
      ]),
      '--host',
      'https://login.salesforce.com',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  error   claim-name-case (check issuer): "Iss" instead of "iss"\n');
    expect(r.stdout).toContain('  error   aud-wrong-environment (check audience): Sandbox audience sent to a production host\n');
    expect(r.stdout.endsWith('\n2 errors\n')).toBe(true);
  });

  it.each([
    ['a bare JWT', (t: string) => `${t}\n`],
    ['assertion=<jwt>', (t: string) => `assertion=${t}`],
    ['a whole form body', (t: string) => `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${t}\n`],
  ])('- reads %s from standard input', async (_name, wrapIt) => {
    const token = jwt();
    const r = await run(['inspect', '-', '--json', '--cert', certFile], wrapIt(token));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['header', 'payload', 'findings', 'signature']);
    expect(out).toMatchObject({ header: { alg: 'RS256' }, payload: { iss: '3MVG9sfjwtCliTest', sub: 'integration@acme.com' }, signature: { bytes: 256, verified: true } });
    expect(r.stdout).not.toContain(token.split('.')[2]);
  });

  it('a mismatching certificate: exit 1 with signature-mismatch', async () => {
    const token = jwt([{ at: 'sign', with: 'other-key' }]);
    const r = await run(['inspect', token, '--cert', certFile, '--json']);
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
  ])('%j exits 2 with a clear message', async (args, input, message) => {
    const r = await run(['inspect', ...args], input);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help of both commands, and both in the command list', async () => {
    expect((await run(['inspect', '--help'])).stdout).toContain('npx sfjwt inspect <JWT | -> [--cert FILE] [--host HOST] [--json]');
    expect((await run(['explain', '--help'])).stdout).toContain('npx sfjwt explain <error code');
    const list = (await run(['--help'])).stdout;
    expect(list).toMatch(/^ {2}explain +Explain a Salesforce answer/m);
    expect(list).toMatch(/^ {2}inspect +Decode and lint an assertion/m);
  });
});
