/**
 * The keys tool as a first-time user meets it, in this process through `main(argv, io)`: what
 * Salesforce or keytool would refuse later is refused by `keys generate` at once (exit 2: a key under
 * 2048 bits, an empty passphrase, a store password under 6 characters); passphrases come from the
 * flag, SFJWT_KEY_PASSPHRASE / SFJWT_STOREPASS or a prompt (the context's askSecret, which answers
 * nothing without a terminal); a folder `keys generate` makes gets its .gitignore and a folder of the
 * user's keeps theirs; `keys check` flags a keystore alias Salesforce refuses, lists the aliases a
 * bundle holds, writes "an EC key" and never says ok beside an error; `keys jks` makes a keystore
 * from a key pair that is there.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, issueCertificate } from '../../lib/pki/generate.ts';
import { writeJks } from '../../lib/pki/jks.ts';
import { loadPrivateKey } from '../../lib/pki/load.ts';
import { NOW } from '../../mock-server/testing/fixtures.ts';
import type { CommandIo } from './context.ts';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';

const home = mkdtempSync(join(tmpdir(), 'sfjwt-keys-tool-'));
const at = (name: string) => join(home, name);
let folders = 0;
const folder = () => at(`out-${(folders += 1)}`);

/** `npx sfjwt …` in this process; `answers` are what the terminal prompt gets, in turn (none: no terminal). */
async function run(argv: string[], options: { env?: Record<string, string>; answers?: string[] } = {}) {
  const stdout = collector();
  const stderr = collector();
  const asked: string[] = [];
  const answers = [...(options.answers ?? [])];
  const io: Partial<CommandIo> = {
    stdout,
    stderr,
    env: { SFJWT_HOME: home, NO_COLOR: '1', ...options.env },
    now: () => NOW,
    askSecret: async (question) => {
      asked.push(question);
      return options.answers === undefined ? undefined : answers.shift();
    },
  };
  const code = await main(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text, asked };
}

const findings = (r: { stdout: string }) => (JSON.parse(r.stdout) as { findings: { id: string; severity: string; saw: string; fix?: string }[] }).findings;

// One bundle for the file (a key takes up to half a second): server.key, server.pass.key, server.crt, server.p12.
const bundle = at('bundle');
beforeAll(async () => {
  expect((await run(['keys', 'generate', '--out', bundle, '--passphrase', 'right-passphrase'])).code).toBe(0);
});

