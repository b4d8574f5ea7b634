/**
 * Key material sfjwt makes for itself and keeps between runs in a state folder (`.sfjwt/` in the
 * working directory unless SFJWT_HOME says otherwise): the default world's app key pair and the
 * mock's local certificate authority. Made on first use, never committed: the state folder gets a
 * `.gitignore` of its own that ignores everything in it (see ownStateFolder). sfjwt writes these
 * files only as new files (never through a link, never over a file that is there), private keys with
 * mode 0600 from the first byte, and reads them only as regular files: anything else in their place
 * (a link, a directory, a FIFO, a lone half of a pair, content that is not a matching key and
 * certificate) is a ResourceError naming the path and what to do, never a stack trace or a hang.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ResourceError } from './errors.ts';
import { makeDirectory } from './make-directory.ts';
import { GITIGNORE, writeOwnGitignore } from './own-gitignore.ts';
import { generateRsaKeyPair, issueCertificate, type SubjectField } from './pki/generate.ts';
import { fileKind, INPUT_LIMITS, tryReadInputFile } from './read-input-file.ts';
import { PUBLIC_MODE, publishNewFile, SECRET_MODE } from './write-new-file.ts';

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
    // Not mkdirSync's recursive mode, which spins forever under a parent such as /proc.
    makeDirectory(dir, 0o700);
  } catch (cause) {
    throw new ResourceError(`cannot create the state folder ${dir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
      actions: ['Set SFJWT_HOME to a writable folder.'],
      cause,
    });
  }
}

/**
 * What sfjwt puts in a state folder: its key folders (prepareWorld's keys/, the local CA's tls/), the
 * logs of background serves, the default ready file of one (serve.json) and its .gitignore.
 */
const STATE_ENTRIES: ReadonlySet<string> = new Set(['keys', 'tls', 'logs', 'serve.json', GITIGNORE]);

/**
 * Gives the state folder `root` its .gitignore when it has none and is sfjwt's: a folder that holds
 * nothing but what sfjwt puts there (a new one, or one an earlier version made without a
 * .gitignore). SFJWT_HOME may name a folder of the user's, such as their home: one that holds
 * anything else gets nothing. A .gitignore that is there is never touched.
 */
function ownStateFolder(root: string): void {
  try {
    if (readdirSync(root).some((entry) => !STATE_ENTRIES.has(entry) || entry === GITIGNORE)) return;
    writeOwnGitignore(root, "private keys and the mock's local CA, which sfjwt made for itself");
  } catch {
    // A folder sfjwt cannot list or write: the keys work without it, and the folder's error, if it
    // matters, is reported where a key is read or written.
  }
}

/** What to do about a state-folder file that cannot be used: sfjwt makes a new pair once both are gone. */
function remakeActions(pair: readonly string[]): string[] {
  return [`Delete ${pair.join(' and ')} (or set SFJWT_HOME to another folder): sfjwt then makes a new pair. A new CA must be trusted again (NODE_EXTRA_CA_CERTS).`];
}

