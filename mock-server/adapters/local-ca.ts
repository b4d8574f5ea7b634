/**
 * HTTPS for the mock on loopback: a local certificate authority, kept in the state folder so that
 * `NODE_EXTRA_CA_CERTS=<ca.pem>` keeps working across runs, and a leaf certificate that covers
 * 127.0.0.1, localhost and every Salesforce host name the mock can answer as, kept next to the CA
 * and reused while it is issued by that CA, valid for another day and covers every name.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateRsaKeyPair, issueCertificate } from '../../lib/pki/generate.ts';
import { ensureKeyPair } from '../../lib/state-folder.ts';

export const SALESFORCE_DNS_NAMES = [
  'localhost',
  'login.salesforce.com',
  'test.salesforce.com',
  '*.my.salesforce.com',
  '*.sandbox.my.salesforce.com',
  '*.my.site.com',
  '*.sandbox.my.site.com',
  '*.lightning.force.com',
  '*.sandbox.lightning.force.com',
];

const CA_SUBJECT = [
  { shortName: 'O', value: 'sfjwt' },
  { shortName: 'CN', value: 'sfjwt local CA (mock Salesforce org)' },
];

export interface ServerTls {
  /** Path of the CA certificate for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  caPem: string;
  key: string;
  cert: string;
}

const LEAF_IPS = ['127.0.0.1', '::1'];
/** The same addresses as X509Certificate.subjectAltName prints them (IPv6 in full). */
const LEAF_IP_NAMES = ['IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1'];
const DAY = 86_400_000;

/**
 * The leaf kept from an earlier start, if it is still good: issued by this CA, valid for at least
 * another day, covering every name and address, and matching its key. Anything else is made anew.
 */
function reusableLeaf(keyFile: string, certFile: string, caPem: string): { key: string; cert: string } | undefined {
  if (!existsSync(keyFile) || !existsSync(certFile)) return undefined;
  try {
    const key = readFileSync(keyFile, 'utf8');
    const cert = readFileSync(certFile, 'utf8');
    const leaf = new X509Certificate(cert);
    const ca = new X509Certificate(caPem);
    const now = Date.now();
    const names = new Set((leaf.subjectAltName ?? '').split(', '));
    const covered = SALESFORCE_DNS_NAMES.every((n) => names.has(`DNS:${n}`)) && LEAF_IP_NAMES.every((ip) => names.has(ip));
    const fresh = Date.parse(leaf.validFrom) <= now && Date.parse(leaf.validTo) > now + DAY;
    if (!covered || !fresh || !leaf.checkIssued(ca) || !leaf.verify(ca.publicKey) || !leaf.checkPrivateKey(createPrivateKey(key))) return undefined;
    return { key, cert };
  } catch {
    return undefined;
  }
}

export function serverTls(stateDir: string): ServerTls {
  const dir = join(stateDir, 'tls');
  const ca = ensureKeyPair(dir, 'ca', CA_SUBJECT, { days: 3650, isCa: true });
  const keyFile = join(dir, 'server.key');
  const certFile = join(dir, 'server.crt');
  const kept = reusableLeaf(keyFile, certFile, ca.certificatePem);
  if (kept !== undefined) return { caFile: ca.certificateFile, caPem: ca.certificatePem, ...kept };
  // Making an RSA key takes from 50 ms to half a second: done once, then kept next to the CA.
  const leafKeys = generateRsaKeyPair(2048);
  const cert = issueCertificate(leafKeys, {
    subject: [{ shortName: 'O', value: 'sfjwt' }, { shortName: 'CN', value: 'sfjwt mock org' }],
    issuer: { subject: CA_SUBJECT, privateKeyPem: ca.privateKeyPem },
    days: 30,
    notBefore: new Date(Date.now() - DAY),
    dnsNames: SALESFORCE_DNS_NAMES,
    ipAddresses: LEAF_IPS,
  });
  try {
    // Written under temporary names and renamed, so a server starting at the same time never reads half a file.
    const tmp = `.${process.pid}.${Date.now()}`;
    writeFileSync(keyFile + tmp, leafKeys.privateKeyPem, { mode: 0o600 });
    writeFileSync(certFile + tmp, cert);
    renameSync(keyFile + tmp, keyFile);
    renameSync(certFile + tmp, certFile);
  } catch {
    // A read-only state folder: serve with the new leaf and make another next time.
  }
  return { caFile: ca.certificateFile, caPem: ca.certificatePem, key: leafKeys.privateKeyPem, cert };
}
