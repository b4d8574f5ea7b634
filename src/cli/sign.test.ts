/**
 * `sfjwt sign`, in this process through `main(argv, io)` with the frozen NOW: the compact JWT alone
 * on standard output (byte for byte what lib/jws.ts makes of the claims, and verifiable with the
 * app's certificate), the lint of `inspect` on standard error, exit code 2 for a lint error unless
 * --force; claims from flags, a config target or a served mock's line; the key never printed.
 */
import { createPrivateKey, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { signCompact } from '../../lib/jws.ts';
import { NOW, NOW_S, testKeys } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';

const home = mkdtempSync(join(tmpdir(), 'sfjwt-sign-'));
const keyFile = join(home, 'server.key');
const encryptedKeyFile = join(home, 'server.pass.key');
const PASSPHRASE = 'a-passphrase-of-the-user';
writeFileSync(keyFile, testKeys().privateKeyPem);
writeFileSync(encryptedKeyFile, createPrivateKey(testKeys().privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }));

const ISS = '3MVG9sfjwtSignTest';
const SUB = 'integration@acme.com';
const LOGIN = 'https://login.salesforce.com';
const BASE = ['--iss', ISS, '--sub', SUB, '--key', keyFile];

/** `npx sfjwt sign …` with no terminal to ask a passphrase on, unless `askSecret` plays one. */
async function run(argv: string[], env: Record<string, string> = {}, askSecret?: (question: string) => Promise<string | undefined>) {
  const stdout = collector();
  const stderr = collector();
  const io = { stdout, stderr, stdin: Readable.from([]), env: { SFJWT_HOME: home, NO_COLOR: '1', ...env }, now: () => NOW, cwd: home };
  const code = await main(['sign', ...argv], askSecret === undefined ? io : { ...io, askSecret });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** What lib/jws.ts makes of these claims with the test key: what sign must print, byte for byte. */
const signed = (claims: Record<string, unknown>) => `${signCompact({ header: { alg: 'RS256' }, payload: claims, alg: 'RS256', key: testKeys().key })}\n`;
const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('sfjwt sign', () => {
  it('prints the JWT alone on stdout, signed RS256 as lib/jws.ts signs, and the lint on stderr', async () => {
    const r = await run([...BASE, '--host', 'login']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(signed({ iss: ISS, sub: SUB, aud: LOGIN, exp: NOW_S + 180 }));
    const [h, p, s] = r.stdout.trim().split('.');
    expect(verify('sha256', Buffer.from(`${h}.${p}`), createPrivateKey(testKeys().privateKeyPem), Buffer.from(s ?? '', 'base64url'))).toBe(true);
    expect(r.stderr).toBe('Findings\n  none\n\nno errors\n');
    expect(r.stderr + r.stdout).not.toContain('PRIVATE KEY');
  });

  it.each([
    [['--consumer-key', ISS, '--username', SUB, '--key', keyFile], { iss: ISS, sub: SUB, aud: LOGIN, exp: NOW_S + 180 }],
    [[...BASE, '--host', 'test'], { iss: ISS, sub: SUB, aud: 'https://test.salesforce.com', exp: NOW_S + 180 }],
    [[...BASE, '--aud', 'https://test.salesforce.com'], { iss: ISS, sub: SUB, aud: 'https://test.salesforce.com', exp: NOW_S + 180 }],
    [[...BASE, '--lifetime', '5m'], { iss: ISS, sub: SUB, aud: LOGIN, exp: NOW_S + 300 }],
    [[...BASE, '--lifetime', '90'], { iss: ISS, sub: SUB, aud: LOGIN, exp: NOW_S + 90 }],
    [[...BASE, '--lifetime', '1h'], { iss: ISS, sub: SUB, aud: LOGIN, exp: NOW_S + 3600 }],
    [[...BASE, '--exp', String(NOW_S + 42)], { iss: ISS, sub: SUB, aud: LOGIN, exp: NOW_S + 42 }],
    [[...BASE, '--claim', 'scope=api', '--claim', 'n=5', '--claim', 'ok=true', '--claim', 'empty='], { iss: ISS, sub: SUB, aud: LOGIN, exp: NOW_S + 180, scope: 'api', n: 5, ok: true, empty: '' }],
    [[...BASE, '--claim', 'aud=https://acme.my.salesforce.com'], { iss: ISS, sub: SUB, aud: 'https://acme.my.salesforce.com', exp: NOW_S + 180 }],
  ])('%j', async (argv, claims) => {
    const r = await run(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(signed(claims));
  });

  it('--host with a My Domain: aud is that URL, and the lint warns (exit 0)', async () => {
    const r = await run([...BASE, '--host', 'acme.my.salesforce.com/some/path']);
    expect(r.code).toBe(0);
    expect(payloadOf(r.stdout)['aud']).toBe('https://acme.my.salesforce.com');
    expect(r.stderr).toContain('  warning aud-my-domain (check audience): aud is a My Domain URL\n');
    expect(r.stderr.endsWith('\nno errors, 1 warning\n')).toBe(true);
  });

  it('a lint error: exit 2 and nothing on stdout; --force prints it anyway', async () => {
    const wrong = [...BASE, '--host', 'login', '--aud', 'https://test.salesforce.com'];
    const refused = await run(wrong);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('  error   aud-wrong-environment (check audience): Sandbox audience sent to a production host\n');
    expect(refused.stderr).toContain('\n1 error\nsfjwt: the assertion has 1 error (listed above), so it is not printed\n  → Fix it, or give --force to print it anyway.\n');
    const forced = await run([...wrong, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe(signed({ iss: ISS, sub: SUB, aud: 'https://test.salesforce.com', exp: NOW_S + 180 }));
    expect(forced.stderr).toContain('aud-wrong-environment');
  });

  it('an encrypted key: the passphrase from --passphrase, SFJWT_KEY_PASSPHRASE or the prompt, never printed', async () => {
    const want = signed({ iss: ISS, sub: SUB, aud: LOGIN, exp: NOW_S + 180 });
    const enc = ['--iss', ISS, '--sub', SUB, '--key', encryptedKeyFile];
    expect((await run([...enc, '--passphrase', PASSPHRASE])).stdout).toBe(want);
    expect((await run(enc, { SFJWT_KEY_PASSPHRASE: PASSPHRASE })).stdout).toBe(want);
    const questions: string[] = [];
    const asked = await run(enc, {}, async (question) => (questions.push(question), PASSPHRASE));
    expect(asked).toMatchObject({ code: 0, stdout: want });
    expect(questions).toEqual([`Passphrase of ${encryptedKeyFile}: `]);
    // A plain key is never asked for one.
    expect((await run(BASE, {}, async () => expect.unreachable('asked for a passphrase'))).code).toBe(0);
    const none = await run(enc);
    expect(none.code).toBe(2);
    expect(none.stderr.split('\n')[0]).toBe(`sfjwt: ${encryptedKeyFile} is an encrypted private key (PKCS#8 PEM, "BEGIN ENCRYPTED PRIVATE KEY") and needs a passphrase`);
    const wrong = await run([...enc, '--passphrase', 'not-it']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.split('\n')[0]).toBe(`sfjwt: the passphrase does not open ${encryptedKeyFile} (an encrypted private key (PKCS#8 PEM, "BEGIN ENCRYPTED PRIVATE KEY"))`);
    for (const r of [none, wrong, asked]) expect(r.stderr + r.stdout).not.toMatch(/not-it|a-passphrase-of-the-user|PRIVATE KEY-----/);
  });

  it('--config FILE --target NAME: iss, sub, key and the sandbox audience from the target; flags override', async () => {
    const config = join(home, 'sfjwt.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        targets: {
          uat: { loginUrl: 'https://test.salesforce.com', consumerKey: { env: 'UAT_KEY' }, username: 'integration@acme.com.uat', keyFile: 'server.pass.key', passphrase: { env: 'UAT_PASS' } },
        },
      }),
    );
    const env = { UAT_KEY: ISS, UAT_PASS: PASSPHRASE };
    // The target's own passphrase opens its key: nothing is asked.
    const r = await run(['--config', config, '--target', 'uat'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(signed({ iss: ISS, sub: 'integration@acme.com.uat', aud: 'https://test.salesforce.com', exp: NOW_S + 180 }));
    // The default config file is sfjwt.config.json of the working folder.
    expect((await run(['--target', 'uat', '--sub', 'other@acme.com.uat'], env)).stdout).toBe(signed({ iss: ISS, sub: 'other@acme.com.uat', aud: 'https://test.salesforce.com', exp: NOW_S + 180 }));
    const unknown = await run(['--config', config, '--target', 'prod'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe(`sfjwt: ${config} has no target "prod"`);
  });

  it('--from-serve FILE: the default app and user of a served mock; a file of another shape names the field', async () => {
    const line = join(home, 'ready.json');
    writeFileSync(line, `${JSON.stringify({ login: 'http://127.0.0.1:1', test: 'http://127.0.0.1:2', ca: null, consumerKey: ISS, privateKeyFile: keyFile, username: SUB, users: [] })}\n`);
    const r = await run(['--from-serve', line]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(signed({ iss: ISS, sub: SUB, aud: LOGIN, exp: NOW_S + 180 }));
    const broken = join(home, 'broken-ready.json');
    writeFileSync(broken, JSON.stringify({ login: 'http://127.0.0.1:1', privateKeyFile: keyFile, username: SUB }));
    const bad = await run(['--from-serve', broken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(`sfjwt: ${broken}: consumerKey: expected a string, got nothing`);
    expect(bad.stderr).not.toMatch(/Invalid input|received/);
  });

  it.each([
    [[], 'sfjwt: sign needs --iss (the consumer key), --sub (the username) and --key (the private key file)'],
    [['--iss', ISS, '--key', keyFile], 'sfjwt: sign needs --sub (the username)'],
    [[...BASE, '--lifetime', '3x'], 'sfjwt: --lifetime takes seconds or a duration such as 90s, 3m or 1h, got "3x"'],
    [[...BASE, '--lifetime', '0'], 'sfjwt: --lifetime takes seconds or a duration such as 90s, 3m or 1h, got "0"'],
    [[...BASE, '--exp', '12.5'], 'sfjwt: --exp takes whole seconds since the epoch (such as 1772366580), got "12.5"'],
    [[...BASE, '--exp', '1', '--lifetime', '1m'], 'sfjwt: --exp and --lifetime both set exp: give one of them'],
    [[...BASE, '--claim', 'nothing'], 'sfjwt: --claim takes NAME=VALUE, got "nothing"'],
    [[...BASE, '--host', 'http://'], 'sfjwt: --host takes login, test or a My Domain URL, got "http://"'],
    [['--iss', ISS, '--sub', SUB, '--key', join(home, 'missing.key')], `sfjwt: cannot read the key file ${join(home, 'missing.key')}: ENOENT`],
    [['--iss', ISS, '--sub', SUB, '--key', keyFile, 'extra'], "sfjwt: Unexpected argument 'extra'. This command does not take positional arguments"],
  ])('%j: exit 2 with a clear message', async (argv, first) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(first);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
