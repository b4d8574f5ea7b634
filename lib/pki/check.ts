/**
 * The key-material doctor: reads a private key (any form) and optionally a certificate, and returns
 * findings, each with a stable id, a severity, what it saw and the fix. Findings are data; nothing
 * here throws for a user's mistake. A key or certificate that was read is `key-ok` / `cert-ok` only
 * when the check found no error at all; beside an error it is `key-read` / `cert-read`, so that no
 * line says "ok" where something is wrong.
 */
import type { KeyObject } from 'node:crypto';
import { KeyMaterialError } from '../errors.ts';
import { type CertificateInfo, loadCertificate } from './certificate.ts';
import { MATERIAL_NAMES } from './detect.ts';
import { KeyLoadError, keyMatchesCertificate, type LoadedKey, loadPrivateKey } from './load.ts';
import { keystoreAliasProblem, renameAliasFix } from './salesforce-keystore.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  id: string;
  severity: Severity;
  title: string;
  saw: string;
  fix?: string;
}

export const KEY_FINDING_IDS = [
  'key-ok',
  'key-read',
  'key-unreadable',
  'key-not-private',
  'key-alias-not-found',
  'key-needs-passphrase',
  'key-wrong-passphrase',
  'key-not-rsa',
  'key-too-small',
  'jks-alias-refused',
  'jks-key-password-differs',
  'cert-ok',
  'cert-read',
  'cert-not-certificate',
  'cert-key-mismatch',
  'cert-expired',
  'cert-not-yet-valid',
  'cert-expiring',
  'cert-sha1',
  'cert-not-rsa',
  'cert-too-small',
] as const;

export type KeyFindingId = (typeof KEY_FINDING_IDS)[number];

export interface KeyCheckInput {
  key?: { data: Buffer; source: string };
  certificate?: { data: Buffer; source: string };
  passphrase?: string | undefined;
  keyPassword?: string | undefined;
  alias?: string | undefined;
  /**
   * Also what Salesforce's Import from Keystore refuses in a JKS (the alias, a key password of its
   * own): `keys check` asks for it; signing a JWT with the key (the doctor) does not care.
   */
  keystoreImport?: boolean;
  /** Milliseconds since the epoch. */
  now: number;
}

export interface KeyCheckResult {
  findings: Finding[];
  key?: LoadedKey;
  certificate?: CertificateInfo;
}

const DAY = 86_400_000;

function keySummary(key: KeyObject): { type: string; bits: number | undefined } {
  return { type: key.asymmetricKeyType ?? 'unknown', bits: key.asymmetricKeyDetails?.modulusLength };
}

/** "an EC", "an ED25519", "a DSA": key types are read letter by letter, so the article follows the first letter's name. */
function withArticle(initialism: string): string {
  return `${/^[aefhilmnorsx]/i.test(initialism) ? 'an' : 'a'} ${initialism}`;
}

/** What Salesforce's Import from Keystore would refuse in a JKS that was read. */
function keystoreFindings(loaded: LoadedKey, input: KeyCheckInput, source: string, findings: Finding[]): void {
  if (input.keystoreImport !== true || loaded.kind !== 'jks' || loaded.alias === undefined) return;
  const problem = keystoreAliasProblem(loaded.alias);
  if (problem !== undefined)
    findings.push({
      id: 'jks-alias-refused',
      severity: 'error',
      title: 'Salesforce refuses the alias of this keystore entry',
      saw: `${source}: the alias "${loaded.alias}" of its private key entry ${problem}`,
      fix: renameAliasFix(source, loaded.alias),
    });
  if (input.keyPassword !== undefined && input.keyPassword !== input.passphrase)
    findings.push({
      id: 'jks-key-password-differs',
      severity: 'error',
      title: 'The key password differs from the store password',
      saw: `${source}: the entry "${loaded.alias}" opens with a key password other than the store password`,
      fix: 'Salesforce asks for the store password only and refuses a keystore whose key password differs: set the key password to the store password (keytool -keypasswd -keystore FILE -alias ALIAS), or write a new keystore: npx sfjwt keys jks --key server.key --cert server.crt.',
    });
}

function loadKeyFindings(input: KeyCheckInput, findings: Finding[]): LoadedKey | undefined {
  if (input.key === undefined) return undefined;
  const { data, source } = input.key;
  try {
    const loaded = loadPrivateKey(data, { passphrase: input.passphrase, keyPassword: input.keyPassword, alias: input.alias, source });
    const { type, bits } = keySummary(loaded.key);
    if (type !== 'rsa') {
      findings.push({
        id: 'key-not-rsa',
        severity: 'error',
        title: 'The key is not RSA',
        saw: `${source} is ${withArticle(type.toUpperCase())} key`,
        fix: 'Salesforce accepts RS256 only (ECDSA is not accepted): make an RSA key pair of 2048 bits or more (npx sfjwt keys generate).',
      });
    } else if (bits !== undefined && bits < 2048) {
      findings.push({
        id: 'key-too-small',
        severity: 'error',
        title: 'RSA key under 2048 bits',
        saw: `${source} is a ${bits}-bit RSA key`,
        fix: 'Make a 2048-bit (or larger) key; many clients (jsonwebtoken 9) refuse smaller keys for RS256.',
      });
    }
    keystoreFindings(loaded, input, source, findings);
    findings.push({
      id: 'key-ok',
      severity: 'info',
      title: 'Private key read',
      saw: `${source}: ${MATERIAL_NAMES[loaded.kind]}, ${type.toUpperCase()}${bits === undefined ? '' : ` ${bits} bits`}${loaded.alias === undefined ? '' : `, alias "${loaded.alias}"`}`,
    });
    return loaded;
  } catch (error) {
    if (!(error instanceof KeyMaterialError)) throw error;
    const reason = error instanceof KeyLoadError ? error.reason : 'unreadable';
    const ids: Record<string, KeyFindingId> = {
      'needs-passphrase': 'key-needs-passphrase',
      'wrong-passphrase': 'key-wrong-passphrase',
      'not-a-private-key': 'key-not-private',
      'alias-not-found': 'key-alias-not-found',
      unreadable: 'key-unreadable',
    };
    const titles: Record<string, string> = {
      'needs-passphrase': 'The key is encrypted and no passphrase was given',
      'wrong-passphrase': 'Wrong passphrase',
      'not-a-private-key': 'Not a private key',
      'alias-not-found': 'No private key entry with that alias',
      unreadable: 'The key cannot be read',
    };
    findings.push({ id: ids[reason] ?? 'key-unreadable', severity: 'error', title: titles[reason] ?? 'The key cannot be read', saw: error.message, fix: error.actions.join(' ') });
    return undefined;
  }
}

