/**
 * Java KeyStore (JKS, magic 0xFEEDFEED, version 2) files written and read in pure TypeScript, because
 * Java-based Salesforce clients still ask for a .jks and no npm package writes one that keytool
 * accepts. Private keys are protected with Sun's proprietary KeyProtector (a SHA-1 keystream, OID
 * 1.3.6.1.4.1.42.2.17.1.1), the only scheme plain JKS knows, and the file ends with the SHA-1 digest
 * keyed by the store password and the string "Mighty Aphrodite". Everything is big-endian Java
 * DataOutputStream encoding; the few DER structures needed are encoded and decoded here by hand.
 */
import { createHash, createPrivateKey, randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto';
import { KeyMaterialError } from '../errors.ts';

export interface JksPrivateKeyEntry {
  kind: 'private-key';
  alias: string;
  /** PKCS#8 PrivateKeyInfo DER. */
  privateKeyDer: Buffer;
  /** Leaf first. */
  certificateChainDer: Buffer[];
  /** Defaults to the store password, as keytool's does. */
  keyPassword?: string;
  date?: Date;
}
export interface JksTrustedCertEntry {
  kind: 'trusted-cert';
  alias: string;
  certificateDer: Buffer;
  date?: Date;
}
export type JksEntry = JksPrivateKeyEntry | JksTrustedCertEntry;

const MAGIC = 0xfeedfeed;
const JCEKS_MAGIC = 0xcececece;
// DER of OID 1.3.6.1.4.1.42.2.17.1.1 (Sun's JKS KeyProtector), tag and length included.
const KEY_PROTECTOR_OID = Buffer.from('060a2b060104012a02110101', 'hex');
const fail = (message: string, actions: string[]): KeyMaterialError => new KeyMaterialError(message, { actions });
const corrupt = (why: string): KeyMaterialError => fail(`the keystore is truncated or corrupt: ${why}`, ['Copy the .jks file again in binary mode, or make a new one.']);

/** Java passwords are char[]; JKS hashes the UTF-16 code units big-endian. */
const passwordBytes = (password: string): Buffer => Buffer.from(password, 'utf16le').swap16();
const sha1 = (...parts: Buffer[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('sha1')).digest();
/** The last 20 bytes: SHA-1 of the store password, the fixed string Sun chose, and every byte before. */
const integrity = (storePassword: string, body: Buffer): Buffer => sha1(passwordBytes(storePassword), Buffer.from('Mighty Aphrodite', 'utf8'), body);
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

function derTlv(tag: number, content: Buffer): Buffer {
  const lengthBytes: number[] = [];
  for (let rest = content.length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
  const length = content.length < 0x80 ? [content.length] : [0x80 | lengthBytes.length, ...lengthBytes];
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}

/** Reads one definite-length DER element at `pos`; `expected` is the tag it must have. */
function derRead(buf: Buffer, pos: number, expected: number): { content: Buffer; next: number } {
  const tag = buf[pos];
  let len = buf[pos + 1];
  if (tag !== expected || len === undefined) throw corrupt(`expected DER tag 0x${expected.toString(16)} at ${pos} in a protected key`);
  let start = pos + 2;
  if (len >= 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 4 || start + count > buf.length) throw corrupt('bad DER length in a protected key');
    len = buf.readUIntBE(start, count);
    start += count;
  }
  if (start + len > buf.length) throw corrupt('a DER element in a protected key runs past its end');
  return { content: buf.subarray(start, start + len), next: start + len };
}

/** Java's modified UTF-8: NUL as two bytes, chars beyond the BMP as two 3-byte surrogates. */
function encodeUtf(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) out.push(c);
    else if (c <= 0x7ff) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  if (out.length > 0xffff) throw fail(`the alias "${s.slice(0, 40)}…" is too long for a keystore`, ['Use an alias under 65535 bytes.']);
  return Buffer.concat([Buffer.from([out.length >> 8, out.length & 0xff]), Buffer.from(out)]);
}

function decodeUtf(b: Buffer): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const x = b[i] ?? 0;
    const size = x < 0x80 ? 1 : (x & 0xe0) === 0xc0 ? 2 : (x & 0xf0) === 0xe0 ? 3 : 0;
    const tail = b.subarray(i + 1, i + size);
    if (size === 0 || tail.length !== size - 1 || tail.some((t) => (t & 0xc0) !== 0x80)) throw corrupt('an alias is not valid modified UTF-8');
    s += String.fromCharCode(tail.reduce((c, t) => (c << 6) | (t & 0x3f), size === 1 ? x : x & (size === 2 ? 0x1f : 0x0f)));
    i += size;
  }
  return s;
}

