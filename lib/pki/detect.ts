/**
 * What a key or certificate file is, from its bytes: a PEM block by its label (a private key in
 * PKCS#1 or PKCS#8, encrypted or not, a public key, a certificate, a CSR, an OpenSSH key) or a binary
 * file by its structure (DER key or certificate, PKCS#12, JKS, JCEKS). Users hand over the wrong file
 * all the time; knowing what they gave is the first half of telling them what to give instead.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

export type MaterialKind =
  | 'private-key-pkcs1'
  | 'private-key-pkcs8'
  | 'private-key-ec'
  | 'encrypted-private-key-legacy'
  | 'encrypted-private-key-pkcs8'
  | 'public-key'
  | 'certificate'
  | 'csr'
  | 'openssh-private-key'
  | 'private-key-der'
  | 'public-key-der'
  | 'certificate-der'
  | 'csr-der'
  | 'pkcs12'
  | 'jks'
  | 'jceks'
  | 'empty'
  | 'unknown';

export const MATERIAL_NAMES: Record<MaterialKind, string> = {
  'private-key-pkcs1': 'an RSA private key (PKCS#1 PEM, "BEGIN RSA PRIVATE KEY")',
  'private-key-pkcs8': 'a private key (PKCS#8 PEM, "BEGIN PRIVATE KEY")',
  'private-key-ec': 'an EC private key ("BEGIN EC PRIVATE KEY")',
  'encrypted-private-key-legacy': 'an encrypted RSA private key (legacy PEM with Proc-Type: 4,ENCRYPTED)',
  'encrypted-private-key-pkcs8': 'an encrypted private key (PKCS#8 PEM, "BEGIN ENCRYPTED PRIVATE KEY")',
  'public-key': 'a public key ("BEGIN PUBLIC KEY")',
  certificate: 'an X.509 certificate ("BEGIN CERTIFICATE")',
  csr: 'a certificate signing request ("BEGIN CERTIFICATE REQUEST")',
  'openssh-private-key': 'an OpenSSH private key ("BEGIN OPENSSH PRIVATE KEY")',
  'private-key-der': 'a private key in binary DER form',
  'public-key-der': 'a public key in binary DER form',
  'certificate-der': 'an X.509 certificate in binary DER form',
  'csr-der': 'a certificate signing request in binary DER form',
  pkcs12: 'a PKCS#12 bundle (.p12 / .pfx)',
  jks: 'a Java KeyStore (JKS)',
  jceks: 'a Java JCEKS keystore',
  empty: 'an empty file',
  unknown: 'something that is neither a key, a certificate nor a keystore',
};

/** The first PEM block's label, e.g. "RSA PRIVATE KEY". */
export function pemLabel(text: string): string | undefined {
  return /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
}

function tryDer(data: Buffer): MaterialKind {
  const attempts: [MaterialKind, () => unknown][] = [
    ['certificate-der', () => new X509Certificate(data)],
    ['private-key-der', () => createPrivateKey({ key: data, format: 'der', type: 'pkcs8' })],
    ['private-key-der', () => createPrivateKey({ key: data, format: 'der', type: 'pkcs1' })],
    ['public-key-der', () => createPublicKey({ key: data, format: 'der', type: 'spki' })],
    ['csr-der', () => forge.pki.certificationRequestFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary'))))],
  ];
  for (const [kind, attempt] of attempts) {
    try {
      attempt();
      return kind;
    } catch {
      // Not this kind; try the next.
    }
  }
  // PKCS#12: SEQUENCE { INTEGER 3, ContentInfo, … }.
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary')));
    const first = (asn1.value as forge.asn1.Asn1[])[0];
    if (first !== undefined && forge.asn1.derToInteger(first.value as string) === 3) return 'pkcs12';
  } catch {
    // Not ASN.1 either.
  }
  return 'unknown';
}

export function detectMaterial(data: Buffer): MaterialKind {
  if (data.length === 0 || data.toString('utf8').trim() === '') return 'empty';
  const magic = data.length >= 4 ? data.readUInt32BE(0) : 0;
  if (magic === 0xfeedfeed) return 'jks';
  if (magic === 0xcececece) return 'jceks';
  const text = data.toString('latin1');
  const label = pemLabel(text);
  switch (label) {
    case 'RSA PRIVATE KEY':
      return /Proc-Type:\s*4,ENCRYPTED/.test(text) ? 'encrypted-private-key-legacy' : 'private-key-pkcs1';
    case 'PRIVATE KEY':
      return 'private-key-pkcs8';
    case 'ENCRYPTED PRIVATE KEY':
      return 'encrypted-private-key-pkcs8';
    case 'EC PRIVATE KEY':
      return 'private-key-ec';
    case 'PUBLIC KEY':
    case 'RSA PUBLIC KEY':
      return 'public-key';
    case 'CERTIFICATE':
    case 'TRUSTED CERTIFICATE':
      return 'certificate';
    case 'CERTIFICATE REQUEST':
    case 'NEW CERTIFICATE REQUEST':
      return 'csr';
    case 'OPENSSH PRIVATE KEY':
      return 'openssh-private-key';
    case undefined:
      return data[0] === 0x30 ? tryDer(data) : 'unknown';
    default:
      return 'unknown';
  }
}