describe('keys generate refuses at once what Salesforce or keytool would refuse later', () => {
  it.each([
    [['--bits', '1024'], 'sfjwt: --bits 1024: Salesforce needs an RSA key of 2048 bits or more', 'Leave --bits out for 2048, or give 3072 or 4096 (at most 8192).'],
    [['--passphrase', ''], 'sfjwt: the passphrase is empty: server.pass.key and server.p12 would be "encrypted" with an empty password', 'Give a passphrase, or leave --passphrase out'],
    [['--jks', '--storepass', 'ab'], 'sfjwt: the store password has 2 characters: keytool and Salesforce need a store password of at least 6', 'with --storepass (or SFJWT_STOREPASS)'],
    [
      ['--jks', '--passphrase', 'abc'],
      'sfjwt: the store password (the passphrase, as no --storepass was given) has 3 characters: keytool and Salesforce need a store password of at least 6',
      '--storepass',
    ],
    [
      ['--jks', '--alias', '2nd'],
      'sfjwt: the JKS alias "2nd" does not begin with a letter, and Salesforce names the imported certificate after it (a Unique Name begins with a letter)',
      '--alias salesforcetest',
    ],
    [['--jks', '--bits', '8192'], "sfjwt: --bits 8192 with --jks: Salesforce's Import from Keystore takes RSA keys of 2048, 3072, 4096 bits only", 'give 3072 or 4096'],
  ])('%j: exit 2, nothing written', async (args, message, action) => {
    const out = folder();
    const r = await run(['keys', 'generate', '--out', out, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stderr).toContain(action);
    expect(() => lstatSync(out)).toThrow(/ENOENT/);
  });
});

describe('passphrases from the environment or the terminal', () => {
  it('keys generate takes SFJWT_KEY_PASSPHRASE and SFJWT_STOREPASS when the flags are absent', async () => {
    const out = folder();
    const r = await run(['keys', 'generate', '--out', out, '--jks', '--json'], { env: { SFJWT_KEY_PASSPHRASE: 'from-the-env', SFJWT_STOREPASS: 'store-from-env' } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ generatedPassphrase: false });
    const key = loadPrivateKey(readFileSync(join(out, 'server.pass.key')), { passphrase: 'from-the-env' });
    expect(loadPrivateKey(readFileSync(join(out, 'keystore.jks')), { passphrase: 'store-from-env' }).key.equals(key.key)).toBe(true);
    expect(r.asked).toEqual([]);
  });

  it('keys check of an encrypted key: the variable, else the terminal, else the finding saying what to set', async () => {
    const args = ['keys', 'check', '--key', join(bundle, 'server.pass.key'), '--json'];
    const fromEnv = await run(args, { env: { SFJWT_KEY_PASSPHRASE: 'right-passphrase' } });
    expect([fromEnv.code, fromEnv.asked]).toEqual([0, []]);
    const typed = await run(args, { answers: ['right-passphrase'] });
    expect(typed.code).toBe(0);
    expect(typed.asked).toEqual([`Passphrase of ${join(bundle, 'server.pass.key')}: `]);
    const noTerminal = await run(args);
    expect(noTerminal.code).toBe(1);
    expect(findings(noTerminal)[0]).toMatchObject({ id: 'key-needs-passphrase', severity: 'error' });
    expect(findings(noTerminal)[0]?.fix).toContain('set SFJWT_KEY_PASSPHRASE');
  });

  it('keys check of a plain key asks nothing', async () => {
    const r = await run(['keys', 'check', '--key', join(bundle, 'server.key'), '--json'], { answers: ['x'] });
    expect([r.code, r.asked]).toEqual([0, []]);
  });
});

describe('the .gitignore of a keys folder', () => {
  it('a folder keys generate makes gets one: everything ignored, the first line saying sfjwt wrote it', async () => {
    const out = folder();
    const r = await run(['keys', 'generate', '--out', out, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ gitignore: join(out, '.gitignore') });
    expect(readFileSync(join(out, '.gitignore'), 'utf8')).toBe('# Written by sfjwt: this folder holds the private keys sfjwt keys generate wrote; nothing in it belongs in git.\n*\n');
    expect((await run(['keys', 'generate', '--out', at('text-out')])).stdout).toContain(`  ${join(at('text-out'), '.gitignore')}\n      keeps every file of this folder out of git\n`);
  });

  it("a folder of the user's keeps its own .gitignore, and one without gets none (nor with --force)", async () => {
    const mine = folder();
    mkdirSync(mine);
    writeFileSync(join(mine, '.gitignore'), 'server.key\n');
    expect(JSON.parse((await run(['keys', 'generate', '--out', mine, '--json'])).stdout)).toMatchObject({ gitignore: null });
    expect(readFileSync(join(mine, '.gitignore'), 'utf8')).toBe('server.key\n');
    expect((await run(['keys', 'generate', '--out', mine, '--force'])).code).toBe(0);
    expect(readFileSync(join(mine, '.gitignore'), 'utf8')).toBe('server.key\n');
    const bare = folder();
    mkdirSync(bare);
    expect((await run(['keys', 'generate', '--out', bare])).code).toBe(0);
    expect(() => lstatSync(join(bare, '.gitignore'))).toThrow(/ENOENT/);
  });
});

describe('keys check: keystores, aliases and wording', () => {
  const pem = () => {
    const keys = generateRsaKeyPair(2048);
    return {
      keys,
      der: createPrivateKey(keys.privateKeyPem).export({ type: 'pkcs8', format: 'der' }),
      cert: new X509Certificate(issueCertificate(keys, { subject: [{ shortName: 'CN', value: 'k' }], notBefore: new Date(NOW) })).raw,
    };
  };

  it('a JKS whose alias is keytool\'s default "1": an error with the fix, exit 1, and no "ok" beside it', async () => {
    const m = pem();
    const file = at('alias-1.jks');
    writeFileSync(file, writeJks([{ kind: 'private-key', alias: '1', privateKeyDer: m.der, certificateChainDer: [m.cert] }], 'changeit'));
    const r = await run(['keys', 'check', '--key', file, '--passphrase', 'changeit', '--json']);
    expect(r.code).toBe(1);
    const f = findings(r);
    expect(f.map((x) => `${x.severity}:${x.id}`)).toEqual(['error:jks-alias-refused', 'info:key-read', 'info:cert-read']);
    expect(f[0]?.saw).toBe(`${file}: the alias "1" of its private key entry is keytool's default (after keytool -importkeystore from a PKCS#12 without a friendly name), which Salesforce refuses`);
    expect(f[0]?.fix).toBe(
      `Rename the entry: keytool -changealias -keystore ${file} -alias 1 -destalias salesforcetest, or write a new keystore: npx sfjwt keys jks --key server.key --cert server.crt --alias salesforcetest.`,
    );
    const text = await run(['keys', 'check', '--key', file, '--passphrase', 'changeit']);
    expect(text.stdout).not.toMatch(/-ok\b/);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('1 error');
  });

  it('a JKS entry whose key password differs from the store password: an error (Salesforce asks for the store password only)', async () => {
    const m = pem();
    const file = at('keypass.jks');
    writeFileSync(file, writeJks([{ kind: 'private-key', alias: 'jwt', privateKeyDer: m.der, certificateChainDer: [m.cert], keyPassword: 'other-pass' }], 'changeit'));
    const r = await run(['keys', 'check', '--key', file, '--passphrase', 'changeit', '--keypass', 'other-pass', '--json']);
    expect(findings(r).map((x) => x.id)).toEqual(['jks-key-password-differs', 'key-read', 'cert-read']);
  });

  it('--alias that is not there lists the aliases the keystore or PKCS#12 file holds', async () => {
    const m = pem();
    const jks = at('two.jks');
    writeFileSync(
      jks,
      writeJks(
        [
          { kind: 'private-key', alias: 'first', privateKeyDer: m.der, certificateChainDer: [m.cert] },
          { kind: 'private-key', alias: 'second', privateKeyDer: m.der, certificateChainDer: [m.cert] },
        ],
        'changeit',
      ),
    );
    const r = await run(['keys', 'check', '--key', jks, '--passphrase', 'changeit', '--alias', 'nope', '--json']);
    expect(r.code).toBe(1);
    expect(findings(r)).toEqual([
      {
        id: 'key-alias-not-found',
        severity: 'error',
        title: 'No private key entry with that alias',
        saw: `${jks} has no private key entry with the alias "nope" (its private key entries: "first", "second")`,
        fix: 'Pass --alias first or --alias second, or leave --alias out to use the first private key entry.',
      },
    ]);
    const p12 = await run(['keys', 'check', '--key', join(bundle, 'server.p12'), '--passphrase', 'right-passphrase', '--alias', 'nope', '--json']);
    expect(findings(p12)[0]?.saw).toBe(`${join(bundle, 'server.p12')} has no private key entry with the alias "nope" (its private key entries: "salesforcetest")`);
  });

  it('an EC key is "an EC key", and the key is read, not ok, beside the error', async () => {
    const { privateKey } = await import('node:crypto').then((c) =>
      c.generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }),
    );
    writeFileSync(at('ec.key'), privateKey);
    const r = await run(['keys', 'check', '--key', at('ec.key'), '--json']);
    expect(findings(r).map((x) => `${x.id}: ${x.saw}`)).toEqual([`key-not-rsa: ${at('ec.key')} is an EC key`, `key-read: ${at('ec.key')}: a private key (PKCS#8 PEM, "BEGIN PRIVATE KEY"), EC`]);
  });

  it('a good pair is still key-ok and cert-ok', async () => {
    const r = await run(['keys', 'check', '--key', join(bundle, 'server.key'), '--cert', join(bundle, 'server.crt'), '--json']);
    expect(findings(r).map((x) => x.id)).toEqual(['key-ok', 'cert-ok']);
  });
});