function certificateFindings(cert: CertificateInfo, source: string, now: number, findings: Finding[]): void {
  if (cert.keyType !== 'rsa')
    findings.push({
      id: 'cert-not-rsa',
      severity: 'error',
      title: "The certificate's key is not RSA",
      saw: `${source} holds ${withArticle(cert.keyType.toUpperCase())} public key`,
      fix: 'Upload a certificate of an RSA key (2048 bits or more): Salesforce verifies RS256 only.',
    });
  else if (cert.keyBits !== undefined && cert.keyBits < 2048)
    findings.push({
      id: 'cert-too-small',
      severity: 'error',
      title: 'Certificate key under 2048 bits',
      saw: `${source} holds a ${cert.keyBits}-bit RSA key`,
      fix: 'Make a 2048-bit key pair and upload its certificate.',
    });
  if (/sha1|md5/i.test(cert.signatureAlgorithm))
    findings.push({
      id: 'cert-sha1',
      severity: 'warning',
      title: 'Certificate signed with SHA-1',
      saw: `${source} is signed with ${cert.signatureAlgorithm}`,
      fix: 'Re-issue it with SHA-256 (openssl x509 -req -sha256 …, or npx sfjwt keys generate).',
    });
  if (cert.notAfter.getTime() < now) {
    findings.push({
      id: 'cert-expired',
      severity: 'warning',
      title: 'Certificate expired',
      saw: `${source} expired on ${cert.notAfter.toISOString()}`,
      fix: 'Salesforce still accepts an expired certificate for the JWT Bearer flow (by design), but renew it before a policy or a tool refuses it.',
    });
  } else if (cert.notBefore.getTime() > now) {
    findings.push({
      id: 'cert-not-yet-valid',
      severity: 'warning',
      title: 'Certificate not yet valid',
      saw: `${source} is valid from ${cert.notBefore.toISOString()}`,
      fix: 'Check the clock of the machine that made it; re-issue it with a start date in the past.',
    });
  } else if (cert.notAfter.getTime() - now < 30 * DAY) {
    findings.push({
      id: 'cert-expiring',
      severity: 'warning',
      title: 'Certificate expires within 30 days',
      saw: `${source} expires on ${cert.notAfter.toISOString()}`,
      fix: 'Make a new certificate and upload it to the connected app next to the old one before it expires.',
    });
  }
  findings.push({
    id: 'cert-ok',
    severity: 'info',
    title: 'Certificate read',
    saw: `${source}: ${cert.subject}, ${cert.signatureAlgorithm}, valid ${cert.notBefore.toISOString().slice(0, 10)} to ${cert.notAfter.toISOString().slice(0, 10)}, SHA-256 ${cert.sha256}`,
  });
}

export function checkKeyMaterial(input: KeyCheckInput): KeyCheckResult {
  const findings: Finding[] = [];
  const key = loadKeyFindings(input, findings);
  let certificate: CertificateInfo | undefined;
  let certSource = input.certificate?.source ?? '';
  if (input.certificate !== undefined) {
    try {
      certificate = loadCertificate(input.certificate.data, input.certificate.source);
    } catch (error) {
      if (!(error instanceof KeyMaterialError)) throw error;
      findings.push({ id: 'cert-not-certificate', severity: 'error', title: 'Not a certificate', saw: error.message, fix: error.actions.join(' ') });
    }
  } else if (key !== undefined && key.certificates[0] !== undefined) {
    certificate = key.certificates[0];
    certSource = `the certificate in ${input.key?.source ?? 'the bundle'}`;
  }
  if (certificate !== undefined) {
    certificateFindings(certificate, certSource, input.now, findings);
    if (key !== undefined && !keyMatchesCertificate(key.key, certificate)) {
      findings.push({
        id: 'cert-key-mismatch',
        severity: 'error',
        title: 'Key and certificate do not match',
        saw: `${input.key?.source ?? 'the key'} is not the private key of ${certSource} (${certificate.subject})`,
        fix: 'Salesforce will answer "invalid assertion". Upload the certificate made from this key (openssl req -new -x509 -key server.key), or sign with the key the uploaded certificate was made from.',
      });
    }
  }
  // "ok" only where nothing is wrong: beside an error, the key and the certificate were read, no more.
  if (findings.some((f) => f.severity === 'error')) {
    for (const f of findings) {
      if (f.id === 'key-ok') f.id = 'key-read';
      if (f.id === 'cert-ok') f.id = 'cert-read';
    }
  }
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
  const result: KeyCheckResult = { findings };
  if (key !== undefined) result.key = key;
  if (certificate !== undefined) result.certificate = certificate;
  return result;
}
