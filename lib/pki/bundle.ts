/**
 * `keys generate`: the whole openssl / keytool chapter of a JWT Bearer setup as one call. Writes,
 * named as the common guides name them: server.pass.key (encrypted private key), server.key (plain
 * private key), public.key (public key, e.g. for jwt.io), server.csr, server.crt (self-signed SHA-256
 * certificate for the connected app), server.p12 (PKCS#12) and, when asked, keystore.jks with a chosen
 * alias for Apex. Keys come from node:crypto; X.509, CSR and PKCS#12 from node-forge; JKS from jks.ts.
 * The output folder is checked (made, and a file written and removed in it) before a key is made,
 * so an unusable one is an error at once. Every file is written as a new file, never through a link,
 * private material with mode 0600 (checked again once written); --force replaces each file whole
 * (a new file renamed over it), so an existing 0644 key or a link in its place never survives.
 * A folder it makes gets a .gitignore that ignores everything in it (a folder of the user's is left
 * alone). What Salesforce or keytool would refuse is refused before anything is written: a key under
 * 2048 bits, an empty passphrase, a store password under 6 characters, an alias the keystore import
 * refuses.
 */
import { createPrivateKey, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { lstatSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { ResourceError, UsageError } from '../errors.ts';
import { makeDirectory } from '../make-directory.ts';
import { writeOwnGitignore } from '../own-gitignore.ts';
import { fileKind } from '../read-input-file.ts';
import { PUBLIC_MODE, publishNewFile, replaceFile, SECRET_MODE, temporaryNameFor, writeNewFile } from '../write-new-file.ts';
import { generateRsaKeyPair, issueCertificate, type SubjectField } from './generate.ts';
import { writeJks } from './jks.ts';
import { DEFAULT_KEYSTORE_ALIAS, KEYSTORE_KEY_BITS, keystoreAliasProblem, MIN_STORE_PASSWORD } from './salesforce-keystore.ts';

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
  /** Also write keystore.jks with this alias (Salesforce refuses keytool's default alias "1"); the store password defaults to the passphrase. */
  jks?: { alias: string; storePassword?: string | undefined } | undefined;
  /** Replace existing files (each whole, by a new file renamed over it; a link there is replaced, not followed). */
  force?: boolean;
  now?: Date;
}

export interface BundleResult {
  files: Partial<Record<keyof typeof BUNDLE_FILES, string>>;
  /** The .gitignore written in the output folder when keys generate made the folder; undefined otherwise. */
  gitignore?: string;
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

/** What is at `path` ("a regular file", "a symbolic link", "a directory", …), or undefined when nothing is. */
function kindAt(path: string): string | undefined {
  try {
    return fileKind(lstatSync(path)) ?? 'a regular file';
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ResourceError(`cannot look at ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { actions: ['Choose a folder you can read and write for --out.'], cause });
  }
}

/** Refuses, before anything is written, what Salesforce or keytool would refuse later. */
function checkOptions(options: BundleOptions): void {
  const bits = options.bits ?? 2048;
  if (!Number.isInteger(bits) || bits < 2048 || bits > 8192) {
    throw new UsageError(`--bits ${bits}: Salesforce needs an RSA key of 2048 bits or more`, { actions: ['Leave --bits out for 2048, or give 3072 or 4096 (at most 8192).'] });
  }
  if (options.passphrase === '') {
    throw new UsageError('the passphrase is empty: server.pass.key and server.p12 would be "encrypted" with an empty password', {
      actions: ['Give a passphrase, or leave --passphrase out to have one generated (written to passphrase.txt).'],
    });
  }
  if (options.jks === undefined) return;
  const problem = keystoreAliasProblem(options.jks.alias);
  if (problem !== undefined) throw new UsageError(`the JKS alias "${options.jks.alias}" ${problem}`, { actions: [`Choose another alias, such as --alias ${DEFAULT_KEYSTORE_ALIAS}.`] });
  if (!KEYSTORE_KEY_BITS.includes(bits)) {
    throw new UsageError(`--bits ${bits} with --jks: Salesforce's Import from Keystore takes RSA keys of ${KEYSTORE_KEY_BITS.join(', ')} bits only`, {
      actions: ['Leave --bits out for 2048, or give 3072 or 4096.'],
    });
  }
  const store = options.jks.storePassword ?? options.passphrase;
  if (store !== undefined && store.length < MIN_STORE_PASSWORD) {
    const which = options.jks.storePassword === undefined ? 'the store password (the passphrase, as no --storepass was given)' : 'the store password';
    throw new UsageError(`${which} has ${store.length} character${store.length === 1 ? '' : 's'}: keytool and Salesforce need a store password of at least ${MIN_STORE_PASSWORD}`, {
      actions: [`Give a store password of ${MIN_STORE_PASSWORD} or more characters with --storepass (or SFJWT_STOREPASS).`],
    });
  }
}

/**
 * Makes the output folder and proves it takes a new file, before any key is made: a place that
 * cannot hold the files (`/proc/x`, a path under a file, a read-only folder) is an error at once.
 * True when it made the folder (which is then sfjwt's, and gets a .gitignore).
 */
function prepareFolder(out: string): boolean {
  const fail = (cause: unknown, doing: string): never => {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new ResourceError(`cannot ${doing} the output folder ${out}: ${code}`, { actions: ['Choose a folder you can write for --out (it is made when missing).'], cause });
  };
  let made = false;
  try {
    made = makeDirectory(out);
  } catch (cause) {
    fail(cause, 'create');
  }
  const probe = temporaryNameFor(join(out, 'server.key'));
  try {
    writeNewFile(probe, '', SECRET_MODE);
  } catch (cause) {
    fail(cause, 'write in');
  }
  unlinkSync(probe);
  return made;
}

/** The file at `path` is the one just written: a regular file (not a link) with exactly `mode`. */
function verifyWritten(path: string, mode: number): void {
  const stats = lstatSync(path);
  const modeOk = process.platform === 'win32' || (stats.mode & 0o777) === mode;
  if (!stats.isFile() || !modeOk) {
    throw new ResourceError(`${path} is not what sfjwt wrote (${fileKind(stats) ?? `mode ${(stats.mode & 0o777).toString(8)}`}, expected a file with mode ${mode.toString(8)})`, {
      actions: ['Something changed the folder while the keys were written: delete the file and run keys generate again in a folder only you can write.'],
    });
  }
}

export function generateKeyBundle(options: BundleOptions): BundleResult {
  checkOptions(options);
  const out = options.outDir;
  const force = options.force === true;
  const files: BundleResult['files'] = {};
  const names = Object.entries(BUNDLE_FILES).filter(([k]) => (k === 'jks' ? options.jks !== undefined : k === 'passphrase' ? options.passphrase === undefined : true));
  const made = prepareFolder(out);
  const there = names
    .map(([, n]) => join(out, n))
    .map((path) => ({ path, kind: kindAt(path) }))
    .filter((e) => e.kind !== undefined);
  if (!force && there.length > 0) throw new ResourceError(`not overwriting ${there.map((e) => e.path).join(', ')}`, { actions: ['Choose another --out folder, or pass --force to replace them.'] });
  // --force replaces files (and links, which are never followed), not folders or devices.
  const odd = there.filter((e) => e.kind !== 'a regular file' && e.kind !== 'a symbolic link');
  if (odd.length > 0)
    throw new ResourceError(`cannot replace ${odd.map((e) => `${e.path} (${e.kind ?? ''})`).join(', ')}: --force replaces files only`, {
      actions: ['Move them away, or choose another --out folder.'],
    });
  // Before the first key: a folder of private keys is never without it, even if a later step fails.
  let gitignore: string | undefined;
  try {
    gitignore = made ? writeOwnGitignore(out, 'the private keys sfjwt keys generate wrote') : undefined;
  } catch (cause) {
    throw new ResourceError(`cannot write ${join(out, '.gitignore')}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { actions: ['Choose a folder you can write for --out.'], cause });
  }
  const generatedPassphrase = options.passphrase === undefined;
  const passphrase = options.passphrase ?? randomBytes(18).toString('base64url');
  const keys = generateRsaKeyPair(options.bits ?? 2048);
  const privateKey = createPrivateKey(keys.privateKeyPem);
  const certificatePem = issueCertificate(keys, { subject: options.subject, days: options.days ?? 365, notBefore: options.now ?? new Date() });
  const write = (name: keyof typeof BUNDLE_FILES, data: string | Buffer, secret: boolean) => {
    const path = join(out, BUNDLE_FILES[name]);
    const mode = secret ? SECRET_MODE : PUBLIC_MODE;
    try {
      if (force) replaceFile(path, data, mode);
      else publishNewFile(path, data, mode);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'EEXIST')
        throw new ResourceError(`not overwriting ${path}: it appeared while the keys were being made`, { actions: ['Choose another --out folder, or pass --force to replace it.'], cause });
      throw new ResourceError(`cannot write ${path}: ${code ?? String(cause)}`, { actions: ['Choose a folder you can write for --out.'], cause });
    }
    verifyWritten(path, mode);
    files[name] = path;
  };
  write('encryptedKey', privateKey.export({ type: 'pkcs8', format: 'pem', cipher: options.cipher ?? 'aes-256-cbc', passphrase }) as string, true);
  write('key', keys.privateKeyPem, true);
  write('publicKey', createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string, false);
  write('csr', createCsr(keys.privateKeyPem, keys.publicKeyPem, options.subject), false);
  write('certificate', certificatePem, false);
  const alias = options.jks?.alias ?? DEFAULT_KEYSTORE_ALIAS;
  write('pkcs12', createPkcs12(keys.privateKeyPem, certificatePem, passphrase, alias), true);
  if (options.jks !== undefined) {
    const storePassword = options.jks.storePassword ?? passphrase;
    const jks = writeJks(
      [{ kind: 'private-key', alias, privateKeyDer: privateKey.export({ type: 'pkcs8', format: 'der' }), certificateChainDer: [new X509Certificate(certificatePem).raw] }],
      storePassword,
    );
    write('jks', jks, true);
  }
  if (generatedPassphrase) write('passphrase', `${passphrase}\n`, true);
  return { files, ...(gitignore === undefined ? {} : { gitignore }), generatedPassphrase, sha256: new X509Certificate(certificatePem).fingerprint256 };
}