/** The KeyProtector keystream: SHA-1(password || previous digest), starting from the salt. */
function keystream(pw: Buffer, salt: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  let digest = salt;
  for (let n = 0; n < length; n += 20) {
    digest = sha1(pw, digest);
    blocks.push(digest);
  }
  return Buffer.concat(blocks).subarray(0, length);
}
const xor = (a: Buffer, b: Buffer): Buffer => Buffer.from(a.map((x, i) => x ^ (b[i] ?? 0)));

function protectKey(plain: Buffer, password: string): Buffer {
  const pw = passwordBytes(password);
  const salt = randomBytes(20);
  const sealed = Buffer.concat([salt, xor(plain, keystream(pw, salt, plain.length)), sha1(pw, plain)]);
  const algorithm = derTlv(0x30, Buffer.concat([KEY_PROTECTOR_OID, Buffer.from([0x05, 0x00])]));
  return derTlv(0x30, Buffer.concat([algorithm, derTlv(0x04, sealed)]));
}

function recoverKey(encryptedInfo: Buffer, password: string, alias: string): Buffer {
  const outer = derRead(encryptedInfo, 0, 0x30);
  const algorithm = derRead(outer.content, 0, 0x30);
  const oid = derRead(algorithm.content, 0, 0x06);
  const params = algorithm.content.subarray(oid.next).toString('hex');
  // Java writes NULL parameters; absent ones are as good, anything else is not this scheme.
  if (!algorithm.content.subarray(0, oid.next).equals(KEY_PROTECTOR_OID) || (params !== '' && params !== '0500')) {
    throw fail(`the key "${alias}" is not protected with the JKS KeyProtector`, ['Convert the keystore with keytool -importkeystore to a fresh JKS or PKCS#12 file.']);
  }
  const sealed = derRead(outer.content, algorithm.next, 0x04).content;
  if (sealed.length < 41) throw corrupt(`the protected key "${alias}" is too short`);
  const pw = passwordBytes(password);
  const salt = sealed.subarray(0, 20);
  const body = sealed.subarray(20, sealed.length - 20);
  const plain = xor(body, keystream(pw, salt, body.length));
  if (!timingSafeEqual(sha1(pw, plain), sealed.subarray(sealed.length - 20))) {
    throw fail(`wrong key password for the private key "${alias}": its check digest does not match`, ['Give the key password (keytool -keypass); unless it was set apart, it is the store password.']);
  }
  return plain;
}

function checkPrivateKeyEntry(e: JksPrivateKeyEntry): void {
  const leaf = e.certificateChainDer[0];
  if (leaf === undefined) throw fail(`the private key "${e.alias}" has no certificate chain`, ['Give at least the certificate of the key.']);
  let ok: boolean;
  try {
    ok = new X509Certificate(leaf).checkPrivateKey(createPrivateKey({ key: e.privateKeyDer, format: 'der', type: 'pkcs8' }));
  } catch (cause) {
    throw new KeyMaterialError(`the private key or certificate of "${e.alias}" cannot be parsed`, {
      actions: ['Give the key as PKCS#8 DER and the certificates as X.509 DER.'],
      cause,
    });
  }
  if (!ok) throw fail(`the private key of "${e.alias}" does not match the first certificate of its chain`, ['Put the certificate of this key first in the chain.']);
}

