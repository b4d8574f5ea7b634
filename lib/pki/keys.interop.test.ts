/**
 * Key material against the real tools: what `keys generate` writes is read by openssl (rsa, x509,
 * req, pkcs12) and keytool; what openssl and keytool write is read by sfjwt; and every finding of
 * `keys check` is triggered from a real file. Tools missing from the machine skip with a reason.
 */
import { spawnSync } from 'node:child_process';
import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyBundle } from './bundle.ts';
import { loadCertificate } from './certificate.ts';
import { checkKeyMaterial, KEY_FINDING_IDS } from './check.ts';
import { writeJks } from './jks.ts';
import { keyMatchesCertificate, loadPrivateKey } from './load.ts';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const HAS_OPENSSL = has('openssl');
const HAS_KEYTOOL = has('keytool');
if (!HAS_OPENSSL) console.warn('skipping openssl interoperability tests: openssl is not on PATH');
if (!HAS_KEYTOOL) console.warn('skipping keytool interoperability tests: keytool (Java) is not on PATH');

const dir = mkdtempSync(join(tmpdir(), 'sfjwt-keys-'));
const f = (name: string) => join(dir, name);

function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}
const openssl = (...args: string[]) => tool('openssl', args);

// Made once for the whole file (an RSA key takes 50 ms to half a second): the bundle `keys generate`
// writes, and one 2048-bit key from `openssl genrsa` for the describes that read openssl's files.
let bundleFiles: ReturnType<typeof generateKeyBundle>['files'] | undefined;
const bundle = () =>
  (bundleFiles ??= generateKeyBundle({
    outDir: join(dir, 'bundle'),
    subject: [
      { shortName: 'C', value: 'US' },
      { shortName: 'O', value: 'Acme' },
      { shortName: 'CN', value: 'integration' },
    ],
    passphrase: 'pass:word',
    jks: { alias: 'salesforcetest', storePassword: 'changeit' },
  }).files);
/** Copies the file's `openssl genrsa 2048` key to `name`. */
function opensslRsaKey(name: string): void {
  if (!existsSync(f('genrsa-2048.key'))) openssl('genrsa', '-out', 'genrsa-2048.key', '2048');
  copyFileSync(f('genrsa-2048.key'), f(name));
}
const spki = (pem: string | Buffer | KeyObject) => createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');

describe('keys generate, read by the real tools', () => {
  let files: ReturnType<typeof generateKeyBundle>['files'];
  beforeAll(() => {
    files = bundle();
  });

  it.skipIf(!HAS_OPENSSL)('openssl rsa opens server.pass.key with the passphrase and server.key without', () => {
    expect(openssl('rsa', '-in', files.encryptedKey ?? '', '-passin', 'pass:pass:word', '-noout', '-check')).toContain('RSA key ok');
    expect(openssl('rsa', '-in', files.key ?? '', '-noout', '-check')).toContain('RSA key ok');
    expect(spawnSync('openssl', ['rsa', '-in', files.encryptedKey ?? '', '-passin', 'pass:wrong', '-noout']).status).toBe(1);
  });

  it.skipIf(!HAS_OPENSSL)('openssl x509 reads server.crt: SHA-256, 365 days, the subject, the key of server.key', () => {
    const text = openssl('x509', '-in', files.certificate ?? '', '-noout', '-text');
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text).toMatch(/Subject: C ?= ?US, O ?= ?Acme, CN ?= ?integration/);
    const dates = openssl('x509', '-in', files.certificate ?? '', '-noout', '-startdate', '-enddate');
    const [start, end] = [...dates.matchAll(/=(.+)/g)].map((m) => Date.parse(m[1] ?? ''));
    expect(((end ?? 0) - (start ?? 0)) / 86_400_000).toBe(365);
    expect(spki(openssl('x509', '-in', files.certificate ?? '', '-noout', '-pubkey'))).toBe(spki(readFileSync(files.key ?? '')));
  });

  it.skipIf(!HAS_OPENSSL)('openssl req verifies server.csr; openssl pkcs12 opens server.p12', () => {
    expect(openssl('req', '-in', files.csr ?? '', '-noout', '-verify')).toMatch(/verify OK/i);
    const keyOut = openssl('pkcs12', '-in', files.pkcs12 ?? '', '-passin', 'pass:pass:word', '-nocerts', '-nodes');
    expect(spki(keyOut.slice(keyOut.indexOf('-----BEGIN')))).toBe(spki(readFileSync(files.key ?? '')));
  });

  it.skipIf(!HAS_KEYTOOL)('keytool lists keystore.jks with the alias salesforcetest, and reads server.p12', () => {
    expect(tool('keytool', ['-list', '-keystore', files.jks ?? '', '-storepass', 'changeit', '-storetype', 'JKS'])).toMatch(/salesforcetest, .*PrivateKeyEntry/);
    expect(tool('keytool', ['-list', '-keystore', files.pkcs12 ?? '', '-storepass', 'pass:word', '-storetype', 'PKCS12'])).toMatch(/salesforcetest, .*PrivateKeyEntry/);
  });

  it('sfjwt reads back every form it wrote, all the same key', () => {
    const expected = spki(readFileSync(files.key ?? ''));
    const forms: [string | undefined, string | undefined][] = [
      [files.key, undefined],
      [files.encryptedKey, 'pass:word'],
      [files.pkcs12, 'pass:word'],
      [files.jks, 'changeit'],
    ];
    for (const [file, passphrase] of forms) expect(spki(loadPrivateKey(readFileSync(file ?? ''), { passphrase }).key)).toBe(expected);
  });

  it('refuses to overwrite what is there, and the alias "1"', () => {
    expect(() => generateKeyBundle({ outDir: join(dir, 'bundle'), subject: [{ shortName: 'CN', value: 'x' }], passphrase: 'p' })).toThrow(/not overwriting .*server\.pass\.key/);
    expect(() => generateKeyBundle({ outDir: join(dir, 'other'), subject: [{ shortName: 'CN', value: 'x' }], passphrase: 'p', jks: { alias: '1' } })).toThrow(
      'the JKS alias "1" is keytool\'s default (after keytool -importkeystore from a PKCS#12 without a friendly name), which Salesforce refuses',
    );
  });
});

