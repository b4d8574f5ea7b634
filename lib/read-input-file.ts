/**
 * The one way sfjwt reads a file a user names (a key, a certificate, a world, a scenario, a config, a
 * captured request): only a regular file, only up to a size cap, and from the file descriptor it
 * opened. It stats the path first and refuses a FIFO, a device, a directory or a socket without
 * opening it (a FIFO would block forever, /dev/zero would grow memory without end); it opens with
 * O_NONBLOCK so a FIFO swapped in after the stat cannot block the open, checks the opened descriptor
 * again with fstat (what is read is what was checked), and reads at most the cap plus one byte.
 * Refusals are ResourceErrors naming the path, what it is and what to do.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { ResourceError } from './errors.ts';

const MiB = 1024 * 1024;

/**
 * Size caps, in bytes. Key and certificate material is a few KiB (a PEM RSA 4096 key is 3.3 KiB, a
 * PKCS#12 or JKS bundle with a chain under 20 KiB, a system CA bundle about 220 KiB). Scenario and
 * config files are written by hand: the largest in the catalogue is 1.6 KiB. World files are the one
 * large input: `sfjwt world --generate` prints about 460 bytes per user with one app and 1.3 KiB with
 * 50, so the benchmarks' largest world (100,000 users, 50 apps) is 132 MB and a million users with one
 * app 442 MiB (327 MB without the indentation). 500 MiB holds that and stays under V8's largest
 * string (just under 512 MiB), past which a world could not even be parsed.
 */
export const INPUT_LIMITS = {
  keyMaterial: MiB,
  scenario: MiB,
  config: MiB,
  /** A captured request: a body up to the 1 MiB a token endpoint accepts, escaped in JSON. */
  request: 4 * MiB,
  world: 500 * MiB,
} as const;

export interface ReadInputOptions {
  /** What the file is, in messages: "key file", "world file". */
  what: string;
  /** Largest size accepted, in bytes (see INPUT_LIMITS). */
  maxBytes: number;
  /** Refuse a symbolic link instead of following it (secrets sfjwt keeps in its own folders). */
  noFollow?: boolean;
  /** What to do, shown under the message (after what fits a refusal of sfjwt's own). */
  actions?: readonly string[];
  /** Put before the message, such as `target "org"`. */
  context?: string;
}

/** Why a file was not read: words for a person, and the error behind it when there is one. */
export interface InputFileProblem {
  reason: string;
  cause?: unknown;
}

/** What a file is, in words ("a FIFO (named pipe)"), when it is not a regular file. */
export function fileKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function formatSize(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

function errnoReason(cause: unknown, noFollow: boolean): string {
  const code = (cause as NodeJS.ErrnoException).code;
  // O_NOFOLLOW on a link fails with ELOOP (EMLINK on some BSDs).
  if (noFollow && (code === 'ELOOP' || code === 'EMLINK')) return 'it is a symbolic link, which sfjwt does not follow here';
  // Opening a Unix socket, or a FIFO for writing without a reader, fails with ENXIO.
  if (code === 'ENXIO') return 'it is a socket or a device with nothing behind it (ENXIO), not a regular file';
  return code ?? String(cause);
}

const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NOCTTY = constants.O_NOCTTY ?? 0;
const CHUNK = 64 * 1024;

/** Reads the file, or says why it was not read (never throws for the file's sake). */
export function tryReadInputFile(path: string, options: Pick<ReadInputOptions, 'maxBytes' | 'noFollow'>): { data: Buffer } | InputFileProblem {
  const noFollow = options.noFollow === true;
  let before: Stats;
  try {
    before = noFollow ? lstatSync(path) : statSync(path);
  } catch (cause) {
    return { reason: errnoReason(cause, noFollow), cause };
  }
  // Stat first: a FIFO, a device or a socket is never even opened (opening some devices acts).
  const kind = fileKind(before);
  if (kind !== undefined) return { reason: kind === 'a symbolic link' ? 'it is a symbolic link, which sfjwt does not follow here' : `it is ${kind}, not a regular file` };
  if (before.size > options.maxBytes) return { reason: `it is ${before.size} bytes, more than the ${formatSize(options.maxBytes)} sfjwt reads from such a file` };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NONBLOCK | O_NOCTTY | (noFollow ? O_NOFOLLOW : 0));
  } catch (cause) {
    return { reason: errnoReason(cause, noFollow), cause };
  }
  try {
    // The path may have been swapped between the stat and the open: what counts is the opened file.
    const opened = fstatSync(fd);
    const openedKind = fileKind(opened);
    if (openedKind !== undefined) return { reason: `it is ${openedKind}, not a regular file` };
    if (opened.dev !== before.dev || opened.ino !== before.ino) return { reason: 'it was replaced while sfjwt was reading it; try again' };
    const chunks: Buffer[] = [];
    let total = 0;
    // At most the cap plus one byte: a file that grows while it is read is refused, not followed.
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, options.maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > options.maxBytes) return { reason: `it is more than the ${formatSize(options.maxBytes)} sfjwt reads from such a file` };
    }
    return { data: Buffer.concat(chunks, total) };
  } catch (cause) {
    return { reason: errnoReason(cause, noFollow), cause };
  } finally {
    closeSync(fd);
  }
}

/** What to do about a refusal of sfjwt's own (an errno such as ENOENT says enough with the caller's actions). */
function refusalActions(reason: string, options: ReadInputOptions): string[] {
  if (reason.includes('symbolic link')) return ['Remove the link and put the file itself there, or point sfjwt at the real file.'];
  if (reason.includes('more than the')) return [`Give the ${options.what} itself (at most ${formatSize(options.maxBytes)}).`];
  if (reason.includes('not a regular file')) return [`Give the path of the ${options.what} itself: sfjwt reads only regular files (not pipes, devices, directories or sockets).`];
  return [];
}

/** Reads a regular file of at most `maxBytes`, or throws a ResourceError that names it and says why. */
export function readInputFile(path: string, options: ReadInputOptions): Buffer {
  const result = tryReadInputFile(path, options);
  if ('data' in result) return result.data;
  const prefix = options.context === undefined ? '' : `${options.context}: `;
  const actions = [...refusalActions(result.reason, options), ...(options.actions ?? [])];
  throw new ResourceError(`${prefix}cannot read the ${options.what} ${path}: ${result.reason}`, {
    actions: actions.length > 0 ? actions : ['Check the path.'],
    ...(result.cause === undefined ? {} : { cause: result.cause }),
  });
}

/** The same, as UTF-8 text. */
export function readInputText(path: string, options: ReadInputOptions): string {
  return readInputFile(path, options).toString('utf8');
}
