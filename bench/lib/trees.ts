/**
 * The checkouts a benchmark measures, each run the way its users run it: its own `bin/sfjwt.js`,
 * with its own node_modules (after its own `npm ci`), started from a scratch folder of its own so
 * its state folder (`.sfjwt/`: keys, local CA) is made there on the first, discarded start and never
 * shared with another checkout. A tree is named on the command line as `[NAME=]DIR[@SOURCE]`:
 * without SOURCE the folder is used as it is; with SOURCE it is made first, from a commit
 * (`git archive`, read-only) or from this working tree's files (`@worktree`: tracked and untracked,
 * ignored ones left out), then installed with `npm ci --offline --no-audit --no-fund`. A made folder
 * carries a marker file; only a folder with that marker is ever emptied and made again.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ROOT } from './servers.ts';

export interface Tree {
  name: string;
  /** The checkout: holds bin/sfjwt.js and node_modules. */
  dir: string;
  bin: string;
  /** The scratch working folder every process of this tree starts in (its `.sfjwt/` lives there). */
  work: string;
  /** The commit it was made from, or what `git rev-parse HEAD` says in it, when known. */
  commit: string | null;
  /** Wall time of its `npm ci` when this run made it, ms. */
  installMs: number | null;
}

const MARKER = '.sfjwt-bench-tree.json';

interface Marker {
  source: string;
  commit: string | null;
  madeAt: string;
}

function git(args: string[], input?: Buffer): Buffer {
  return execFileSync('git', ['--no-optional-locks', '-C', ROOT, ...args], { stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30, ...(input === undefined ? {} : { input }) });
}

function tarInto(dir: string, tarball: Buffer): void {
  execFileSync('tar', ['-x', '-C', dir], { input: tarball, maxBuffer: 1 << 30 });
}

/** This working tree's files as they are now: tracked and untracked, none that git ignores. */
function worktreeTarball(): Buffer {
  const names = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'])
    .toString('utf8')
    .split('\0')
    .filter((n) => n !== '' && existsSync(join(ROOT, n)));
  return execFileSync('tar', ['-c', '-C', ROOT, '--null', '-T', '-'], { input: [...new Set(names)].join('\0'), maxBuffer: 1 << 30 });
}

function readMarker(dir: string): Marker | null {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Marker;
  } catch {
    return null;
  }
}

/** Makes DIR from SOURCE (a commit or `worktree`) and installs it; reuses a folder made from the same commit. */
function makeTree(dir: string, source: string, log: (s: string) => void): number | null {
  const commit =
    source === 'worktree'
      ? null
      : git(['rev-parse', '--verify', `${source}^{commit}`])
          .toString()
          .trim();
  const marker = existsSync(dir) ? readMarker(dir) : null;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (marker === null) throw new Error(`${dir} exists and was not made by the benchmarks: name it without @${source} to measure it as it is, or give a new folder`);
    if (commit !== null && marker.commit === commit && existsSync(join(dir, 'node_modules'))) {
      log(`[tree] ${dir}: already made from ${commit.slice(0, 7)}, reused`);
      return null;
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  tarInto(dir, commit === null ? worktreeTarball() : git(['archive', commit]));
  writeFileSync(join(dir, MARKER), `${JSON.stringify({ source, commit, madeAt: new Date().toISOString() } satisfies Marker)}\n`);
  const logFile = join(dir, '.sfjwt-bench-install.log');
  const install = (mode: '--offline' | '--prefer-offline') => {
    log(`[tree] ${dir}: made from ${commit === null ? 'the working tree' : commit.slice(0, 7)}; npm ci ${mode} --no-audit --no-fund`);
    const t0 = performance.now();
    const r = spawnSync('npm', ['ci', mode, '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    writeFileSync(logFile, `$ npm ci ${mode} --no-audit --no-fund\n${r.stdout}\n${r.stderr}`, { flag: 'a' });
    return { ms: performance.now() - t0, status: r.status, notCached: `${r.stdout}${r.stderr}`.includes('ENOTCACHED') };
  };
  let r = install('--offline');
  // The lockfile carries no `resolved` URLs, so npm asks the registry for each package's metadata;
  // when the local cache lacks some, --prefer-offline fetches only those and takes the rest from it.
  if (r.status !== 0 && r.notCached) r = install('--prefer-offline');
  if (r.status !== 0) throw new Error(`npm ci failed in ${dir} (exit ${r.status}); see ${logFile}`);
  return r.ms;
}

function headOf(dir: string): string | null {
  const marker = readMarker(dir);
  if (marker !== null) return marker.commit ?? 'worktree';
  try {
    return execFileSync('git', ['--no-optional-locks', '-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** `[NAME=]DIR[@SOURCE]`; NAME defaults to `fallbackName`. */
export function openTree(spec: string, fallbackName: string, log: (s: string) => void = () => undefined): Tree {
  const eq = spec.indexOf('=');
  const name = eq > 0 ? spec.slice(0, eq) : fallbackName;
  const rest = eq > 0 ? spec.slice(eq + 1) : spec;
  const at = rest.lastIndexOf('@');
  const dir = resolve(at > 0 ? rest.slice(0, at) : rest);
  const installMs = at > 0 ? makeTree(dir, rest.slice(at + 1), log) : null;
  const bin = join(dir, 'bin', 'sfjwt.js');
  if (!existsSync(bin)) throw new Error(`${dir} has no bin/sfjwt.js: is it an sfjwt checkout?`);
  if (!existsSync(join(dir, 'node_modules'))) throw new Error(`${dir} has no node_modules: run npm ci --offline --no-audit --no-fund there first (or name it as ${dir}@<commit> to have it made)`);
  const work = mkdtempSync(join(tmpdir(), `sfjwt-bench-${name.replace(/[^\w-]/g, '_')}-`));
  return { name, dir, bin, work, commit: headOf(dir), installMs };
}

/** This checkout, measured the same way as any other. */
export function thisTree(name = basename(ROOT) || 'this'): Tree {
  return openTree(`${name}=${ROOT}`, name);
}

export function closeTrees(trees: readonly Tree[]): void {
  for (const t of trees) rmSync(t.work, { recursive: true, force: true });
}
