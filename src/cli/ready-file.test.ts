/**
 * `serve --ready-file` never destroys what sfjwt did not write: a file of the user's, a link or a
 * folder at the path is refused before the mock starts (exit 2, untouched); the line is published as
 * a new 0600 file (under an unpredictable temporary name, so no guessed `.partial` link can redirect
 * it); a ready file left by a killed serve is replaced; and on exit the file is removed only if it is
 * still the one this serve wrote. Run in this process through `main(argv, io)`, stopped by its signal.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW, testStateDir } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';

const home = testStateDir('sfjwt-ready-file-');
const env = { SFJWT_HOME: home, NO_COLOR: '1' };
let n = 0;
const path = () => join(home, `ready-${(n += 1)}.json`);

/** `serve --json --http --ready-file FILE` until `during` has run; the exit code, the line and stderr. */
async function serveWith(file: string, during: (line: string) => void | Promise<void> = () => {}) {
  const stop = new AbortController();
  let text = '';
  let stderr = '';
  let listening: (line: string) => void = () => {};
  const firstLine = new Promise<string>((resolve) => (listening = resolve));
  const stdout = {
    write: (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) listening(text.slice(0, text.indexOf('\n')));
      return true;
    },
  };
  const served = main(['serve', '--json', '--http', '--port', '0', '--ready-file', file], { stdout, stderr: { write: (c) => ((stderr += c), true) }, env, now: () => NOW, signal: stop.signal });
  const ended = served.then((code) => ({ code, line: '' }));
  const first = await Promise.race([firstLine.then((line) => ({ code: undefined, line })), ended]);
  if (first.code !== undefined) return { code: first.code, line: '', stderr };
  try {
    await during(first.line);
  } finally {
    stop.abort();
  }
  return { code: await served, line: first.line, stderr };
}

describe('serve --ready-file', () => {
  it('writes the JSON line as a new 0600 file once listening and removes it on exit', async () => {
    const file = path();
    const r = await serveWith(file, (line) => {
      expect(readFileSync(file, 'utf8')).toBe(`${line}\n`);
      const stats = lstatSync(file);
      expect(stats.isFile()).toBe(true);
      if (process.platform !== 'win32') expect(stats.mode & 0o777).toBe(0o600);
      // Published by a link from a temporary name, which is gone.
      expect(readdirSync(home).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
    expect(r.code).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ["a file of the user's", (file: string) => writeFileSync(file, 'my notes\n'), "is already there and is not a ready file of sfjwt's: sfjwt does not overwrite it"],
    ['a JSON file that is no ready line', (file: string) => writeFileSync(file, '{"login":1}\n'), "is already there and is not a ready file of sfjwt's: sfjwt does not overwrite it"],
    [
      'a link to a file elsewhere',
      (file: string) => {
        writeFileSync(`${file}.target`, '{"login":"x","admin":"y","hosts":{}}\n');
        symlinkSync(`${file}.target`, file);
      },
      'is already there and is a symbolic link: sfjwt writes its ready file only as a new file',
    ],
    ['a folder', (file: string) => mkdirSync(file), 'is already there and is a directory: sfjwt writes its ready file only as a new file'],
  ])('refuses %s at the path before the mock starts: exit 2, left as it was', async (_name, put, message) => {
    const file = path();
    put(file);
    const before = lstatSync(file);
    const content = before.isFile() ? readFileSync(file, 'utf8') : undefined;
    const r = await serveWith(file);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`sfjwt: the ready file ${file} ${message}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const after = lstatSync(file);
    expect([after.ino, after.isFile() ? readFileSync(file, 'utf8') : undefined]).toEqual([before.ino, content]);
  });

  it('replaces a ready file a killed serve left behind, and removes its own on exit', async () => {
    const file = path();
    writeFileSync(file, '{"login":"http://127.0.0.1:1","admin":"http://127.0.0.1:1/__sfjwt","hosts":{}}\n');
    const r = await serveWith(file, (line) => expect(readFileSync(file, 'utf8')).toBe(`${line}\n`));
    expect(r.code).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it("leaves on exit a file that took the ready file's place meanwhile", async () => {
    const file = path();
    const r = await serveWith(file, () => {
      unlinkSync(file);
      writeFileSync(`${file}.new`, 'written by someone else\n');
      renameSync(`${file}.new`, file);
    });
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('written by someone else\n');
  });

  it('writes through no guessed temporary name: a link at <file>.<pid>.partial leads nowhere', async () => {
    const file = path();
    const victim = join(home, `victim-${n}.txt`);
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, `${file}.${process.pid}.partial`);
    const r = await serveWith(file, (line) => expect(readFileSync(file, 'utf8')).toBe(`${line}\n`));
    expect(r.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(`${file}.${process.pid}.partial`).isSymbolicLink()).toBe(true);
  });
});
