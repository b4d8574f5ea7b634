/**
 * `keys jks`: a Java KeyStore for Salesforce's Import from Keystore made from a key and certificate
 * that are there already (what `keys generate` wrote without --jks, or a pair made with openssl),
 * without making a new key. What the import would refuse is refused before anything is written: a
 * key that is not RSA of 2048, 3072 or 4096 bits, a certificate that is not the key's, an alias it
 * cannot name the certificate after, a store password under 6 characters. The key password is the
 * store password, as the import requires. The file is written as a new file with mode 0600 (with
 * `force`, a new file renamed over what is there; never through a link).
 */
import { type KeyObject, X509Certificate } from 'node:crypto';
import { KeyMaterialError, ResourceError, UsageError } from '../errors.ts';
import { publishNewFile, replaceFile, SECRET_MODE } from '../write-new-file.ts';
import type { CertificateInfo } from './certificate.ts';
import { writeJks } from './jks.ts';
import { keyMatchesCertificate } from './load.ts';
import { DEFAULT_KEYSTORE_ALIAS, KEYSTORE_KEY_BITS, keystoreAliasProblem, MIN_STORE_PASSWORD } from './salesforce-keystore.ts';

export interface KeystoreFileOptions {
  key: KeyObject;
  /** Named in messages. */
  keySource: string;
  certificate: CertificateInfo;
  certificateSource: string;
  out: string;
  alias?: string | undefined;
  storePassword: string;
  force?: boolean;
  now?: Date;
}

export interface KeystoreFileResult {
  file: string;
  alias: string;
  /** SHA-256 fingerprint of the certificate in the keystore. */
  sha256: string;
}

export function writeKeystoreFile(options: KeystoreFileOptions): KeystoreFileResult {
  const alias = options.alias ?? DEFAULT_KEYSTORE_ALIAS;
  const problem = keystoreAliasProblem(alias);
  if (problem !== undefined) throw new UsageError(`the JKS alias "${alias}" ${problem}`, { actions: [`Choose another alias, such as --alias ${DEFAULT_KEYSTORE_ALIAS}.`] });
  if (options.storePassword.length < MIN_STORE_PASSWORD) {
    throw new UsageError(
      `the store password has ${options.storePassword.length} character${options.storePassword.length === 1 ? '' : 's'}: keytool and Salesforce need at least ${MIN_STORE_PASSWORD}`,
      {
        actions: [`Give a store password of ${MIN_STORE_PASSWORD} or more characters.`],
      },
    );
  }
  const type = options.key.asymmetricKeyType ?? 'unknown';
  const bits = options.key.asymmetricKeyDetails?.modulusLength;
  if (type !== 'rsa' || bits === undefined || !KEYSTORE_KEY_BITS.includes(bits)) {
    throw new KeyMaterialError(
      `${options.keySource} is ${type === 'rsa' ? `a ${bits ?? '?'}-bit RSA key` : `not an RSA key (${type.toUpperCase()})`}: Salesforce's Import from Keystore takes RSA keys of ${KEYSTORE_KEY_BITS.join(', ')} bits only`,
      {
        actions: ['Make a new key pair (npx sfjwt keys generate --jks) and upload its certificate to the connected app.'],
      },
    );
  }
  if (!keyMatchesCertificate(options.key, options.certificate)) {
    throw new KeyMaterialError(`${options.keySource} is not the private key of ${options.certificateSource} (${options.certificate.subject})`, {
      actions: ['Give the certificate made from this key (the server.crt next to its server.key).'],
    });
  }
  const jks = writeJks(
    [
      {
        kind: 'private-key',
        alias,
        privateKeyDer: options.key.export({ type: 'pkcs8', format: 'der' }),
        certificateChainDer: [new X509Certificate(options.certificate.pem).raw],
        ...(options.now === undefined ? {} : { date: options.now }),
      },
    ],
    options.storePassword,
  );
  try {
    if (options.force === true) replaceFile(options.out, jks, SECRET_MODE);
    else publishNewFile(options.out, jks, SECRET_MODE);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ResourceError(`not overwriting ${options.out}`, { actions: ['Choose another --out file, or pass --force to replace it.'], cause });
    throw new ResourceError(`cannot write ${options.out}: ${code ?? String(cause)}`, { actions: ['Choose a writable place for --out.'], cause });
  }
  return { file: options.out, alias: alias.toLowerCase(), sha256: options.certificate.sha256 };
}