describe.skipIf(!HAS_OPENSSL)('what openssl writes, read by sfjwt', () => {
  beforeAll(() => {
    opensslRsaKey('o-pkcs8.key');
    openssl('rsa', '-in', 'o-pkcs8.key', '-traditional', '-out', 'o-pkcs1.key');
    openssl('rsa', '-in', 'o-pkcs8.key', '-traditional', '-des3', '-passout', 'pass:x', '-out', 'o-legacy-des3.key');
    openssl('rsa', '-in', 'o-pkcs8.key', '-traditional', '-aes128', '-passout', 'pass:x', '-out', 'o-legacy-aes.key');
    openssl('pkcs8', '-topk8', '-in', 'o-pkcs8.key', '-v2', 'aes-256-cbc', '-passout', 'pass:x', '-out', 'o-enc-pkcs8.key');
    openssl('rsa', '-in', 'o-pkcs8.key', '-outform', 'DER', '-out', 'o-key.der');
    openssl('req', '-new', '-x509', '-key', 'o-pkcs8.key', '-subj', '/CN=openssl', '-days', '365', '-sha256', '-out', 'o.crt');
    openssl('x509', '-in', 'o.crt', '-outform', 'DER', '-out', 'o-crt.der');
    openssl('pkcs12', '-export', '-inkey', 'o-pkcs8.key', '-in', 'o.crt', '-name', 'jwt', '-passout', 'pass:x', '-out', 'o.p12');
  });

  it.each([
    ['PKCS#8 PEM (openssl 3 genrsa)', 'o-pkcs8.key', undefined, 'private-key-pkcs8'],
    ['PKCS#1 PEM (-traditional)', 'o-pkcs1.key', undefined, 'private-key-pkcs1'],
    ['legacy encrypted PEM, DES-EDE3', 'o-legacy-des3.key', 'x', 'encrypted-private-key-legacy'],
    ['legacy encrypted PEM, AES-128', 'o-legacy-aes.key', 'x', 'encrypted-private-key-legacy'],
    ['encrypted PKCS#8, AES-256', 'o-enc-pkcs8.key', 'x', 'encrypted-private-key-pkcs8'],
    ['DER', 'o-key.der', undefined, 'private-key-der'],
    ['PKCS#12 (AES-256, SHA-256 MAC)', 'o.p12', 'x', 'pkcs12'],
  ])('%s', (_name, file, passphrase, kind) => {
    const loaded = loadPrivateKey(readFileSync(f(file)), { passphrase });
    expect(loaded.kind).toBe(kind);
    expect(spki(loaded.key)).toBe(spki(readFileSync(f('o-pkcs8.key'))));
    expect(keyMatchesCertificate(loaded.key, loadCertificate(readFileSync(f('o.crt'))))).toBe(true);
  });

  it("reads the certificate as PEM and as DER, and the PKCS#12 bundle's certificate", () => {
    expect(loadCertificate(readFileSync(f('o-crt.der'))).sha256).toBe(loadCertificate(readFileSync(f('o.crt'))).sha256);
    expect(loadPrivateKey(readFileSync(f('o.p12')), { passphrase: 'x' }).certificates[0]?.subject).toBe('CN=openssl');
  });
});

