/**
 * `keys generate`: the whole openssl / keytool chapter of a JWT Bearer setup as one call. Writes,
 * named as the common guides name them: server.pass.key (encrypted private key), server.key (plain
 * private key), public.key (public key, e.g. for jwt.io), server.csr, server.crt (self-signed SHA-256
 * certificate for the connected app), server.p12 (PKCS#12) and, when asked, keystore.jks with a chosen
 * alias for Apex. Keys come from node:crypto; X.509, CSR and PKCS#12 from node-forge; JKS from jks.ts.
 */
import { createPrivateKey, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { ResourceError, UsageError } from '../errors.ts';
import { generateRsaKeyPair, issueCertificate, type SubjectField } from './generate.ts';
import { writeJks } from './jks.ts';

export const BUNDLE_FILES = {
  encryptedKey: 'server.pass.key',
  key: 'server.key',
  publicKey: 'public.key',
  csr: 'server.csr',
  certificate: 'server.crt',
  pkcs12: 'server.p12',
  jks: 'keystore.jks',
  passphrase: 'passphrase.txt',
} as const;

export interface BundleOptions {
  outDir: string;
  subject: readonly SubjectField[];
  /** Passphrase of server.pass.key and password of server.p12; random (saved to passphrase.txt) when absent. */
  passphrase?: string | undefined;
  days?: number;
  bits?: number;
  cipher?: 'aes-256-cbc' | 'des-ede3-cbc';
  /** Also write keystore.jks with this alias (Salesforce refuses keytool's default alias "1"). */
  jks?: { alias: string; storePassword?: string | undefined } | undefined;
  /** Overwrite existing files. */
  force?: boolean;
  now?: Date;
}

export interface BundleResult {
  files: Partial<Record<keyof typeof BUNDLE_FILES, string>>;
  /** True when the passphrase was generated (and written to passphrase.txt). */
  generatedPassphrase: boolean;
  sha256: string;
}

export function createCsr(privateKeyPem: string, publicKeyPem: string, subject: readonly SubjectField[]): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  csr.setSubject(subject.map((f) => ({ shortName: f.shortName, value: f.value })));
  csr.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

export function createPkcs12(privateKeyPem: string, certificatePem: string, password: string, friendlyName: string): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(privateKeyPem), [forge.pki.certificateFromPem(certificatePem)], password, { algorithm: '3des', friendlyName });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export function generateKeyBundle(options: BundleOptions): BundleResult {
  if (options.jks !== undefined && options.jks.alias.trim() === '1') {
    throw new UsageError('the JKS alias "1" is the one Salesforce refuses (keytool\'s default after -importkeystore)', { actions: ['Choose another alias, such as --alias salesforcetest.'] });
  }
  const out = options.outDir;
  const files: BundleResult['files'] = {};
  const names = Object.entries(BUNDLE_FILES).filter(([k]) => (k === 'jks' ? options.jks !== undefined : k === 'passphrase' ? options.passphrase === undefined : true));
  if (options.force !== true) {
    const existing = names.map(([, n]) => join(out, n)).filter((p) => existsSync(p));
    if (existing.length > 0) throw new ResourceError(`not overwriting ${existing.join(', ')}`, { actions: ['Choose another --out folder, or pass --force to replace them.'] });
  }
  try {
    mkdirSync(out, { recursive: true });
  } catch (cause) {
    throw new ResourceError(`cannot create ${out}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  const generatedPassphrase = options.passphrase === undefined;
  const passphrase = options.passphrase ?? randomBytes(18).toString('base64url');
  const keys = generateRsaKeyPair(options.bits ?? 2048);
  const privateKey = createPrivateKey(keys.privateKeyPem);
  const certificatePem = issueCertificate(keys, { subject: options.subject, days: options.days ?? 365, notBefore: options.now ?? new Date() });
  const write = (name: keyof typeof BUNDLE_FILES, data: string | Buffer, secret: boolean) => {
    const path = join(out, BUNDLE_FILES[name]);
    writeFileSync(path, data, { mode: secret ? 0o600 : 0o644 });
    files[name] = path;
  };
  write('encryptedKey', privateKey.export({ type: 'pkcs8', format: 'pem', cipher: options.cipher ?? 'aes-256-cbc', passphrase }) as string, true);
  write('key', keys.privateKeyPem, true);
  write('publicKey', createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string, false);
  write('csr', createCsr(keys.privateKeyPem, keys.publicKeyPem, options.subject), false);
  write('certificate', certificatePem, false);
  const alias = options.jks?.alias ?? 'salesforcetest';
  write('pkcs12', createPkcs12(keys.privateKeyPem, certificatePem, passphrase, alias), true);
  if (options.jks !== undefined) {
    const storePassword = options.jks.storePassword ?? passphrase;
    const jks = writeJks([{ kind: 'private-key', alias, privateKeyDer: privateKey.export({ type: 'pkcs8', format: 'der' }), certificateChainDer: [new X509Certificate(certificatePem).raw] }], storePassword);
    write('jks', jks, true);
  }
  if (generatedPassphrase) write('passphrase', `${passphrase}\n`, true);
  return { files, generatedPassphrase, sha256: new X509Certificate(certificatePem).fingerprint256 };
}
