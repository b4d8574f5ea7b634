/**
 * Key material made locally: an RSA key pair (node:crypto, fast) and a self-signed X.509
 * certificate (node-forge), the pair a connected app's "Use digital signatures" needs. The private
 * key never leaves the machine it was made on and is never committed.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPairPem {
  /** PKCS#8 PEM private key. */
  privateKeyPem: string;
  /** SPKI PEM public key. */
  publicKeyPem: string;
}

export function generateRsaKeyPair(bits = 2048): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export interface SubjectField {
  /** Short name: C, ST, L, O, OU, CN. */
  shortName: string;
  value: string;
}

export interface CertificateOptions {
  subject: readonly SubjectField[];
  /**
   * The issuing CA: its certificate (whose subject becomes the issuer name, and whose key identifier
   * the authority key identifier, so a verifier that trusts several CAs of one name still finds this
   * one) and its key; absent for a self-signed certificate.
   */
  issuer?: { certificatePem: string; privateKeyPem: string };
  days?: number;
  notBefore?: Date;
  isCa?: boolean;
  /** subjectAltName entries for a TLS server certificate. */
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  /** Signature digest; Salesforce expects SHA-256. */
  digest?: 'sha256' | 'sha1';
}

/** Issues an X.509 certificate for `publicKeyPem`, self-signed unless `issuer` is given. */
export function issueCertificate(keys: KeyPairPem, options: CertificateOptions): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  // A positive serial: the high bit of the first byte cleared.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const notBefore = options.notBefore ?? new Date();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + (options.days ?? 365) * 86_400_000);
  cert.setSubject(options.subject.map((f) => ({ shortName: f.shortName, value: f.value })));
  const issuerCert = options.issuer === undefined ? undefined : forge.pki.certificateFromPem(options.issuer.certificatePem);
  cert.setIssuer(issuerCert === undefined ? options.subject.map((f) => ({ shortName: f.shortName, value: f.value })) : issuerCert.subject.attributes);
  const extensions: object[] = [{ name: 'basicConstraints', cA: options.isCa === true, critical: options.isCa === true }];
  if (options.isCa === true) {
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  } else {
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true });
  }
  const altNames = [...(options.dnsNames ?? []).map((value) => ({ type: 2, value })), ...(options.ipAddresses ?? []).map((ip) => ({ type: 7, ip }))];
  if (altNames.length > 0) {
    extensions.push({ name: 'subjectAltName', altNames }, { name: 'extKeyUsage', serverAuth: true });
  }
  extensions.push({ name: 'subjectKeyIdentifier' });
  if (issuerCert !== undefined) extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() });
  cert.setExtensions(extensions);
  const signer = forge.pki.privateKeyFromPem(options.issuer?.privateKeyPem ?? keys.privateKeyPem);
  const md = options.digest === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create();
  cert.sign(signer, md);
  return forge.pki.certificateToPem(cert);
}

/** Parses "/C=US/O=Acme/CN=name" (openssl's -subj form) into subject fields. */
export function parseSubject(text: string): SubjectField[] {
  return text
    .split('/')
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new RangeError(`"${part}" is not NAME=value in the subject "${text}"`);
      return { shortName: part.slice(0, eq), value: part.slice(eq + 1) };
    });
}