describe.skipIf(!HAS_KEYTOOL)('what keytool writes, read by sfjwt', () => {
  it.each([
    ['JKS', 'k.jks'],
    ['PKCS12', 'k.p12'],
  ])('%s keystore', (type, file) => {
    tool('keytool', [
      '-genkeypair',
      '-alias',
      'mykey',
      '-keyalg',
      'RSA',
      '-keysize',
      '2048',
      '-dname',
      'CN=keytool',
      '-validity',
      '365',
      '-keystore',
      file,
      '-storetype',
      type,
      '-storepass',
      'changeit',
      '-keypass',
      'changeit',
      '-noprompt',
    ]);
    const loaded = loadPrivateKey(readFileSync(f(file)), { passphrase: 'changeit' });
    expect(loaded.alias).toBe('mykey');
    expect(loaded.certificates[0]?.subject).toBe('CN=keytool');
    expect(keyMatchesCertificate(loaded.key, loaded.certificates[0] ?? loadCertificate(Buffer.alloc(0)))).toBe(true);
  });

  it.skipIf(!HAS_OPENSSL)('keytool -importkeystore of a PKCS#12 without a friendly name gives the alias "1", which keys check calls an error', () => {
    opensslRsaKey('nameless.key');
    openssl('req', '-new', '-x509', '-key', 'nameless.key', '-subj', '/CN=nameless', '-days', '365', '-sha256', '-out', 'nameless.crt');
    openssl('pkcs12', '-export', '-inkey', 'nameless.key', '-in', 'nameless.crt', '-passout', 'pass:changeit', '-out', 'nameless.p12');
    const args = ['-importkeystore', '-srckeystore', 'nameless.p12', '-srcstoretype', 'PKCS12', '-srcstorepass', 'changeit', '-destkeystore', 'nameless.jks', '-deststoretype', 'JKS'];
    tool('keytool', [...args, '-deststorepass', 'changeit', '-noprompt']);
    const findings = checkKeyMaterial({ key: { data: readFileSync(f('nameless.jks')), source: 'nameless.jks' }, passphrase: 'changeit', keystoreImport: true, now: Date.now() }).findings;
    expect(findings.map((x) => `${x.severity}:${x.id}`)).toEqual(['error:jks-alias-refused', 'info:key-read', 'info:cert-read']);
  });
});

