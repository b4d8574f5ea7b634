/**
 * How sfjwt writes a file it owns (a key in the state folder, a report): only as a new file, never
 * through a symbolic link and never over a file that is already there. The file is opened with
 * O_CREAT | O_EXCL (which also refuses a link, dangling or not, in its place) and O_NOFOLLOW, given
 * its mode with fchmod (a umask cannot loosen or tighten it) and checked with fstat before a byte is
 * written: a private key is 0600 from its first byte. `publishNewFile` adds atomicity: the data is
 * written under a temporary name and then linked to its name, which fails rather than replace a file
 * that appeared meanwhile, so a reader never sees half a file and nothing is overwritten.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, linkSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Owner read and write only: every private key, passphrase and keystore sfjwt writes. */
export const SECRET_MODE = 0o600;
export const PUBLIC_MODE = 0o644;

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// Windows keeps no Unix modes: what fchmod sets there is only the read-only bit.
const CHECKS_MODES = process.platform !== 'win32';

/** Writes `data` to `path`, which must not exist (EEXIST otherwise, whatever is there). */
export function writeNewFile(path: string, data: string | Uint8Array, mode: number): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode);
  let done = false;
  try {
    fchmodSync(fd, mode);
    const stats = fstatSync(fd);
    if (!stats.isFile() || (CHECKS_MODES && (stats.mode & 0o777) !== mode)) {
      throw Object.assign(new Error(`${path} did not get mode ${mode.toString(8)}`), { code: 'EPERM' });
    }
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    done = true;
  } finally {
    closeSync(fd);
    // Half a file is worse than none: a failed write leaves nothing behind under the name.
    if (!done) unlinkSync(path);
  }
}

/** A fresh name next to `path` for a file being written (dot-prefixed, random: never guessed in advance). */
export function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `path` whole or not at all, and only if `path` does not exist: EEXIST when
 * something (a file, a directory, a link) is already there, before or during the write.
 */
export function publishNewFile(path: string, data: string | Uint8Array, mode: number): void {
  const tmp = temporaryNameFor(path);
  writeNewFile(tmp, data, mode);
  try {
    linkSync(tmp, path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    // A file system without hard links: a rename, after checking that nothing is there.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') {
      unlinkSync(tmp);
      throw cause;
    }
    if (exists(path)) {
      unlinkSync(tmp);
      throw Object.assign(new Error(`EEXIST: ${path} already exists`), { code: 'EEXIST' });
    }
    renameSync(tmp, path);
    return;
  }
  unlinkSync(tmp);
}

/** Replaces `path` whole with a new file (a cache sfjwt owns, such as the TLS leaf); a link at `path` is replaced, never followed. */
export function replaceFile(path: string, data: string | Uint8Array, mode: number): void {
  const tmp = temporaryNameFor(path);
  writeNewFile(tmp, data, mode);
  try {
    renameSync(tmp, path);
  } catch (cause) {
    unlinkSync(tmp);
    throw cause;
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
