/**
 * Reading certificates: the public key a signature is verified with, fingerprints for humans and
 * traces, and validity dates. Uses node:crypto's X509Certificate, so parsing happens once and the
 * resulting KeyObject can verify many signatures.
 */
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import { KeyMaterialError } from '../errors.ts';

export interface CertificateInfo {
  pem: string;
  publicKey: KeyObject;
  /** SHA-256 fingerprint, colon-separated upper-case hex as openssl prints it. */
  sha256: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

/** Parses one PEM certificate; `where` names its place in messages. */
export function readCertificate(pem: string, where = 'certificate'): CertificateInfo {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (cause) {
    const kind = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
    throw new KeyMaterialError(
      `${where} is not an X.509 certificate${kind === undefined ? '' : ` (it is a PEM "${kind}" block)`}`,
      { actions: ['Give the certificate (-----BEGIN CERTIFICATE-----) that was uploaded to the connected app, not a key or a CSR.'], cause },
    );
  }
  return {
    pem,
    publicKey: cert.publicKey,
    sha256: cert.fingerprint256,
    subject: cert.subject.replace(/\n/g, ', '),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

/** SHA-256 fingerprint of a public key's SPKI DER, to compare keys and certificates. */
export function publicKeyFingerprint(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}