/** Whether a state-folder file is there; a regular file or nothing, anything else refused. */
function present(path: string, pair: readonly string[]): boolean {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new ResourceError(`cannot use the state folder file ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
      actions: ['Set SFJWT_HOME to a folder sfjwt can read and write.'],
      cause,
    });
  }
  const kind = fileKind(stats);
  if (kind === undefined) return true;
  // sfjwt never puts a link here: following one would read, or write a new private key, elsewhere.
  const what = stats.isSymbolicLink() ? `${kind}, which sfjwt does not follow in its state folder` : kind;
  throw new ResourceError(`cannot use the state folder file ${path}: it is ${what}`, { actions: remakeActions(pair) });
}

function readPair(privateKeyFile: string, certificateFile: string): StoredKeyPair {
  const pair = [privateKeyFile, certificateFile];
  const text = (path: string): string => {
    const read = tryReadInputFile(path, { maxBytes: INPUT_LIMITS.keyMaterial, noFollow: true });
    if ('data' in read) return read.data.toString('utf8');
    throw new ResourceError(`cannot read the state folder file ${path}: ${read.reason}`, { actions: remakeActions(pair), cause: read.cause });
  };
  const privateKeyPem = text(privateKeyFile);
  const certificatePem = text(certificateFile);
  // Checked here, once: a damaged file would otherwise surface later as a stack from node-forge or TLS.
  let matches: boolean;
  try {
    matches = new X509Certificate(certificatePem).checkPrivateKey(createPrivateKey(privateKeyPem));
  } catch (cause) {
    throw new ResourceError(`cannot use the key pair ${privateKeyFile} and ${certificateFile}: they are not a PEM private key and certificate (${(cause as Error).message})`, {
      actions: remakeActions(pair),
      cause,
    });
  }
  if (!matches) throw new ResourceError(`cannot use the key pair ${privateKeyFile} and ${certificateFile}: the certificate is not the key's`, { actions: remakeActions(pair) });
  return { privateKeyFile, certificateFile, privateKeyPem, certificatePem };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** `<root>/<name>`, made (mode 0700) if need be, in a state folder that has its .gitignore. */
export function stateSubfolder(root: string, name: 'logs'): string {
  const dir = join(root, name);
  ensureDir(dir);
  ownStateFolder(root);
  return dir;
}

/**
 * Reads `<dir>/<name>.key` and `<name>.crt`, or makes them: an RSA 2048 key and a self-signed
 * SHA-256 certificate valid for `days`. `dir` is a folder of the state folder (`<state>/keys`,
 * `<state>/tls`), whose .gitignore is seen to here. The certificate is published first and the key
 * last, so a process starting at the same time waits briefly for a pair that is half there; one that
 * stays half there is refused rather than completed over a file sfjwt cannot vouch for.
 */
export function ensureKeyPair(dir: string, name: string, subject: readonly SubjectField[], options: { days?: number; isCa?: boolean } = {}): StoredKeyPair {
  const privateKeyFile = join(dir, `${name}.key`);
  const certificateFile = join(dir, `${name}.crt`);
  const pair = [privateKeyFile, certificateFile];
  const state = () => [present(privateKeyFile, pair), present(certificateFile, pair)] as const;
  let [hasKey, hasCert] = state();
  if (!hasKey && !hasCert) {
    ensureDir(dir);
    ownStateFolder(dirname(dir));
    const keys = generateRsaKeyPair(2048);
    const certificatePem = issueCertificate(keys, { subject, days: options.days ?? 365, isCa: options.isCa === true });
    try {
      publishNewFile(certificateFile, certificatePem, PUBLIC_MODE);
      publishNewFile(privateKeyFile, keys.privateKeyPem, SECRET_MODE);
      return { privateKeyFile, certificateFile, privateKeyPem: keys.privateKeyPem, certificatePem };
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new ResourceError(`cannot write ${privateKeyFile}: ${code ?? String(cause)}`, { actions: ['Set SFJWT_HOME to a writable folder.'], cause });
      // Another process made the pair first: use its pair, once both halves are there.
    }
    [hasKey, hasCert] = state();
  }
  for (let waited = 0; hasKey !== hasCert && waited < 1000; waited += 50) {
    Atomics.wait(pause, 0, 0, 50);
    [hasKey, hasCert] = state();
  }
  if (hasKey !== hasCert) {
    const [there, missing] = hasKey ? [privateKeyFile, certificateFile] : [certificateFile, privateKeyFile];
    throw new ResourceError(`cannot use the state folder: ${there} is there but ${missing} is not, and sfjwt does not complete a pair it cannot vouch for`, {
      actions: [`Put ${missing} back, or delete ${there} (or set SFJWT_HOME to another folder) to have sfjwt make a new pair.`],
    });
  }
  ownStateFolder(dirname(dir));
  return readPair(privateKeyFile, certificateFile);
}
