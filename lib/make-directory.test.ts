/**
 * makeDirectory makes a path and its parents, accepts a folder already there, and throws the errno
 * error of the first folder it cannot make, at once (and says whether it made the path itself): ENOTDIR under a file, ENOENT under a dangling
 * link, and ENOENT under /proc, where Node's own recursive mkdir spins forever (that case runs as a
 * process with a time limit, so that a spin fails the test instead of hanging the suite).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory } from './make-directory.ts';

const dir = mkdtempSync(join(tmpdir(), 'sfjwt-make-directory-'));
writeFileSync(join(dir, 'file'), 'x');
symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
symlinkSync(dir, join(dir, 'linked'));

const codeOf = (path: string): string | undefined => {
  try {
    makeDirectory(path);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
};

describe('makeDirectory', () => {
  it.each([
    ['a new nested path', join(dir, 'a', 'b', 'c')],
    ['the same path again', join(dir, 'a', 'b', 'c')],
    ['a folder that is there', dir],
    ['a path through a link to a folder', join(dir, 'linked', 'd')],
    ['a relative path', join(dir, 'e', '..', 'f')],
  ])('makes %s', (_name, path) => {
    expect(codeOf(path)).toBeUndefined();
    expect(statSync(path).isDirectory()).toBe(true);
  });

  it.each([
    ['a file', join(dir, 'file'), 'ENOTDIR'],
    ['a path under a file', join(dir, 'file', 'x', 'y'), 'ENOTDIR'],
    ['a dangling link', join(dir, 'dangling'), 'ENOENT'],
    ['a path under a dangling link', join(dir, 'dangling', 'x'), 'ENOENT'],
  ])('throws for %s', (_name, path, code) => {
    expect(codeOf(path)).toBe(code);
  });

  it('says whether it made the path itself: true for a new one, false for a folder that is there', () => {
    expect(makeDirectory(join(dir, 'said', 'inner'))).toBe(true);
    expect(makeDirectory(join(dir, 'said', 'inner'))).toBe(false);
    expect(makeDirectory(join(dir, 'said'))).toBe(false);
    expect(makeDirectory(join(dir, 'said', 'other'))).toBe(true);
  });

  it('sets the mode of what it makes (before the umask)', () => {
    const path = join(dir, 'private', 'inner');
    makeDirectory(path, 0o700);
    if (process.platform !== 'win32') expect(statSync(join(dir, 'private')).mode & 0o077).toBe(0);
  });

  it.runIf(process.platform === 'linux')('throws ENOENT at once under /proc (mkdirSync recursive spins there)', () => {
    const script = `import { makeDirectory } from ${JSON.stringify(new URL('./make-directory.ts', import.meta.url).href)};
try { makeDirectory('/proc/sfjwt-no-such/x'); console.log('made'); } catch (e) { console.log(e.code, e.path); }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect(r.signal).toBeNull();
    expect(r.stdout.trim()).toBe('ENOENT /proc/sfjwt-no-such');
  });
});
