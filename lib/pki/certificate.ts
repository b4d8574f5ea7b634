/**
 * Reading certificates: the public key a signature is verified with, fingerprints for humans and
 * traces, validity dates, key type and size and the signature algorithm. Parsing happens once (node's
 * X509Certificate), and the resulting KeyObject can verify many signatures.
 */
import { createHash, type KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { KeyMaterialError } from '../errors.ts';
import { detectMaterial, MATERIAL_NAMES } from './detect.ts';

export interface CertificateInfo {
  pem: string;
  publicKey: KeyObject;
  /** SHA-256 fingerprint, colon-separated upper-case hex as openssl prints it. */
  sha256: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** `rsa`, `ec`, … */
  keyType: string;
  /** RSA modulus length in bits, when RSA. */
  keyBits: number | undefined;
  /** e.g. sha256WithRSAEncryption, sha1WithRSAEncryption, ecdsa-with-SHA256. */
  signatureAlgorithm: string;
}

const SIGNATURE_OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
};

/** The signatureAlgorithm OID of a DER certificate, read from its ASN.1 (works for any key type). */
function signatureAlgorithm(der: Buffer): string {
  try {
    const cert = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
    const algorithm = (cert.value as forge.asn1.Asn1[])[1];
    const oid = forge.asn1.derToOid(((algorithm?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value as string | undefined) ?? '');
    return SIGNATURE_OIDS[oid] ?? oid;
  } catch {
    return 'unknown';
  }
}

function toPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** Parses one PEM certificate; `where` names its place in messages. */
export function readCertificate(pem: string, where = 'certificate'): CertificateInfo {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (cause) {
    const kind = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
    throw new KeyMaterialError(`${where} is not an X.509 certificate${kind === undefined ? '' : ` (it is a PEM "${kind}" block)`}`, {
      actions: ['Give the certificate (-----BEGIN CERTIFICATE-----) that was uploaded to the connected app, not a key or a CSR.'],
      cause,
    });
  }
  const details = cert.publicKey.asymmetricKeyDetails;
  return {
    pem,
    publicKey: cert.publicKey,
    sha256: cert.fingerprint256,
    subject: cert.subject.replace(/\n/g, ', '),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    keyType: cert.publicKey.asymmetricKeyType ?? 'unknown',
    keyBits: details?.modulusLength,
    signatureAlgorithm: signatureAlgorithm(cert.raw),
  };
}

/** Reads a certificate file in PEM or DER; anything else is refused with what it is instead. */
export function loadCertificate(data: Buffer, source = 'the certificate'): CertificateInfo {
  const kind = detectMaterial(data);
  if (kind === 'certificate') return readCertificate(data.toString('latin1'), source);
  if (kind === 'certificate-der') return readCertificate(toPem(data), source);
  const fix =
    kind.includes('private-key') || kind === 'pkcs12' || kind === 'jks'
      ? 'This is a private key: keep it secret and give the certificate (server.crt) here.'
      : kind === 'csr' || kind === 'csr-der'
        ? 'This is the signing request (server.csr); the certificate made from it (server.crt) goes here.'
        : 'Give the X.509 certificate (server.crt, -----BEGIN CERTIFICATE-----).';
  throw new KeyMaterialError(`${source} is ${MATERIAL_NAMES[kind]}, not a certificate`, { actions: [fix] });
}

/** SHA-256 fingerprint of a public key's SPKI DER, to compare keys and certificates. */
export function publicKeyFingerprint(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}
