/**
 * `serve --ready-file`: the JSON line, written once the mock listens, for a health check or a script,
 * and removed on exit. sfjwt never destroys a file it did not write: a path that holds anything but a
 * ready file of sfjwt's (a file of the user's, a link, a folder) is refused before the mock starts;
 * the file is written under an unpredictable temporary name and linked into place, which fails rather
 * than replace whatever appeared there meanwhile; and on exit it is removed only if it is still the
 * file this serve wrote: the same device and inode, and (as a file system reuses a freed inode at
 * once) the same line. It holds the admin token, so its mode is 0600.
 */
import { lstatSync, type Stats, unlinkSync } from 'node:fs';
import { ResourceError } from '../../lib/errors.ts';
import { fileKind, INPUT_LIMITS, tryReadInputFile } from '../../lib/read-input-file.ts';
import { publishNewFile, SECRET_MODE } from '../../lib/write-new-file.ts';

const ACTIONS = ['Choose another path for --ready-file (SFJWT_READY_FILE), or remove what is there, or unset it.'];

/** The line a serve writes, parsed: a JSON object with the login and admin base URLs and the hosts; else undefined. */
function parseReadyLine(text: string): Record<string, unknown> | undefined {
  try {
    const line = JSON.parse(text) as Record<string, unknown> | null;
    return line !== null && typeof line === 'object' && typeof line['login'] === 'string' && typeof line['admin'] === 'string' && typeof line['hosts'] === 'object' && line['hosts'] !== null
      ? line
      : undefined;
  } catch {
    return undefined;
  }
}

/** The ready line in the file at `path` (a regular file, not followed through a link), or undefined. */
export function readReadyLine(path: string): Record<string, unknown> | undefined {
  const read = tryReadInputFile(path, { maxBytes: INPUT_LIMITS.world, noFollow: true });
  return 'data' in read ? parseReadyLine(read.data.toString('utf8')) : undefined;
}

function lstatOrNothing(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ResourceError(`cannot use the ready file ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { actions: ACTIONS, cause });
  }
}

/** A ready file: checked before the mock starts, written once it listens, removed on exit if still ours. */
export class ReadyFile {
  private written: { dev: number; ino: number; line: string } | undefined;
  /** A ready file left by a serve that did not get to remove it (killed): this one replaces it. */
  private stale: { dev: number; ino: number } | undefined;

  /** Refuses (ResourceError, exit 2) a path that holds anything but a ready file of sfjwt's. */
  constructor(readonly path: string) {
    const stats = lstatOrNothing(path);
    if (stats === undefined) return;
    const kind = fileKind(stats);
    if (kind !== undefined) throw new ResourceError(`the ready file ${path} is already there and is ${kind}: sfjwt writes its ready file only as a new file`, { actions: ACTIONS });
    const read = tryReadInputFile(path, { maxBytes: INPUT_LIMITS.world, noFollow: true });
    if (!('data' in read) || parseReadyLine(read.data.toString('utf8')) === undefined) {
      throw new ResourceError(`the ready file ${path} is already there and is not a ready file of sfjwt's${'data' in read ? '' : ` (${read.reason})`}: sfjwt does not overwrite it`, {
        actions: ACTIONS,
      });
    }
    this.stale = { dev: stats.dev, ino: stats.ino };
  }

  /** Publishes `line` at the path, whole, never over a file that is not the stale ready file seen at the start. */
  write(line: string): void {
    const stale = this.stale;
    if (stale !== undefined) {
      const now = lstatOrNothing(this.path);
      if (now !== undefined && now.dev === stale.dev && now.ino === stale.ino) unlinkSync(this.path);
      this.stale = undefined;
    }
    try {
      publishNewFile(this.path, line, SECRET_MODE);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new ResourceError(`the ready file ${this.path} appeared while the mock started: sfjwt does not overwrite it`, { actions: ACTIONS, cause });
      throw new ResourceError(`cannot write the ready file ${this.path}: ${code ?? String(cause)}`, { actions: ['Choose a writable path for --ready-file (SFJWT_READY_FILE), or unset it.'], cause });
    }
    const stats = lstatSync(this.path);
    this.written = { dev: stats.dev, ino: stats.ino, line };
  }

  /** Removes the file if it is still the one written here (a file put in its place since stays). */
  remove(): void {
    const written = this.written;
    this.written = undefined;
    if (written === undefined) return;
    try {
      const now = lstatSync(this.path);
      if (!now.isFile() || now.dev !== written.dev || now.ino !== written.ino || now.size !== Buffer.byteLength(written.line)) return;
      const read = tryReadInputFile(this.path, { maxBytes: now.size, noFollow: true });
      if ('data' in read && read.data.toString('utf8') === written.line) unlinkSync(this.path);
    } catch {
      // Gone already, or its folder became unreadable: nothing of anyone else's is lost either way.
    }
  }
}
