/**
 * Writes an export: `<out>/sfjwt.postman_collection.json` and `<out>/sfjwt.postman_environment.json`.
 * A folder it makes gets its own .gitignore (the environment holds assertions and the mock's admin
 * token, which belong in no repository), as the state and report folders do; a folder that was there
 * is the user's and gets none. Each file is replaced whole (a reader never sees half of one), and only
 * when it is an earlier export of sfjwt's: a file of the user's under that name is refused. The
 * environment is written owner-only (0600), like every file of sfjwt's that holds a credential.
 */
import { join } from 'node:path';
import { ResourceError } from '../../lib/errors.ts';
import { makeDirectory } from '../../lib/make-directory.ts';
import { GITIGNORE, writeOwnGitignore } from '../../lib/own-gitignore.ts';
import { INPUT_LIMITS, tryReadInputFile } from '../../lib/read-input-file.ts';
import { PUBLIC_MODE, replaceFile, SECRET_MODE } from '../../lib/write-new-file.ts';

export const COLLECTION_FILE = 'sfjwt.postman_collection.json';
export const ENVIRONMENT_FILE = 'sfjwt.postman_environment.json';

export interface WrittenExport {
  collection: string;
  environment: string;
  /** The .gitignore written in a folder made for the export; undefined when the folder was there. */
  gitignore: string | undefined;
  /** The folder was there and has no .gitignore: the caller says to keep the environment out of git. */
  unguarded: boolean;
}

/** The name an export of sfjwt's has: the collection's info.name, the environment's name. */
function exportName(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const o = json as { name?: unknown; info?: { name?: unknown } };
  const name = o.info?.name ?? o.name;
  return typeof name === 'string' ? name : undefined;
}

/** Refuses a file at `path` that is not an earlier export of sfjwt's; nothing there is fine. */
function checkReplaceable(path: string): void {
  const read = tryReadInputFile(path, { maxBytes: INPUT_LIMITS.request, noFollow: true });
  if (!('data' in read)) {
    if (read.reason === 'ENOENT') return;
    throw new ResourceError(`${path} is there and cannot be replaced: ${read.reason}`, { actions: ['Choose another folder with --out.'] });
  }
  let json: unknown;
  try {
    json = JSON.parse(read.data.toString('utf8'));
  } catch {
    json = undefined;
  }
  if (exportName(json)?.startsWith('sfjwt:') !== true) {
    throw new ResourceError(`${path} is there and is not an export of sfjwt's: sfjwt does not overwrite it`, { actions: ['Choose another folder with --out, or move the file away.'] });
  }
}

export function writeExport(dir: string, collection: unknown, environment: unknown): WrittenExport {
  const files = { collection: join(dir, COLLECTION_FILE), environment: join(dir, ENVIRONMENT_FILE) };
  try {
    const made = makeDirectory(dir);
    const gitignore = made ? writeOwnGitignore(dir, 'a Postman export with signed assertions and the mock admin token') : undefined;
    checkReplaceable(files.collection);
    checkReplaceable(files.environment);
    replaceFile(files.collection, `${JSON.stringify(collection, null, 2)}\n`, PUBLIC_MODE);
    replaceFile(files.environment, `${JSON.stringify(environment, null, 2)}\n`, SECRET_MODE);
    const unguarded = !made && 'reason' in tryReadInputFile(join(dir, GITIGNORE), { maxBytes: INPUT_LIMITS.config, noFollow: true });
    return { ...files, gitignore, unguarded };
  } catch (cause) {
    if (cause instanceof ResourceError) throw cause;
    throw new ResourceError(`cannot write the Postman export under ${dir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { actions: ['Choose a writable folder with --out.'], cause });
  }
}
