/**
 * `sfjwt keys generate`, `sfjwt keys check` and `sfjwt keys jks`: key material for the JWT Bearer
 * flow made in one command, any key or certificate a user has read and checked, with findings and
 * fixes, and a Java KeyStore for Salesforce's Import from Keystore made from a key pair that is there
 * (keys-jks.ts). Passphrases come from the flag, its environment variable or a prompt without echo
 * (passphrases.ts). Exit codes of check: 0 no errors, 1 errors found, 2 usage errors.
 */
import { UsageError } from '../../lib/errors.ts';
import { BUNDLE_FILES, generateKeyBundle } from '../../lib/pki/bundle.ts';
import { checkKeyMaterial } from '../../lib/pki/check.ts';
import { detectMaterial, type MaterialKind } from '../../lib/pki/detect.ts';
import { parseSubject } from '../../lib/pki/generate.ts';
import { DEFAULT_KEYSTORE_ALIAS, MIN_STORE_PASSWORD } from '../../lib/pki/salesforce-keystore.ts';
import { type CommandSpec, colours, intOption, parse } from './args.ts';
import { type CommandContext, inCwd } from './context.ts';
import { jksSpec, keysJks, readKeyInput } from './keys-jks.ts';
import { givenSecret, KEY_PASSPHRASE, STORE_PASSWORD, secretOrAsk } from './passphrases.ts';

