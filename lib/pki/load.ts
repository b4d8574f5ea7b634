/**
 * Loading a private key from any form users have — PKCS#1 or PKCS#8 PEM, encrypted PEM (legacy
 * DES-EDE3 / AES and encrypted PKCS#8), DER, PKCS#12 and JKS — into a node:crypto KeyObject that
 * jose and node:crypto sign with, plus any certificates the bundle carried. A wrong file, a missing
 * or wrong passphrase each get a KeyLoadError with a stable reason and the fix.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { KeyMaterialError } from '../errors.ts';
import { type CertificateInfo, readCertificate } from './certificate.ts';
import { detectMaterial, MATERIAL_NAMES, type MaterialKind } from './detect.ts';
import { readJks } from './jks.ts';

export type KeyLoadReason = 'needs-passphrase' | 'wrong-passphrase' | 'not-a-private-key' | 'alias-not-found' | 'unreadable';

export class KeyLoadError extends KeyMaterialError {
  readonly reason: KeyLoadReason;
  readonly kind: MaterialKind;

  constructor(reason: KeyLoadReason, kind: MaterialKind, message: string, actions: readonly string[], cause?: unknown) {
    super(message, cause === undefined ? { actions } : { actions, cause });
    this.reason = reason;
    this.kind = kind;
  }
}

export interface LoadOptions {
  /** Passphrase of an encrypted PEM key, or the password of a PKCS#12 or JKS file. */
  passphrase?: string | undefined;
  /** A JKS key password when it differs from the store password. */
  keyPassword?: string | undefined;
  /** Which JKS / PKCS#12 entry to use (the first private key by default). */
  alias?: string | undefined;
  /** Named in messages. */
  source?: string | undefined;
}

export interface LoadedKey {
  key: KeyObject;
  kind: MaterialKind;
  /** Certificates that came in the same bundle (PKCS#12, JKS), leaf first. */
  certificates: CertificateInfo[];
  alias?: string;
}

function needsPassphrase(kind: MaterialKind, source: string): KeyLoadError {
  return new KeyLoadError('needs-passphrase', kind, `${source} is ${MATERIAL_NAMES[kind]} and needs a passphrase`, [
    'Pass --passphrase or set SFJWT_KEY_PASSPHRASE (the password chosen when the key was made), or use the plain key (server.key).',
  ]);
}

/** A bundle without an entry of the alias asked for: the error names the aliases it does hold. */
function aliasNotFound(kind: MaterialKind, source: string, alias: string, aliases: readonly string[]): KeyLoadError {
  const held = aliases.length === 0 ? 'it holds no named private key entry' : `its private key entries: ${aliases.map((a) => `"${a}"`).join(', ')}`;
  return new KeyLoadError('alias-not-found', kind, `${source} has no private key entry with the alias "${alias}" (${held})`, [
    aliases[0] === undefined ? 'Leave out --alias to use the first private key entry.' : `Pass --alias ${aliases.join(' or --alias ')}, or leave --alias out to use the first private key entry.`,
  ]);
}

function wrongPassphrase(kind: MaterialKind, source: string, cause?: unknown): KeyLoadError {
  return new KeyLoadError(
    'wrong-passphrase',
    kind,
    `the passphrase does not open ${source} (${MATERIAL_NAMES[kind]})`,
    ['Check the passphrase (it is case-sensitive); for a JKS, the key password may differ from the store password.'],
    cause,
  );
}

/** A PEM key whose label is right but whose content node:crypto cannot decode: cut short, edited or mangled. */
function damaged(kind: MaterialKind, source: string, cause: unknown): KeyLoadError {
  return new KeyLoadError(
    'unreadable',
    kind,
    `${source} looks like ${MATERIAL_NAMES[kind]} but cannot be read: it is damaged, cut short or edited (${(cause as Error).message})`,
    ['Copy the key file again, whole: every line from -----BEGIN to -----END, unchanged (a copy from a terminal or a chat can wrap, cut or trim lines).'],
    cause,
  );
}

function fromPkcs12(data: Buffer, options: LoadOptions, source: string): LoadedKey {
  if (options.passphrase === undefined) throw needsPassphrase('pkcs12', source);
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary'))), false, options.passphrase);
  } catch (cause) {
    if (/MAC could not be verified|Invalid password/i.test(String(cause))) throw wrongPassphrase('pkcs12', source, cause);
    throw new KeyLoadError('unreadable', 'pkcs12', `${source} looks like PKCS#12 but cannot be read: ${(cause as Error).message}`, ['Re-export it with openssl pkcs12 -export.'], cause);
  }
  const bags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag ?? ''] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag ?? ''] ?? []),
  ];
  const bag = options.alias === undefined ? bags[0] : bags.find((b) => b.attributes['friendlyName']?.[0] === options.alias);
  if (options.alias !== undefined && bag === undefined && bags.length > 0) {
    throw aliasNotFound(
      'pkcs12',
      source,
      options.alias,
      bags.flatMap((b) => b.attributes['friendlyName']?.[0] ?? []),
    );
  }
  if (bag?.key === undefined || bag.key === null) {
    throw new KeyLoadError('not-a-private-key', 'pkcs12', `${source} holds no RSA private key${options.alias === undefined ? '' : ` named "${options.alias}"`}`, [
      'Export the bundle with its private key (openssl pkcs12 -export -inkey server.key -in server.crt).',
    ]);
  }
  const key = createPrivateKey(forge.pki.privateKeyToPem(bag.key));
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag ?? ''] ?? [];
  const certificates = certBags.flatMap((b) => (b.cert === undefined || b.cert === null ? [] : [readCertificate(forge.pki.certificateToPem(b.cert), source)]));
  const alias = bag.attributes['friendlyName']?.[0];
  return alias === undefined ? { key, kind: 'pkcs12', certificates } : { key, kind: 'pkcs12', certificates, alias };
}