describe.skipIf(!HAS_OPENSSL)('every finding of keys check, from a real file', () => {
  const DAY = 86_400_000;
  let notAfter = 0;
  beforeAll(() => {
    opensslRsaKey('good.key');
    openssl('req', '-new', '-x509', '-key', 'good.key', '-subj', '/CN=good', '-days', '365', '-sha256', '-out', 'good.crt');
    openssl('req', '-new', '-key', 'good.key', '-subj', '/CN=good', '-out', 'good.csr');
    openssl('genrsa', '-out', 'other.key', '2048');
    openssl('req', '-new', '-x509', '-key', 'other.key', '-subj', '/CN=other', '-days', '365', '-sha256', '-out', 'other.crt');
    openssl('rsa', '-in', 'good.key', '-aes256', '-passout', 'pass:right', '-out', 'good.enc.key');
    openssl('genrsa', '-out', 'small.key', '1024');
    openssl('req', '-new', '-x509', '-key', 'small.key', '-subj', '/CN=small', '-days', '365', '-sha256', '-out', 'small.crt');
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ec.key');
    openssl('req', '-new', '-x509', '-key', 'ec.key', '-subj', '/CN=ec', '-days', '365', '-sha256', '-out', 'ec.crt');
    openssl('req', '-new', '-x509', '-key', 'good.key', '-subj', '/CN=sha1', '-days', '365', '-sha1', '-out', 'sha1.crt');
    writeFileSync(f('garbage.key'), 'not a key at all\n');
    const jks = readFileSync(bundle().jks ?? '');
    writeFileSync(f('good.jks'), jks);
    writeFileSync(f('truncated.jks'), jks.subarray(0, 100));
    const good = loadPrivateKey(readFileSync(f('good.key')));
    const entry = (alias: string, keyPassword?: string) => ({
      kind: 'private-key' as const,
      alias,
      privateKeyDer: good.key.export({ type: 'pkcs8', format: 'der' }),
      certificateChainDer: [new X509Certificate(readFileSync(f('good.crt'))).raw],
      ...(keyPassword === undefined ? {} : { keyPassword }),
    });
    writeFileSync(f('alias-1.jks'), writeJks([entry('1')], 'changeit'));
    writeFileSync(f('keypass.jks'), writeJks([entry('jwt', 'other-pass')], 'changeit'));
    notAfter = loadCertificate(readFileSync(f('good.crt'))).notAfter.getTime();
  });

  const run = (key: string | undefined, cert: string | undefined, extra: { passphrase?: string; keyPassword?: string; alias?: string; now?: number } = {}) =>
    checkKeyMaterial({
      ...(key === undefined ? {} : { key: { data: readFileSync(f(key)), source: key } }),
      ...(cert === undefined ? {} : { certificate: { data: readFileSync(f(cert)), source: cert } }),
      passphrase: extra.passphrase,
      keyPassword: extra.keyPassword,
      alias: extra.alias,
      keystoreImport: true,
      now: extra.now ?? notAfter - 100 * DAY,
    }).findings.map((x) => `${x.severity}:${x.id}`);

  const cases: [string, () => string[], string[]][] = [
    ['key-ok and cert-ok for a matching pair', () => run('good.key', 'good.crt'), ['info:key-ok', 'info:cert-ok']],
    ['key-unreadable for garbage', () => run('garbage.key', undefined), ['error:key-unreadable']],
    ['key-not-private for a certificate given as the key', () => run('good.crt', undefined), ['error:key-not-private']],
    ['key-needs-passphrase', () => run('good.enc.key', undefined), ['error:key-needs-passphrase']],
    ['key-unreadable for a truncated JKS', () => run('truncated.jks', undefined, { passphrase: 'changeit' }), ['error:key-unreadable']],
    ['key-wrong-passphrase for a JKS', () => run('good.jks', undefined, { passphrase: 'wrong' }), ['error:key-wrong-passphrase']],
    ['key-wrong-passphrase', () => run('good.enc.key', undefined, { passphrase: 'wrong' }), ['error:key-wrong-passphrase']],
    ['key-not-rsa for an EC key (and key-read, not key-ok, beside it)', () => run('ec.key', undefined), ['error:key-not-rsa', 'info:key-read']],
    ['key-too-small for 1024 bits', () => run('small.key', undefined), ['error:key-too-small', 'info:key-read']],
    ['key-alias-not-found for a JKS', () => run('good.jks', undefined, { passphrase: 'changeit', alias: 'nope' }), ['error:key-alias-not-found']],
    [
      'jks-alias-refused for the alias "1" (and cert-read, not cert-ok)',
      () => run('alias-1.jks', undefined, { passphrase: 'changeit' }),
      ['error:jks-alias-refused', 'info:key-read', 'info:cert-read'],
    ],
    ['jks-key-password-differs', () => run('keypass.jks', undefined, { passphrase: 'changeit', keyPassword: 'other-pass' }), ['error:jks-key-password-differs', 'info:key-read', 'info:cert-read']],
    ['cert-not-certificate for a CSR given as the certificate', () => run(undefined, 'good.csr'), ['error:cert-not-certificate']],
    ['cert-not-certificate for a key given as the certificate', () => run(undefined, 'good.key'), ['error:cert-not-certificate']],
    ['cert-key-mismatch', () => run('good.key', 'other.crt'), ['error:cert-key-mismatch', 'info:key-read', 'info:cert-read']],
    ['cert-expired (a warning: Salesforce accepts it)', () => run(undefined, 'good.crt', { now: notAfter + DAY }), ['warning:cert-expired', 'info:cert-ok']],
    ['cert-not-yet-valid', () => run(undefined, 'good.crt', { now: notAfter - 400 * DAY }), ['warning:cert-not-yet-valid', 'info:cert-ok']],
    ['cert-expiring within 30 days', () => run(undefined, 'good.crt', { now: notAfter - 10 * DAY }), ['warning:cert-expiring', 'info:cert-ok']],
    ['cert-sha1', () => run(undefined, 'sha1.crt'), ['warning:cert-sha1', 'info:cert-ok']],
    ['cert-not-rsa', () => run(undefined, 'ec.crt'), ['error:cert-not-rsa', 'info:cert-read']],
    ['cert-too-small', () => run(undefined, 'small.crt'), ['error:cert-too-small', 'info:cert-read']],
  ];

  it.each(cases)('%s', (_name, findings, expected) => {
    expect(findings()).toEqual(expected);
  });

  it('every finding id is triggered above', () => {
    const triggered = new Set(cases.flatMap(([, , e]) => e.map((x) => x.split(':')[1])));
    expect(KEY_FINDING_IDS.filter((id) => !triggered.has(id))).toEqual([]);
  });
});
