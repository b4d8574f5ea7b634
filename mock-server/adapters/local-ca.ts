/**
 * HTTPS for the mock on loopback: a local certificate authority, kept in the state folder so that
 * `NODE_EXTRA_CA_CERTS=<ca.pem>` keeps working across runs, and a fresh leaf certificate per start
 * that covers 127.0.0.1, localhost and every Salesforce host name the mock can answer as.
 */
import { join } from 'node:path';
import { generateRsaKeyPair, issueCertificate } from '../../src/keys/generate.ts';
import { ensureKeyPair } from '../../src/keys/local-store.ts';

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

export function serverTls(stateDir: string): ServerTls {
  const ca = ensureKeyPair(join(stateDir, 'tls'), 'ca', CA_SUBJECT, { days: 3650, isCa: true });
  const leafKeys = generateRsaKeyPair(2048);
  const cert = issueCertificate(leafKeys, {
    subject: [{ shortName: 'O', value: 'sfjwt' }, { shortName: 'CN', value: 'sfjwt mock org' }],
    issuer: { subject: CA_SUBJECT, privateKeyPem: ca.privateKeyPem },
    days: 30,
    notBefore: new Date(Date.now() - 86_400_000),
    dnsNames: SALESFORCE_DNS_NAMES,
    ipAddresses: ['127.0.0.1', '::1'],
  });
  return { caFile: ca.certificateFile, caPem: ca.certificatePem, key: leafKeys.privateKeyPem, cert };
}
