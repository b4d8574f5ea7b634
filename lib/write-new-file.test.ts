/**
 * Files sfjwt owns are written only as new files: never over a file that is there, never through a
 * link (dangling or not), with exactly the mode asked for whatever the umask; a replacement swaps a
 * link for a file and leaves what the link pointed at alone.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { publishNewFile, replaceFile, SECRET_MODE, writeNewFile } from './write-new-file.ts';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'sfjwt-write-new-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
  return undefined;
};

describe.each([
  ['writeNewFile', writeNewFile],
  ['publishNewFile', publishNewFile],
])('%s', (_name, write) => {
  it.each([0o000, 0o077, 0o022])('gives a secret mode 0600 under umask %o', (umask) => {
    const path = join(fresh(), 'a.key');
    const before = process.umask(umask);
    try {
      write(path, 'secret', SECRET_MODE);
    } finally {
      process.umask(before);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('secret');
  });

  it('refuses a file that is there, a link to one and a dangling link, changing nothing', () => {
    const dir = fresh();
    const other = join(fresh(), 'theirs.txt');
    writeFileSync(join(dir, 'there.key'), 'theirs');
    writeFileSync(other, 'theirs', { mode: 0o644 });
    symlinkSync(other, join(dir, 'link.key'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.key'));
    for (const name of ['there.key', 'link.key', 'dangling.key']) expect(codeOf(() => write(join(dir, name), 'new', SECRET_MODE))).toBe('EEXIST');
    expect(readFileSync(join(dir, 'there.key'), 'utf8')).toBe('theirs');
    expect(readFileSync(other, 'utf8')).toBe('theirs');
    expect(statSync(other).mode & 0o777).toBe(0o644);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    // Nothing temporary is left behind.
    expect(readdirSync(dir).sort()).toEqual(['dangling.key', 'link.key', 'there.key']);
  });
});

describe('replaceFile', () => {
  it("replaces a link with a file of its own, leaving the link's target alone", () => {
    const dir = fresh();
    const other = join(fresh(), 'theirs.txt');
    writeFileSync(other, 'theirs');
    symlinkSync(other, join(dir, 'server.key'));
    replaceFile(join(dir, 'server.key'), 'new key', SECRET_MODE);
    expect(readFileSync(other, 'utf8')).toBe('theirs');
    expect(readFileSync(join(dir, 'server.key'), 'utf8')).toBe('new key');
    expect(statSync(join(dir, 'server.key')).mode & 0o777).toBe(0o600);
  });
});
