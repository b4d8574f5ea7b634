/**
 * HTTPS for the mock on loopback: a local certificate authority, kept in the state folder so that
 * `NODE_EXTRA_CA_CERTS=<ca.pem>` keeps working across runs, and a leaf certificate that covers
 * 127.0.0.1, localhost and every Salesforce host name the mock can answer as, kept next to the CA
 * and reused while it is issued by that CA, valid for another day and covers every name. The leaf
 * is a cache of sfjwt's own: a stale or damaged one is replaced whole (by rename, never written
 * through a link); a link, a directory or a FIFO in its place is refused with what to do.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceError } from '../../lib/errors.ts';
import { generateRsaKeyPair, issueCertificate } from '../../lib/pki/generate.ts';
import { INPUT_LIMITS, tryReadInputFile } from '../../lib/read-input-file.ts';
import { ensureKeyPair } from '../../lib/state-folder.ts';
import { PUBLIC_MODE, replaceFile, SECRET_MODE } from '../../lib/write-new-file.ts';

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
  const key = leafFile(keyFile, [keyFile, certFile]);
  const cert = leafFile(certFile, [keyFile, certFile]);
  if (key === undefined || cert === undefined) return undefined;
  try {
    const leaf = new X509Certificate(cert);
    const ca = new X509Certificate(caPem);
    const now = Date.now();
    const names = new Set((leaf.subjectAltName ?? '').split(', '));
    const covered = SALESFORCE_DNS_NAMES.every((n) => names.has(`DNS:${n}`)) && LEAF_IP_NAMES.every((ip) => names.has(ip));
    const fresh = Date.parse(leaf.validFrom) <= now && Date.parse(leaf.validTo) > now + DAY;
    if (!covered || !fresh || !leaf.checkIssued(ca) || !leaf.verify(ca.publicKey) || !leaf.checkPrivateKey(createPrivateKey(key))) return undefined;
    return { key, cert };
  } catch {
    // Damaged content in sfjwt's own cache: a new leaf replaces it.
    return undefined;
  }
}

/**
 * A kept leaf file's text; undefined when it is not there. Anything but a regular file in its place
 * (a link, a directory, a FIFO that would block the read) was not put there by sfjwt: refused.
 */
function leafFile(path: string, pair: readonly string[]): string | undefined {
  try {
    lstatSync(path);
  } catch {
    return undefined;
  }
  const read = tryReadInputFile(path, { maxBytes: INPUT_LIMITS.keyMaterial, noFollow: true });
  if ('data' in read) return read.data.toString('utf8');
  throw new ResourceError(`cannot use the mock's TLS file ${path}: ${read.reason}`, {
    actions: [`Delete ${pair.join(' and ')}: sfjwt makes a new leaf certificate on the next start (the CA next to it stays).`],
    cause: read.cause,
  });
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
    subject: [
      { shortName: 'O', value: 'sfjwt' },
      { shortName: 'CN', value: 'sfjwt mock org' },
    ],
    issuer: { certificatePem: ca.certificatePem, privateKeyPem: ca.privateKeyPem },
    days: 30,
    notBefore: new Date(Date.now() - DAY),
    dnsNames: SALESFORCE_DNS_NAMES,
    ipAddresses: LEAF_IPS,
  });
  try {
    // Written as new files under random names and renamed, so a server starting at the same time
    // never reads half a file and nothing is written through a link planted at a guessable name.
    replaceFile(keyFile, leafKeys.privateKeyPem, SECRET_MODE);
    replaceFile(certFile, cert, PUBLIC_MODE);
  } catch {
    // A read-only state folder: serve with the new leaf and make another next time.
  }
  return { caFile: ca.certificateFile, caPem: ca.certificatePem, key: leafKeys.privateKeyPem, cert };
}
