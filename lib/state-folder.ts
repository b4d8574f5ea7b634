/**
 * Key material sfjwt makes for itself and keeps between runs in a state folder (`.sfjwt/` in the
 * working directory unless SFJWT_HOME says otherwise, git-ignored): the default world's app key pair
 * and the mock's local certificate authority. Made on first use, never committed; private keys are
 * written with mode 0600.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ResourceError } from './errors.ts';
import { generateRsaKeyPair, issueCertificate, type SubjectField } from './pki/generate.ts';

export function defaultStateDir(): string {
  return resolve(process.env['SFJWT_HOME'] ?? '.sfjwt');
}

export interface StoredKeyPair {
  privateKeyFile: string;
  certificateFile: string;
  privateKeyPem: string;
  certificatePem: string;
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new ResourceError(`cannot create the state folder ${dir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
      actions: ['Set SFJWT_HOME to a writable folder.'],
      cause,
    });
  }
}

/**
 * Reads `<dir>/<name>.key` and `<name>.crt`, or makes them: an RSA 2048 key and a self-signed
 * SHA-256 certificate valid for `days`.
 */
export function ensureKeyPair(dir: string, name: string, subject: readonly SubjectField[], options: { days?: number; isCa?: boolean } = {}): StoredKeyPair {
  const privateKeyFile = join(dir, `${name}.key`);
  const certificateFile = join(dir, `${name}.crt`);
  if (existsSync(privateKeyFile) && existsSync(certificateFile)) {
    return { privateKeyFile, certificateFile, privateKeyPem: readFileSync(privateKeyFile, 'utf8'), certificatePem: readFileSync(certificateFile, 'utf8') };
  }
  ensureDir(dir);
  const keys = generateRsaKeyPair(2048);
  const certificatePem = issueCertificate(keys, { subject, days: options.days ?? 365, isCa: options.isCa === true });
  writeFileSync(privateKeyFile, keys.privateKeyPem, { mode: 0o600 });
  writeFileSync(certificateFile, certificatePem);
  return { privateKeyFile, certificateFile, privateKeyPem: keys.privateKeyPem, certificatePem };
}
