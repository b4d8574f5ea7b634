/**
 * `sfjwt keys generate` and `sfjwt keys check`: key material for the JWT Bearer flow made in one
 * command, and any key or certificate a user has read and checked, with findings and fixes.
 * Exit codes of check: 0 no errors, 1 errors found, 2 usage errors.
 */
import { UsageError } from '../../lib/errors.ts';
import { BUNDLE_FILES, generateKeyBundle } from '../../lib/pki/bundle.ts';
import { checkKeyMaterial } from '../../lib/pki/check.ts';
import { parseSubject } from '../../lib/pki/generate.ts';
import { INPUT_LIMITS, readInputFile } from '../../lib/read-input-file.ts';
import { type CommandSpec, colours, intOption, parse } from './args.ts';
import { type CommandContext, inCwd } from './context.ts';

const generateSpec = {
  name: 'keys generate',
  summary: 'Write the key pair, CSR, certificate, PKCS#12 (and JKS) a JWT Bearer setup needs',
  usage:
    'npx sfjwt keys generate --out DIR [--passphrase P] [--days 365] [--subject "/C=US/O=Acme/CN=name"] [--bits 2048] [--cipher aes256|des3] [--jks --alias NAME --storepass P] [--force] [--json]',
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

/** A key or certificate file: a regular file of at most 1 MiB, refused at once otherwise (a FIFO would block, a device never end). */
function readInput(path: string, what: string): Buffer {
  return readInputFile(path, { what, maxBytes: INPUT_LIMITS.keyMaterial });
}

function generate(ctx: CommandContext, argv: string[]): number {
  const { values } = parse(generateSpec, argv);
  if (values.help === true) {
    ctx.stdout.write(
      `${generateSpec.usage}\n\n${generateSpec.summary}. Files:\n${Object.entries(BUNDLE_FILES)
        .map(([k, f]) => `  ${f.padEnd(16)} ${PURPOSE[k as keyof typeof BUNDLE_FILES]}`)
        .join('\n')}\n`,
    );
    return 0;
  }
  if (values.out === undefined) throw new UsageError('keys generate needs --out DIR', { actions: [`Usage: ${generateSpec.usage}`] });
  if (values.jks !== true && (values.alias !== undefined || values.storepass !== undefined)) throw new UsageError('--alias and --storepass go with --jks');
  const cipher = values.cipher === undefined || values.cipher === 'aes256' ? 'aes-256-cbc' : values.cipher === 'des3' ? 'des-ede3-cbc' : undefined;
  if (cipher === undefined) throw new UsageError(`--cipher takes aes256 or des3, got "${String(values.cipher)}"`);
  let subject: ReturnType<typeof parseSubject>;
  try {
    subject = parseSubject((values.subject as string | undefined) ?? '/C=US/O=sfjwt/CN=sfjwt JWT Bearer');
  } catch (cause) {
    throw new UsageError(`--subject: ${(cause as Error).message}`, { actions: ['Write it as openssl does: "/C=US/O=Acme/CN=integration".'] });
  }
  const result = generateKeyBundle({
    outDir: inCwd(ctx, values.out as string),
    subject,
    passphrase: values.passphrase as string | undefined,
    days: intOption(values.days as string | undefined, 'days', { min: 1, max: 36_500 }) ?? 365,
    bits: intOption(values.bits as string | undefined, 'bits', { min: 1024, max: 8192 }) ?? 2048,
    cipher,
    jks: values.jks === true ? { alias: (values.alias as string | undefined) ?? 'salesforcetest', storePassword: values.storepass as string | undefined } : undefined,
    force: values.force === true,
    now: new Date(ctx.now()),
  });
  if (values.json === true) {
    ctx.stdout.write(`${JSON.stringify({ files: result.files, sha256: result.sha256, generatedPassphrase: result.generatedPassphrase })}\n`);
    return 0;
  }
  const lines = Object.entries(result.files).map(([k, path]) => `  ${path}\n      ${PURPOSE[k as keyof typeof BUNDLE_FILES]}`);
  ctx.stdout.write(
    `Wrote:\n${lines.join('\n')}\n\nCertificate SHA-256: ${result.sha256}\nNext: upload ${result.files.certificate ?? ''} to the connected app (Setup > App Manager > Edit > Use digital signatures).\n`,
  );
  return 0;
}

function check(ctx: CommandContext, argv: string[]): number {
  const { values } = parse(checkSpec, argv);
  if (values.help === true) {
    ctx.stdout.write(`${checkSpec.usage}\n\n${checkSpec.summary}.\nExit code 0: no errors; 1: errors found; 2: usage errors.\n`);
    return 0;
  }
  if (values.key === undefined && values.cert === undefined) throw new UsageError('keys check needs --key FILE, --cert FILE or both', { actions: [`Usage: ${checkSpec.usage}`] });
  const keyFile = values.key === undefined ? undefined : inCwd(ctx, values.key as string);
  const certFile = values.cert === undefined ? undefined : inCwd(ctx, values.cert as string);
  const key = keyFile === undefined ? undefined : { data: readInput(keyFile, 'key file'), source: keyFile };
  const certificate = certFile === undefined ? undefined : { data: readInput(certFile, 'certificate file'), source: certFile };
  const result = checkKeyMaterial({
    ...(key === undefined ? {} : { key }),
    ...(certificate === undefined ? {} : { certificate }),
    passphrase: values.passphrase as string | undefined,
    keyPassword: values.keypass as string | undefined,
    alias: values.alias as string | undefined,
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

export function keys(ctx: CommandContext): number {
  const [sub, ...rest] = ctx.argv;
  if (sub === 'generate') return generate(ctx, rest);
  if (sub === 'check') return check(ctx, rest);
  if (sub === undefined || sub === '--help' || sub === '-h') {
    ctx.stdout.write(`npx sfjwt keys generate --help\nnpx sfjwt keys check --help\n\n  generate  ${generateSpec.summary}\n  check     ${checkSpec.summary}\n`);
    return 0;
  }
  throw new UsageError(`unknown keys command "${sub}"`, { actions: ['Use npx sfjwt keys generate or npx sfjwt keys check.'] });
}