const generateSpec = {
  name: 'keys generate',
  summary: 'Write the key pair, CSR, certificate, PKCS#12 (and JKS) a JWT Bearer setup needs',
  usage:
    'npx sfjwt keys generate --out DIR [--passphrase P] [--days 365] [--subject "/C=US/O=Acme/CN=name"] [--bits 2048] [--cipher aes256|des3] [--jks [--alias NAME] [--storepass P]] [--force] [--json]',
  options: {
    out: { type: 'string' },
    passphrase: { type: 'string' },
    days: { type: 'string' },
    subject: { type: 'string' },
    bits: { type: 'string' },
    cipher: { type: 'string' },
    jks: { type: 'boolean' },
    alias: { type: 'string' },
    storepass: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const checkSpec = {
  name: 'keys check',
  summary: 'Read a private key (PEM, encrypted PEM, DER, PKCS#12, JKS) and a certificate, and report what is wrong',
  usage: 'npx sfjwt keys check --key FILE [--passphrase P] [--keypass P] [--alias NAME] [--cert FILE] [--json]',
  options: {
    key: { type: 'string' },
    cert: { type: 'string' },
    passphrase: { type: 'string' },
    keypass: { type: 'string' },
    alias: { type: 'string' },
    json: { type: 'boolean' },
  },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const PURPOSE: Record<keyof typeof BUNDLE_FILES, string> = {
  encryptedKey: 'encrypted private key (openssl genrsa -des3 equivalent); keep secret',
  key: 'private key the client signs with (sf org login jwt --jwt-key-file); keep secret',
  publicKey: 'public key, e.g. to verify a token on jwt.io',
  csr: 'certificate signing request, for a CA-signed certificate',
  certificate: 'certificate: upload it to the connected app (Use digital signatures)',
  pkcs12: 'PKCS#12 bundle of key and certificate (password: the passphrase); keep secret',
  jks: 'Java KeyStore for Apex / Certificate and Key Management import; keep secret',
  passphrase: 'the generated passphrase of server.pass.key and server.p12; keep secret',
};

const GENERATE_HELP = `${generateSpec.usage}

${generateSpec.summary}, in a folder of their own. A folder it makes gets a .gitignore that keeps
every file in it out of git (a folder that is there is left as it is).

Options (the environment variable in brackets is read when the flag is absent):
  --out DIR         the folder to write to (made when missing)
  --passphrase P    passphrase of server.pass.key and password of server.p12; without it one is
                    generated and written to passphrase.txt [SFJWT_KEY_PASSPHRASE]
  --days N          validity of the certificate in days (default 365)
  --subject S       subject of the certificate, openssl style (default "/C=US/O=sfjwt/CN=sfjwt JWT Bearer")
  --bits N          RSA key size, 2048 or more: Salesforce needs 2048+ (default 2048)
  --cipher C        cipher of server.pass.key: aes256 (default) or des3
  --jks             also write keystore.jks, for Salesforce's Import from Keystore (2048, 3072 or
                    4096 bits); for a key pair that is there already: npx sfjwt keys jks
  --alias NAME      alias of the keystore entry (default ${DEFAULT_KEYSTORE_ALIAS}; Salesforce refuses keytool's
                    default "1" and any alias not beginning with a letter)
  --storepass P     store password of keystore.jks, ${MIN_STORE_PASSWORD} or more characters (default: the passphrase)
                    [SFJWT_STOREPASS]
  --force           replace files that are there
  --json            print the files written as JSON

Files:
${Object.entries(BUNDLE_FILES)
  .map(([k, f]) => `  ${f.padEnd(16)} ${PURPOSE[k as keyof typeof BUNDLE_FILES]}`)
  .join('\n')}

Example:
  npx sfjwt keys generate --out keys --jks`;

const CHECK_HELP = `${checkSpec.usage}

${checkSpec.summary}.

Options (the environment variable in brackets is read when the flag is absent):
  --key FILE        the private key: PEM, encrypted PEM, DER, PKCS#12 (.p12) or JKS
  --passphrase P    passphrase of an encrypted key, or password of a PKCS#12 or JKS file; asked for
                    (without echo) on a terminal when the file needs one [SFJWT_KEY_PASSPHRASE]
  --keypass P       a JKS entry's key password, when it is not the store password (Salesforce's
                    Import from Keystore refuses such a keystore)
  --alias NAME      the entry of a PKCS#12 or JKS file (default: the first private key)
  --cert FILE       the certificate uploaded to the connected app (PEM or DER); a PKCS#12 or JKS
                    file's own certificate is checked when absent
  --json            print the findings as JSON

Exit code 0: no errors; 1: errors found; 2: usage errors.

Example:
  npx sfjwt keys check --key keys/server.key --cert keys/server.crt`;

/** Kinds of file that open only with a passphrase. */
const NEEDS_PASSPHRASE: ReadonlySet<MaterialKind> = new Set(['pkcs12', 'jks', 'encrypted-private-key-legacy', 'encrypted-private-key-pkcs8']);

function generate(ctx: CommandContext, argv: string[]): number {
  const { values } = parse(generateSpec, argv);
  if (values.help === true) {
    ctx.stdout.write(`${GENERATE_HELP}\n`);
    return 0;
  }
  if (values.out === undefined) throw new UsageError('keys generate needs --out DIR', { actions: [`Usage: ${generateSpec.usage}`] });
  if (values.jks !== true && (values.alias !== undefined || values.storepass !== undefined))
    throw new UsageError('--alias and --storepass go with --jks', { actions: ['Add --jks to write keystore.jks too, or leave them out.'] });
  const cipher = values.cipher === undefined || values.cipher === 'aes256' ? 'aes-256-cbc' : values.cipher === 'des3' ? 'des-ede3-cbc' : undefined;
  if (cipher === undefined) throw new UsageError(`--cipher takes aes256 or des3, got "${String(values.cipher)}"`);
  let subject: ReturnType<typeof parseSubject>;
  try {
    subject = parseSubject((values.subject as string | undefined) ?? '/C=US/O=sfjwt/CN=sfjwt JWT Bearer');
  } catch (cause) {
    throw new UsageError(`--subject: ${(cause as Error).message}`, { actions: ['Write it as openssl does: "/C=US/O=Acme/CN=integration".'] });
  }
  // Any whole number parses: generateKeyBundle says why one below 2048 (or a keystore's odd size) is refused.
  const bits = intOption(values.bits as string | undefined, 'bits', { min: 1, max: 65_536 }) ?? 2048;
  const result = generateKeyBundle({
    outDir: inCwd(ctx, values.out as string),
    subject,
    passphrase: givenSecret(ctx, values.passphrase, KEY_PASSPHRASE),
    days: intOption(values.days as string | undefined, 'days', { min: 1, max: 36_500 }) ?? 365,
    bits,
    cipher,
    jks: values.jks === true ? { alias: (values.alias as string | undefined) ?? DEFAULT_KEYSTORE_ALIAS, storePassword: givenSecret(ctx, values.storepass, STORE_PASSWORD) } : undefined,
    force: values.force === true,
    now: new Date(ctx.now()),
  });
  if (values.json === true) {
    ctx.stdout.write(`${JSON.stringify({ files: result.files, gitignore: result.gitignore ?? null, sha256: result.sha256, generatedPassphrase: result.generatedPassphrase })}\n`);
    return 0;
  }
  const lines = Object.entries(result.files).map(([k, path]) => `  ${path}\n      ${PURPOSE[k as keyof typeof BUNDLE_FILES]}`);
  if (result.gitignore !== undefined) lines.push(`  ${result.gitignore}\n      keeps every file of this folder out of git`);
  ctx.stdout.write(
    `Wrote:\n${lines.join('\n')}\n\nCertificate SHA-256: ${result.sha256}\nNext: upload ${result.files.certificate ?? ''} to the connected app (Setup > App Manager > Edit > Use digital signatures).\n`,
  );
  return 0;
}

async function check(ctx: CommandContext, argv: string[]): Promise<number> {
  const { values } = parse(checkSpec, argv);
  if (values.help === true) {
    ctx.stdout.write(`${CHECK_HELP}\n`);
    return 0;
  }
  if (values.key === undefined && values.cert === undefined) throw new UsageError('keys check needs --key FILE, --cert FILE or both', { actions: [`Usage: ${checkSpec.usage}`] });
  const keyFile = values.key === undefined ? undefined : inCwd(ctx, values.key as string);
  const certFile = values.cert === undefined ? undefined : inCwd(ctx, values.cert as string);
  const key = keyFile === undefined ? undefined : { data: readKeyInput(keyFile, 'key file'), source: keyFile };
  const certificate = certFile === undefined ? undefined : { data: readKeyInput(certFile, 'certificate file'), source: certFile };
  // Asked for only when the file needs one; without a terminal the key-needs-passphrase finding says what to pass.
  const passphrase =
    key !== undefined && NEEDS_PASSPHRASE.has(detectMaterial(key.data))
      ? await secretOrAsk(ctx, values.passphrase, KEY_PASSPHRASE, `Passphrase of ${key.source}`)
      : givenSecret(ctx, values.passphrase, KEY_PASSPHRASE);
  const result = checkKeyMaterial({
    ...(key === undefined ? {} : { key }),
    ...(certificate === undefined ? {} : { certificate }),
    passphrase,
    keyPassword: values.keypass as string | undefined,
    alias: values.alias as string | undefined,
    keystoreImport: true,
    now: ctx.now(),
  });
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  if (values.json === true) {
    ctx.stdout.write(`${JSON.stringify({ ok: errors === 0, findings: result.findings })}\n`);
  } else {
    const c = colours(ctx.stdout, ctx.env);
    const mark = { error: c.red('error  '), warning: c.yellow('warning'), info: c.dim('info   ') };
    for (const f of result.findings) ctx.stdout.write(`${mark[f.severity]} ${f.id}: ${f.title}\n        ${f.saw}\n${f.fix === undefined ? '' : `        fix: ${f.fix}\n`}`);
    ctx.stdout.write(`\n${errors === 0 ? c.green('no errors') : c.red(`${errors} error${errors === 1 ? '' : 's'}`)}\n`);
  }
  return errors > 0 ? 1 : 0;
}

export async function keys(ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = ctx.argv;
  if (sub === 'generate') return generate(ctx, rest);
  if (sub === 'check') return await check(ctx, rest);
  if (sub === 'jks') return await keysJks(ctx, rest);
  if (sub === undefined || sub === '--help' || sub === '-h') {
    ctx.stdout.write(
      `npx sfjwt keys generate --help\nnpx sfjwt keys check --help\nnpx sfjwt keys jks --help\n\n  generate  ${generateSpec.summary}\n  check     ${checkSpec.summary}\n  jks       ${jksSpec.summary}\n\nExample:\n  npx sfjwt keys generate --out keys\n`,
    );
    return 0;
  }
  throw new UsageError(`unknown keys command "${sub}"`, { actions: ['Use npx sfjwt keys generate, npx sfjwt keys check or npx sfjwt keys jks.'] });
}
