/**
 * Folders sfjwt writes and may later replace (reports/<run>/ and reports/latest/), and only those. Each
 * holds a marker, `.sfjwt-report.json`, listing the files sfjwt put there. A folder is replaced only
 * when it is a real folder (not a link) whose marker is sfjwt's and which holds nothing but the files
 * the marker lists; anything else (a user's folder of the same name, a link, a file someone added) is
 * refused with a ResourceError that names it, and nothing is deleted. The new folder is made whole
 * under a temporary name and renamed into place, so readers see the old folder or the new one, and
 * the old one is then removed file by listed file: sfjwt never deletes what it did not write.
 */
import { lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, type Stats, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceError } from '../../lib/errors.ts';
import { tryReadInputFile } from '../../lib/read-input-file.ts';
import { PUBLIC_MODE, temporaryNameFor, writeNewFile } from '../../lib/write-new-file.ts';

export const OWNED_MARKER = '.sfjwt-report.json';

interface Marker {
  writtenBy: 'sfjwt';
  files: string[];
}

/** Why a folder is not sfjwt's to replace, with what to do. */
function notOurs(folder: string, why: string): ResourceError {
  return new ResourceError(`not replacing ${folder}: ${why}, and sfjwt replaces only report folders it wrote itself`, {
    actions: [`Move or delete ${folder}, or choose another folder with --out.`],
  });
}

/**
 * The files sfjwt wrote in `folder` (to remove when replacing it), undefined when there is no such
 * folder, or a refusal when it is not sfjwt's. `allowed` are the only names a marker may list: a
 * marker cannot make sfjwt delete anything else, such as ../something.
 */
function ownedFiles(folder: string, allowed: ReadonlySet<string>): string[] | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(folder);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cause;
  }
  if (stats.isSymbolicLink()) throw notOurs(folder, 'it is a symbolic link');
  if (!stats.isDirectory()) throw notOurs(folder, 'it is not a folder');
  const read = tryReadInputFile(join(folder, OWNED_MARKER), { maxBytes: 64 * 1024, noFollow: true });
  if (!('data' in read)) throw notOurs(folder, `it has no readable ${OWNED_MARKER} (${read.reason})`);
  let marker: Partial<Marker>;
  try {
    marker = JSON.parse(read.data.toString('utf8')) as Partial<Marker>;
  } catch {
    throw notOurs(folder, `its ${OWNED_MARKER} is not sfjwt's`);
  }
  const files = marker.files;
  if (marker.writtenBy !== 'sfjwt' || !Array.isArray(files) || !files.every((f) => typeof f === 'string' && allowed.has(f))) throw notOurs(folder, `its ${OWNED_MARKER} is not sfjwt's`);
  const entries = readdirSync(folder, { withFileTypes: true });
  const foreign = entries.filter((e) => e.name !== OWNED_MARKER && !(files.includes(e.name) && e.isFile()));
  if (foreign.length > 0) throw notOurs(folder, `it holds ${foreign.map((e) => e.name).join(', ')}, which sfjwt did not write`);
  return entries.filter((e) => e.name !== OWNED_MARKER).map((e) => e.name);
}

function removeOwned(folder: string, files: readonly string[]): void {
  for (const f of [...files, OWNED_MARKER]) unlinkSync(join(folder, f));
  try {
    rmdirSync(folder);
  } catch {
    // Something was put in it after the check: it stays, under its temporary name, untouched.
  }
}

/**
 * Makes `folder` hold exactly `files` (name -> text), replacing an earlier folder only if sfjwt wrote
 * it. `allowed` are the names sfjwt may ever write there.
 */
export function publishOwnedFolder(folder: string, files: readonly { name: string; text: string }[], allowed: ReadonlySet<string>): void {
  const previous = ownedFiles(folder, allowed);
  const stage = temporaryNameFor(folder);
  mkdirSync(stage);
  try {
    for (const { name, text } of files) writeNewFile(join(stage, name), text, PUBLIC_MODE);
    const marker: Marker = { writtenBy: 'sfjwt', files: files.map((f) => f.name) };
    writeNewFile(join(stage, OWNED_MARKER), `${JSON.stringify(marker)}\n`, PUBLIC_MODE);
  } catch (cause) {
    discardStage(stage, allowed);
    throw cause;
  }
  if (previous === undefined) {
    try {
      renameSync(stage, folder);
    } catch (cause) {
      discardStage(stage, allowed);
      throw cause;
    }
    return;
  }
  const retired = temporaryNameFor(folder);
  renameSync(folder, retired);
  try {
    renameSync(stage, folder);
  } catch (cause) {
    // Put the old folder back rather than leave none.
    renameSync(retired, folder);
    discardStage(stage, allowed);
    throw cause;
  }
  removeOwned(retired, previous);
}

/** Removes a staged folder that was not published: every file in it is one sfjwt just wrote. */
function discardStage(stage: string, allowed: ReadonlySet<string>): void {
  try {
    for (const name of readdirSync(stage)) if (name === OWNED_MARKER || allowed.has(name)) unlinkSync(join(stage, name));
    rmdirSync(stage);
  } catch {
    // Best effort: a folder that cannot be read cannot be cleaned either.
  }
}
