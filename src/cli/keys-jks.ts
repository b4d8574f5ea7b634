/**
 * `sfjwt keys jks`: a Java KeyStore for Salesforce's Import from Keystore (Certificate and Key
 * Management) from a key and certificate that are there already, such as what `keys generate` wrote
 * without --jks: the key is read in any form `keys check` reads, the keystore gets the alias and the
 * store password asked for (the key password is the store password, as the import requires), and
 * what the import would refuse is refused before anything is written.
 */
import { dirname, join } from 'node:path';
import { UsageError } from '../../lib/errors.ts';
import { loadCertificate } from '../../lib/pki/certificate.ts';
import { detectMaterial } from '../../lib/pki/detect.ts';
import { writeKeystoreFile } from '../../lib/pki/keystore-file.ts';
import { loadPrivateKey } from '../../lib/pki/load.ts';
import { DEFAULT_KEYSTORE_ALIAS, KEYSTORE_KEY_BITS, MIN_STORE_PASSWORD } from '../../lib/pki/salesforce-keystore.ts';
import { INPUT_LIMITS, readInputFile } from '../../lib/read-input-file.ts';
import { type CommandSpec, parse } from './args.ts';
import { type CommandContext, inCwd } from './context.ts';
import { KEY_PASSPHRASE, requiredSecret, STORE_PASSWORD } from './passphrases.ts';

export const jksSpec = {
  name: 'keys jks',
  summary: 'Write a Java KeyStore (JKS) for Salesforce from a key and certificate you have',
  usage: 'npx sfjwt keys jks --key FILE [--cert FILE] [--out FILE] [--alias NAME] [--storepass P] [--passphrase P] [--force] [--json]',
  options: {
    key: { type: 'string' },
    cert: { type: 'string' },
    out: { type: 'string' },
    alias: { type: 'string' },
    storepass: { type: 'string' },
    passphrase: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const HELP = `${jksSpec.usage}

${jksSpec.summary}, for Setup > Certificate and Key Management > Import from Keystore: the key
pair that is there (keys generate without --jks, or openssl's), no new key.

Options (the environment variable in brackets is read when the flag is absent):
  --key FILE        the private key: PEM, encrypted PEM, DER or PKCS#12 (RSA, ${KEYSTORE_KEY_BITS.join(', ')} bits)
  --cert FILE       its certificate (PEM or DER); a PKCS#12 file's own certificate when absent
  --out FILE        the keystore to write (default keystore.jks next to the key)
  --alias NAME      alias of the entry (default ${DEFAULT_KEYSTORE_ALIAS}; Salesforce refuses keytool's default "1"
                    and any alias not beginning with a letter)
  --storepass P     store password, ${MIN_STORE_PASSWORD} or more characters, also the key password as Salesforce
                    requires; asked for twice (without echo) on a terminal when absent [SFJWT_STOREPASS]
  --passphrase P    passphrase of an encrypted key or PKCS#12 file; asked for on a terminal when the
                    file needs one [SFJWT_KEY_PASSPHRASE]
  --force           replace a file that is there
  --json            print what was written as JSON

Example:
  npx sfjwt keys jks --key keys/server.key --cert keys/server.crt --alias salesforcetest`;

/** A key or certificate file: a regular file of at most 1 MiB, refused at once otherwise (a FIFO would block, a device never end). */
export function readKeyInput(path: string, what: string): Buffer {
  return readInputFile(path, { what, maxBytes: INPUT_LIMITS.keyMaterial });
}

export async function keysJks(ctx: CommandContext, argv: string[]): Promise<number> {
  const { values } = parse(jksSpec, argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.key === undefined) throw new UsageError('keys jks needs --key FILE', { actions: [`Usage: ${jksSpec.usage}`] });
  const keyFile = inCwd(ctx, values.key as string);
  const keyData = readKeyInput(keyFile, 'key file');
  const kind = detectMaterial(keyData);
  if (kind === 'jks') throw new UsageError(`${keyFile} is a JKS keystore already`, { actions: [`Check it with npx sfjwt keys check --key ${keyFile}.`] });
  const encrypted = kind === 'pkcs12' || kind === 'encrypted-private-key-legacy' || kind === 'encrypted-private-key-pkcs8';
  const passphrase = encrypted ? await requiredSecret(ctx, values.passphrase, KEY_PASSPHRASE, `the passphrase of ${keyFile}`) : undefined;
  const loaded = loadPrivateKey(keyData, { passphrase, source: keyFile });
  const certFile = values.cert === undefined ? undefined : inCwd(ctx, values.cert as string);
  const certificate = certFile === undefined ? loaded.certificates[0] : loadCertificate(readKeyInput(certFile, 'certificate file'), certFile);
  if (certificate === undefined)
    throw new UsageError(`keys jks needs the certificate of ${keyFile}: --cert FILE`, { actions: ['Give the certificate uploaded to the connected app, e.g. --cert server.crt.'] });
  const out = values.out === undefined ? join(dirname(keyFile), 'keystore.jks') : inCwd(ctx, values.out as string);
  const storePassword = await requiredSecret(ctx, values.storepass, STORE_PASSWORD, `the store password of ${out}`, true);
  const written = writeKeystoreFile({
    key: loaded.key,
    keySource: keyFile,
    certificate,
    certificateSource: certFile ?? `the certificate in ${keyFile}`,
    out,
    alias: values.alias as string | undefined,
    storePassword,
    force: values.force === true,
    now: new Date(ctx.now()),
  });
  if (values.json === true) {
    ctx.stdout.write(`${JSON.stringify(written)}\n`);
    return 0;
  }
  ctx.stdout.write(
    `Wrote ${written.file} (mode 0600; keep it secret)\n  alias ${written.alias}, key password = store password (Salesforce asks for the store password only)\n  certificate SHA-256: ${written.sha256}\nNext: Setup > Certificate and Key Management > Import from Keystore, with the store password.\n`,
  );
  return 0;
}