describe('keys jks: a keystore from a key pair that is there', () => {
  const args = (out: string, ...more: string[]) => ['keys', 'jks', '--key', join(bundle, 'server.key'), '--cert', join(bundle, 'server.crt'), '--out', out, ...more];

  it('writes a 0600 JKS with the alias and the store password (also its key password), which keys check accepts', async () => {
    const out = at('made.jks');
    const r = await run(args(out, '--storepass', 'changeit', '--json'));
    expect(r.code).toBe(0);
    const written = JSON.parse(r.stdout) as { file: string; alias: string; sha256: string };
    expect(written).toEqual({ file: out, alias: 'salesforcetest', sha256: new X509Certificate(readFileSync(join(bundle, 'server.crt'))).fingerprint256 });
    if (process.platform !== 'win32') expect(lstatSync(out).mode & 0o777).toBe(0o600);
    const loaded = loadPrivateKey(readFileSync(out), { passphrase: 'changeit' });
    expect(loaded.alias).toBe('salesforcetest');
    expect(loaded.key.equals(createPrivateKey(readFileSync(join(bundle, 'server.key'))))).toBe(true);
    const checked = await run(['keys', 'check', '--key', out, '--passphrase', 'changeit', '--json']);
    expect([checked.code, findings(checked).map((x) => x.id)]).toEqual([0, ['key-ok', 'cert-ok']]);
    const again = await run(args(out, '--storepass', 'changeit'));
    expect([again.code, again.stderr.split('\n')[0]]).toEqual([2, `sfjwt: not overwriting ${out}`]);
    expect((await run(args(out, '--storepass', 'changeit', '--force'))).code).toBe(0);
  });

  it('the store password from SFJWT_STOREPASS, or typed twice; an encrypted key opens with SFJWT_KEY_PASSPHRASE; the default file is keystore.jks next to the key', async () => {
    expect((await run(args(at('env.jks')), { env: { SFJWT_STOREPASS: 'from-env-1' } })).code).toBe(0);
    expect(loadPrivateKey(readFileSync(at('env.jks')), { passphrase: 'from-env-1' }).alias).toBe('salesforcetest');
    const typed = await run(args(at('typed.jks'), '--alias', 'jwt'), { answers: ['typed-pass', 'typed-pass'] });
    expect(typed.code).toBe(0);
    expect(typed.asked).toEqual([`The store password of ${at('typed.jks')}: `, `The store password of ${at('typed.jks')} (again): `]);
    expect(loadPrivateKey(readFileSync(at('typed.jks')), { passphrase: 'typed-pass' }).alias).toBe('jwt');
    const copy = at('copy');
    mkdirSync(copy);
    writeFileSync(join(copy, 'server.pass.key'), readFileSync(join(bundle, 'server.pass.key')));
    const encrypted = await run(['keys', 'jks', '--key', join(copy, 'server.pass.key'), '--cert', join(bundle, 'server.crt')], {
      env: { SFJWT_KEY_PASSPHRASE: 'right-passphrase', SFJWT_STOREPASS: 'changeit' },
    });
    expect(encrypted.code).toBe(0);
    expect(encrypted.stdout.split('\n')[0]).toBe(`Wrote ${join(copy, 'keystore.jks')} (mode 0600; keep it secret)`);
  });

  it.each([
    ['the two typed entries differ', [], { answers: ['one-pass', 'two-pass'] }, 'sfjwt: the two entries differ'],
    ['no store password and no terminal', [], {}, `sfjwt: the store password of ${at('refused.jks')} is needed, and standard input is not a terminal to ask on`],
    ['a store password under 6 characters', ['--storepass', 'short'], {}, 'sfjwt: the store password has 5 characters: keytool and Salesforce need at least 6'],
    [
      'the alias "1"',
      ['--storepass', 'changeit', '--alias', '1'],
      {},
      `sfjwt: the JKS alias "1" is keytool's default (after keytool -importkeystore from a PKCS#12 without a friendly name), which Salesforce refuses`,
    ],
  ])('%s: exit 2, nothing written', async (_name, more, options, message) => {
    const r = await run(args(at('refused.jks'), ...more), options);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(() => lstatSync(at('refused.jks'))).toThrow(/ENOENT/);
  });

  it('no terminal and no variable: the message names SFJWT_STOREPASS and --storepass', async () => {
    const r = await run(args(at('refused.jks')));
    expect(r.stderr.split('\n')[1]).toBe('  → Set SFJWT_STOREPASS (other local users cannot read it, as they can a flag), or pass --storepass.');
  });

  it("a certificate that is not the key's: exit 2, nothing written", async () => {
    const other = at('other.crt');
    const keys = generateRsaKeyPair(2048);
    writeFileSync(other, issueCertificate(keys, { subject: [{ shortName: 'CN', value: 'other' }] }));
    const r = await run(['keys', 'jks', '--key', join(bundle, 'server.key'), '--cert', other, '--out', at('refused.jks'), '--storepass', 'changeit']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`sfjwt: ${join(bundle, 'server.key')} is not the private key of ${other} (CN=other)`);
  });

  it('keys --help and keys jks --help name the command, its flags and an example', async () => {
    expect((await run(['keys', '--help'])).stdout).toContain('  jks       Write a Java KeyStore (JKS) for Salesforce from a key and certificate you have\n');
    const help = (await run(['keys', 'jks', '--help'])).stdout;
    for (const flag of ['--key FILE', '--cert FILE', '--out FILE', '--alias NAME', '--storepass P', '[SFJWT_STOREPASS]', '--passphrase P', '[SFJWT_KEY_PASSPHRASE]', '--force', '--json'])
      expect(help).toContain(flag);
    expect(help).toContain('Example:\n  npx sfjwt keys jks --key keys/server.key --cert keys/server.crt --alias salesforcetest');
  });
});