/** Serialises `entries` as a JKS keystore that keytool reads with `-storepass storePassword`. */
export function writeJks(entries: JksEntry[], storePassword: string): Buffer {
  const seen = new Set<string>();
  const parts: Buffer[] = [u32(MAGIC), u32(2), u32(entries.length)];
  const cert = (der: Buffer): Buffer[] => [encodeUtf('X.509'), u32(der.length), der];
  for (const e of entries) {
    // keytool lower-cases aliases (Locale.ENGLISH); two aliases equal but for case would collide.
    const alias = e.alias.toLowerCase();
    if (alias === '' || seen.has(alias)) throw fail(`the alias "${e.alias}" is empty or used twice`, ['Give each entry its own alias.']);
    seen.add(alias);
    const date = e.date ?? new Date();
    if (Number.isNaN(date.getTime())) throw fail(`the date of "${e.alias}" is not a valid date`, ['Give a valid Date or none.']);
    const millis = Buffer.alloc(8);
    millis.writeBigInt64BE(BigInt(date.getTime()));
    if (e.kind === 'private-key') {
      checkPrivateKeyEntry(e);
      const sealed = protectKey(e.privateKeyDer, e.keyPassword ?? storePassword);
      parts.push(u32(1), encodeUtf(alias), millis, u32(sealed.length), sealed, u32(e.certificateChainDer.length), ...e.certificateChainDer.flatMap(cert));
    } else {
      parts.push(u32(2), encodeUtf(alias), millis, ...cert(e.certificateDer));
    }
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, integrity(storePassword, body)]);
}

/** Parses a JKS keystore, checks its integrity with `storePassword` and decrypts its private keys. */
export function readJks(data: Buffer, storePassword: string, keyPassword?: string): JksEntry[] {
  let pos = 0;
  const take = (n: number, what: string): Buffer => {
    if (n > data.length - pos) throw corrupt(`it ends inside ${what} at byte ${pos} of ${data.length}`);
    const start = pos;
    pos += n;
    return data.subarray(start, pos);
  };
  const int = (what: string): number => take(4, what).readUInt32BE(0);
  if (data[0] === 0x30) {
    throw fail('the keystore is a PKCS#12 file, not a JKS keystore', [
      'Read it as PKCS#12 (keytool -storetype PKCS12), or convert it: keytool -importkeystore -srcstoretype PKCS12 -deststoretype JKS.',
    ]);
  }
  const magic = int('the magic number');
  if (magic === JCEKS_MAGIC) {
    throw fail('the keystore is a JCEKS keystore, not JKS', ['Convert it: keytool -importkeystore -srcstoretype JCEKS -deststoretype JKS.']);
  }
  if (magic !== MAGIC) throw fail(`the file is not a Java KeyStore: its magic number is 0x${magic.toString(16)}, not 0xfeedfeed`, ['Give a .jks file made by keytool or sfjwt.']);
  const version = int('the version');
  if (version !== 1 && version !== 2) throw corrupt(`unknown JKS version ${version}`);
  const certificate = (): Buffer => {
    // Version 1 files predate certificate types: every certificate is X.509.
    const type = version === 2 ? decodeUtf(take(take(2, 'a certificate type').readUInt16BE(0), 'a certificate type')) : 'X.509';
    if (type !== 'X.509') throw corrupt(`a certificate of type "${type}", not X.509`);
    return Buffer.from(take(int('a certificate length'), 'a certificate'));
  };
  // Keys are decrypted only after the integrity check, so a wrong store password is named as such.
  const entries: (() => JksEntry)[] = [];
  for (let i = 0, count = int('the entry count'); i < count; i++) {
    const tag = int('an entry tag');
    if (tag !== 1 && tag !== 2) throw corrupt(`entry ${i} has tag ${tag}, neither a private key (1) nor a trusted certificate (2)`);
    const alias = decodeUtf(take(take(2, 'an alias').readUInt16BE(0), 'an alias'));
    const date = new Date(Number(take(8, 'a date').readBigInt64BE(0)));
    if (tag === 2) {
      const certificateDer = certificate();
      entries.push(() => ({ kind: 'trusted-cert', alias, date, certificateDer }));
      continue;
    }
    const sealed = take(int('a protected key length'), 'a protected key');
    const chain: Buffer[] = [];
    for (let n = int('a chain length'); chain.length < n; ) chain.push(certificate());
    entries.push(() => ({ kind: 'private-key', alias, date, privateKeyDer: recoverKey(sealed, keyPassword ?? storePassword, alias), certificateChainDer: chain }));
  }
  const expected = integrity(storePassword, data.subarray(0, pos));
  const digest = take(20, 'the integrity digest');
  if (pos !== data.length) throw corrupt(`${data.length - pos} bytes follow the integrity digest`);
  if (!timingSafeEqual(expected, digest)) {
    throw fail('the keystore password is wrong (or the file was modified): its integrity digest does not match', [
      'Give the store password the keystore was made with (keytool -storepass); keytool -list -keystore FILE checks it.',
    ]);
  }
  return entries.map((entry) => entry());
}
