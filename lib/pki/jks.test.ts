/**
 * JKS files proven against the real thing: keytool lists and exports what writeJks makes (and
 * openssl reads the key keytool exported), readJks decrypts what keytool -genkeypair makes, and
 * wrong passwords, truncated files and other keystore formats fail with a KeyMaterialError. keytool
 * starts a JVM per call (~1 s), so the interop tests share one keystore and make few calls.
 */
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyMaterialError } from '../errors.ts';
import { generateRsaKeyPair, issueCertificate } from './generate.ts';
import { type JksEntry, type JksPrivateKeyEntry, readJks, writeJks } from './jks.ts';

const onPath = (tool: string): boolean => (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, tool)));
const hasKeytool = onPath('keytool');
const hasOpenssl = onPath('openssl');
if (!hasKeytool) console.warn('jks.test.ts: skipping the keytool interop tests: keytool is not on PATH (install a JDK, e.g. openjdk-17-jre-headless)');
if (!hasOpenssl) console.warn('jks.test.ts: skipping the PKCS#12 export test: openssl is not on PATH');

const dir = mkdtempSync(join(tmpdir(), 'sfjwt-jks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}
const corrupt = (b: Buffer, i: number, change = (x: number) => x ^ 0xff): Buffer => {
  const c = Buffer.from(b);
  c[i] = change(c[i] ?? 0) & 0xff;
  return c;
};
const spki = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' });

function material(cn: string) {
  const keys = generateRsaKeyPair(2048);
  const certPem = issueCertificate(keys, { subject: [{ shortName: 'CN', value: cn }] });
  return {
    privateKeyDer: createPrivateKey(keys.privateKeyPem).export({ type: 'pkcs8', format: 'der' }),
    certificateDer: new X509Certificate(certPem).raw,
    publicKeySpki: spki(createPublicKey(keys.publicKeyPem)),
  };
}
const ours = material('salesforcetest');
const other = material('other');
const date = new Date('2024-05-06T07:08:09.123Z');

const ourStore = join(dir, 'our.jks');
writeFileSync(
  ourStore,
  writeJks(
    [
      { kind: 'private-key', alias: 'salesforcetest', privateKeyDer: ours.privateKeyDer, certificateChainDer: [ours.certificateDer] },
      { kind: 'trusted-cert', alias: 'Other-CA', certificateDer: other.certificateDer },
    ],
    'changeit',
  ),
);

describe('keytool reads what writeJks writes', () => {
  it.skipIf(!hasKeytool)('keytool -list shows the key entry with its chain, and refuses a wrong store password', () => {
    const listed = run('keytool', ['-list', '-v', '-keystore', ourStore, '-storepass', 'changeit', '-storetype', 'JKS']);
    expect(listed.code, listed.out).toBe(0);
    expect(listed.out).toMatch(/^Alias name: salesforcetest$/m);
    expect(listed.out).toContain('Entry type: PrivateKeyEntry');
    expect(listed.out).toContain('Certificate chain length: 1');
    // The trusted certificate under its lower-cased alias, as keytool itself stores aliases.
    expect(listed.out).toMatch(/^Alias name: other-ca\nCreation date: .*\nEntry type: trustedCertEntry$/m);
    const wrong = run('keytool', ['-list', '-keystore', ourStore, '-storepass', 'wrongpass', '-storetype', 'JKS']);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('password was incorrect');
  });

  it.skipIf(!hasKeytool || !hasOpenssl)('keytool exports the private key to PKCS#12, and openssl finds our key in it', () => {
    const p12 = join(dir, 'out.p12');
    const exported = run('keytool', [
      '-importkeystore',
      '-srckeystore',
      ourStore,
      '-srcstoretype',
      'JKS',
      '-srcstorepass',
      'changeit',
      '-destkeystore',
      p12,
      '-deststoretype',
      'PKCS12',
      '-deststorepass',
      'changeit',
      '-srcalias',
      'salesforcetest',
      '-noprompt',
    ]);
    expect(exported.code, exported.out).toBe(0);
    const pem = run('openssl', ['pkcs12', '-in', p12, '-nodes', '-passin', 'pass:changeit', '-nocerts']);
    expect(pem.code, pem.out).toBe(0);
    expect(spki(createPublicKey(createPrivateKey(pem.out)))).toEqual(ours.publicKeySpki);
    // And keytool's PKCS#12 file, given as JKS, is named for what it is.
    expect(() => readJks(readFileSync(p12), 'changeit')).toThrow(/is a PKCS#12 file/);
  });
});

describe('readJks reads what keytool writes', () => {
  it.skipIf(!hasKeytool)('decrypts the key of keytool -genkeypair, and it matches the certificate', () => {
    const file = join(dir, 'kt.jks');
    const made = run('keytool', [
      '-genkeypair',
      '-alias',
      'mykey',
      '-keyalg',
      'RSA',
      '-keysize',
      '2048',
      '-dname',
      'CN=test',
      '-validity',
      '365',
      '-keystore',
      file,
      '-storetype',
      'JKS',
      '-storepass',
      'changeit',
      '-keypass',
      'changeit',
      '-noprompt',
    ]);
    expect(made.code, made.out).toBe(0);
    const entries = readJks(readFileSync(file), 'changeit');
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    if (entry?.kind !== 'private-key') throw new Error(`expected a private-key entry, got ${entry?.kind}`);
    expect(entry.alias).toBe('mykey');
    expect(entry.certificateChainDer).toHaveLength(1);
    const key = createPrivateKey({ key: entry.privateKeyDer, format: 'der', type: 'pkcs8' });
    const cert = new X509Certificate(entry.certificateChainDer[0] ?? Buffer.alloc(0));
    expect(spki(createPublicKey(key))).toEqual(spki(cert.publicKey));
    expect(cert.subject).toBe('CN=test');
  });
});

describe('writeJks and readJks', () => {
  const keyEntry: JksPrivateKeyEntry = {
    kind: 'private-key',
    alias: 'SalesforceTest',
    privateKeyDer: ours.privateKeyDer,
    certificateChainDer: [ours.certificateDer, other.certificateDer],
    keyPassword: 'key pw',
    date,
  };
  const entries: JksEntry[] = [
    keyEntry,
    // Modified UTF-8: NUL as two bytes, a non-BMP char as two 3-byte surrogates.
    { kind: 'trusted-cert', alias: 'ca-\u0000-é-€-🔑', certificateDer: other.certificateDer, date },
  ];
  const store = writeJks(entries, 'store pw');

  it('round-trips entries, aliases lower-cased and the key decrypted with its own password', () => {
    expect(readJks(store, 'store pw', 'key pw')).toEqual([
      { kind: 'private-key', alias: 'salesforcetest', privateKeyDer: ours.privateKeyDer, certificateChainDer: [ours.certificateDer, other.certificateDer], date },
      { kind: 'trusted-cert', alias: 'ca-\u0000-é-€-🔑', certificateDer: other.certificateDer, date },
    ]);
  });

  it.each([
    { name: 'a wrong store password', data: () => store, store: 'wrong', key: 'key pw', message: /keystore password is wrong/ },
    { name: 'a wrong key password', data: () => store, store: 'store pw', key: 'store pw', message: /wrong key password for the private key "salesforcetest"/ },
    { name: 'an empty file', data: () => Buffer.alloc(0), store: 'store pw', key: 'key pw', message: /truncated or corrupt/ },
    ...[3, 10, 200, store.length - 21, store.length - 1].map((length) => ({
      name: `the file cut to ${length} bytes`,
      data: () => store.subarray(0, length),
      store: 'store pw',
      key: 'key pw',
      message: /truncated or corrupt/,
    })),
    { name: 'trailing bytes', data: () => Buffer.concat([store, Buffer.from([0])]), store: 'store pw', key: 'key pw', message: /1 bytes follow the integrity digest/ },
    // The start of every PFX: SEQUENCE, INTEGER version 3.
    { name: 'a PKCS#12 file', data: () => Buffer.from('308209e2020103', 'hex'), store: 'store pw', key: 'key pw', message: /PKCS#12/ },
    { name: 'a JCEKS file', data: () => Buffer.from('cececece00000002', 'hex'), store: 'store pw', key: 'key pw', message: /JCEKS/ },
    { name: 'a PEM file', data: () => Buffer.from('-----BEGIN CERTIFICATE-----\n'), store: 'store pw', key: 'key pw', message: /not a Java KeyStore/ },
  ])('$name is a KeyMaterialError', ({ data, store: storePassword, key, message }) => {
    const read = () => readJks(data(), storePassword, key);
    expect(read).toThrow(KeyMaterialError);
    expect(read).toThrow(message);
  });

  it('protects the key as Java does: EncryptedPrivateKeyInfo, KeyProtector OID, NULL parameters', () => {
    // SEQUENCE { SEQUENCE { OID 1.3.6.1.4.1.42.2.17.1.1, NULL }, OCTET STRING (2-byte length) }, byte for byte keytool's.
    expect(store.includes(Buffer.from('300e060a2b060104012a0211010105000482', 'hex'))).toBe(true);
  });

  it('every truncation and every corrupted byte is a KeyMaterialError, never a RangeError', () => {
    const body = store.subarray(0, store.length - 20);
    // A corrupted protected key under a valid integrity digest, to reach the DER decoder and the check digest.
    const resealed = (b: Buffer) => Buffer.concat([b, createHash('sha1').update(Buffer.from('store pw', 'utf16le').swap16()).update('Mighty Aphrodite').update(b).digest()]);
    const keyAt = store.indexOf(Buffer.from('300e060a', 'hex')) - 4;
    const inputs = [
      ...Array.from({ length: store.length }, (_, n) => store.subarray(0, n)),
      ...Array.from({ length: store.length }, (_, i) => corrupt(store, i)),
      // Flipped and incremented, so that a DER length grows by one past its end.
      ...[(x: number) => x ^ 0xff, (x: number) => x + 1].flatMap((change) => Array.from({ length: 40 }, (_, i) => resealed(corrupt(body, keyAt + i, change)))),
    ];
    const escaped = inputs.flatMap((input) => {
      try {
        readJks(input, 'store pw', 'key pw');
        return [`accepted input ${inputs.indexOf(input)}`];
      } catch (error) {
        return error instanceof KeyMaterialError ? [] : [String(error)];
      }
    });
    expect(escaped).toEqual([]);
  });

  const pkcs1 = createPrivateKey({ key: ours.privateKeyDer, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs1', format: 'der' });
  it.each([
    { name: 'a key without a chain', entry: { ...keyEntry, certificateChainDer: [] }, message: /has no certificate chain/ },
    { name: 'a key that is not its certificate’s', entry: { ...keyEntry, certificateChainDer: [other.certificateDer] }, message: /does not match the first certificate/ },
    { name: 'a PKCS#1 key', entry: { ...keyEntry, privateKeyDer: pkcs1 }, message: /cannot be parsed/ },
  ])('writeJks refuses $name', ({ entry, message }) => {
    const write = () => writeJks([entry], 'pw');
    expect(write).toThrow(KeyMaterialError);
    expect(write).toThrow(message);
  });

  it('writeJks refuses two aliases equal but for case', () => {
    const trusted = { kind: 'trusted-cert', certificateDer: other.certificateDer } as const;
    expect(() =>
      writeJks(
        [
          { ...trusted, alias: 'CA' },
          { ...trusted, alias: 'ca' },
        ],
        'pw',
      ),
    ).toThrow(/used twice/);
  });
});