function fromJks(data: Buffer, options: LoadOptions, source: string): LoadedKey {
  if (options.passphrase === undefined) throw needsPassphrase('jks', source);
  let entries: ReturnType<typeof readJks>;
  try {
    entries = readJks(data, options.passphrase, options.keyPassword);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    if (/password is wrong|wrong key password/.test(message)) throw wrongPassphrase('jks', source, cause);
    throw new KeyLoadError('unreadable', 'jks', `${source}: ${message}`, cause instanceof KeyMaterialError ? cause.actions : [], cause);
  }
  const keyEntries = entries.filter((e) => e.kind === 'private-key');
  const entry = keyEntries.find((e) => options.alias === undefined || e.alias === options.alias.toLowerCase());
  if (entry === undefined && options.alias !== undefined && keyEntries.length > 0) {
    throw aliasNotFound(
      'jks',
      source,
      options.alias,
      keyEntries.map((e) => e.alias),
    );
  }
  if (entry === undefined || entry.kind !== 'private-key') {
    throw new KeyLoadError('not-a-private-key', 'jks', `${source} has no private key entry (entries: ${entries.map((e) => `"${e.alias}" (a trusted certificate)`).join(', ') || 'none'})`, [
      'Give a keystore with the private key in it (npx sfjwt keys jks --key server.key --cert server.crt makes one).',
    ]);
  }
  const key = createPrivateKey({ key: entry.privateKeyDer, format: 'der', type: 'pkcs8' });
  const certificates = entry.certificateChainDer.map((der) => readCertificate(`-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`, source));
  return { key, kind: 'jks', certificates, alias: entry.alias };
}

/** Loads a private key from a file's bytes; `options.source` names it in messages. */
export function loadPrivateKey(data: Buffer, options: LoadOptions = {}): LoadedKey {
  const source = options.source ?? 'the key';
  const kind = detectMaterial(data);
  switch (kind) {
    case 'pkcs12':
      return fromPkcs12(data, options, source);
    case 'jks':
      return fromJks(data, options, source);
    case 'private-key-pkcs1':
    case 'private-key-pkcs8':
    case 'private-key-ec':
      try {
        return { key: createPrivateKey(data), kind, certificates: [] };
      } catch (cause) {
        throw damaged(kind, source, cause);
      }
    case 'private-key-der':
      for (const type of ['pkcs8', 'pkcs1'] as const) {
        try {
          return { key: createPrivateKey({ key: data, format: 'der', type }), kind, certificates: [] };
        } catch {
          // Try the other layout.
        }
      }
      break;
    case 'encrypted-private-key-legacy':
    case 'encrypted-private-key-pkcs8': {
      if (options.passphrase === undefined) throw needsPassphrase(kind, source);
      try {
        return { key: createPrivateKey({ key: data, passphrase: options.passphrase }), kind, certificates: [] };
      } catch (cause) {
        throw wrongPassphrase(kind, source, cause);
      }
    }
    case 'jceks':
      throw new KeyLoadError('unreadable', kind, `${source} is a JCEKS keystore, which sfjwt does not read`, [
        'Convert it: keytool -importkeystore -srcstoretype JCEKS -deststoretype PKCS12 -destkeystore server.p12.',
      ]);
    default:
      break;
  }
  const fixes: Partial<Record<MaterialKind, string>> = {
    certificate: 'This is the certificate (server.crt), which goes to the connected app. Give the private key (server.key) here.',
    'certificate-der': 'This is the certificate, which goes to the connected app. Give the private key (server.key) here.',
    csr: 'This is the certificate signing request (server.csr). Give the private key (server.key) here.',
    'csr-der': 'This is a certificate signing request. Give the private key (server.key) here.',
    'public-key': 'This is the public key; signing needs the private key (server.key).',
    'public-key-der': 'This is a public key; signing needs the private key (server.key).',
    'openssh-private-key': 'Convert it to PEM: ssh-keygen -p -m PEM -f KEY (then check it is RSA).',
  };
  const reason = kind === 'unknown' || kind === 'empty' ? 'unreadable' : 'not-a-private-key';
  throw new KeyLoadError(reason, kind, `${source} is ${MATERIAL_NAMES[kind]}, not a private key`, [fixes[kind] ?? 'Give the private key file (server.key, PEM, -----BEGIN PRIVATE KEY-----).']);
}

/** Whether a private key belongs to the certificate's public key. */
export function keyMatchesCertificate(key: KeyObject, certificate: CertificateInfo): boolean {
  const mine = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const theirs = certificate.publicKey.export({ type: 'spki', format: 'der' });
  return mine.equals(theirs);
}
