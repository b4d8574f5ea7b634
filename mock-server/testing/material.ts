/**
 * The key material of the tests, made once per test run instead of once per test file: the app key
 * pair whose certificate is on the test world's apps, and a state folder template holding what a
 * mock makes on first use (the local CA and its leaf in `tls/`, the default world's app key in
 * `keys/`). Making an RSA key takes 50 ms to half a second, and test files used to make up to five
 * each; vitest's global setup (global-setup.ts) makes them once and names the file in
 * SFJWT_TEST_MATERIAL, which the test processes inherit. Outside vitest (`npm run fuzz`) the
 * material is made on first use in the process, as before.
 */
import { generateKeyPair } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRsaKeyPair, issueCertificate, type KeyPairPem } from '../../lib/pki/generate.ts';
import { serverTls } from '../adapters/local-ca.ts';
import { prepareWorld } from '../world/prepare.ts';
import { NOW } from './now.ts';

export const MATERIAL_ENV = 'SFJWT_TEST_MATERIAL';

export interface TestMaterial {
  /** PKCS#8 PEM of the key whose certificate the test world's apps hold. */
  privateKeyPem: string;
  certificatePem: string;
  /** A state folder with `tls/` and `keys/` made: copy it, never write into it. */
  stateTemplate: string;
}

/**
 * Makes the material in `dir` and writes `dir/material.json`. The app certificate is valid for a
 * year from a day before the tests' frozen now, as one uploaded the day before would be.
 */
export function makeTestMaterial(dir: string): { file: string; material: TestMaterial } {
  return writeMaterial(dir, generateRsaKeyPair(2048), () => makeStateTemplate(dir));
}

/** The same, with the app key made on libuv's thread pool while the state folder's keys are made here. */
export async function makeTestMaterialAsync(dir: string): Promise<{ file: string; material: TestMaterial }> {
  const app = new Promise<KeyPairPem>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }, (error, publicKeyPem, privateKeyPem) =>
      error === null ? resolve({ privateKeyPem, publicKeyPem }) : reject(error),
    ),
  );
  const stateTemplate = makeStateTemplate(dir);
  return writeMaterial(dir, await app, () => stateTemplate);
}

function makeStateTemplate(dir: string): string {
  const stateTemplate = join(dir, 'state');
  mkdirSync(stateTemplate, { recursive: true, mode: 0o700 });
  serverTls(stateTemplate);
  prepareWorld({ stateDir: stateTemplate });
  return stateTemplate;
}

function writeMaterial(dir: string, app: KeyPairPem, stateTemplate: () => string): { file: string; material: TestMaterial } {
  const certificatePem = issueCertificate(app, { subject: [{ shortName: 'CN', value: 'sfjwt test' }], notBefore: new Date(NOW - 86_400_000) });
  const material: TestMaterial = { privateKeyPem: app.privateKeyPem, certificatePem, stateTemplate: stateTemplate() };
  const file = join(dir, 'material.json');
  writeFileSync(file, JSON.stringify(material), { mode: 0o600 });
  return { file, material };
}

let cached: TestMaterial | undefined;

/** The run's material: the file SFJWT_TEST_MATERIAL names, or made now (once per process, removed at its exit). */
export function testMaterial(): TestMaterial {
  if (cached !== undefined) return cached;
  const file = process.env[MATERIAL_ENV];
  if (file !== undefined && file !== '') {
    cached = JSON.parse(readFileSync(file, 'utf8')) as TestMaterial;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'sfjwt-material-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    cached = makeTestMaterial(dir).material;
  }
  return cached;
}
