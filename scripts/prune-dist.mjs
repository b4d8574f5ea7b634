/**
 * Removes from dist/ what no source compiles to any more. `tsc -b` writes the outputs of the current
 * sources but never deletes those of a module that was renamed, removed or newly excluded, and they
 * would ship in the package. The sources are the root files of the last build (dist/build.tsbuildinfo,
 * which tsconfig.build.json's include and exclude decide); a .js or .d.ts in dist/ without its .ts
 * there is removed, and so is a folder left empty. Part of `npm run build`; plain JavaScript, so it
 * runs with node alone.
 */
import { readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const dist = join(repo, 'dist');
const infoFile = join(dist, 'build.tsbuildinfo');
const info = JSON.parse(readFileSync(infoFile, 'utf8'));
// A file newer than the build info is being written by a build that has not finished (another test
// run in this tree, say), whose build info will list its source: never one to remove.
const built = statSync(infoFile).mtimeMs;

// A build info lists its roots as paths, or (incremental builds) as 1-based ids or id ranges of fileNames.
const roots = info.root.flatMap((r) => {
  if (typeof r === 'string') return [r];
  const [from, to] = typeof r === 'number' ? [r, r] : r;
  return Array.from({ length: to - from + 1 }, (_, i) => info.fileNames[from + i - 1]);
});
const sources = new Set(roots.map((r) => join(dist, r)));

/** Removes an empty folder; false when a build has just written into it. */
function removeEmpty(dir) {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    if (error.code === 'ENOTEMPTY' || error.code === 'EEXIST') return false;
    throw error;
  }
}

/** Prunes one folder; returns whether it is empty now. */
function prune(dir) {
  let left = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!prune(path) || !removeEmpty(path)) left += 1;
      continue;
    }
    const output = /\.(d\.ts|js)$/.test(entry.name);
    const stale = output && !sources.has(join(repo, relative(dist, path)).replace(/(\.d\.ts|\.js)$/, '.ts')) && statSync(path).mtimeMs <= built;
    if (stale) rmSync(path);
    else left += 1;
  }
  return left === 0;
}

prune(dist);
