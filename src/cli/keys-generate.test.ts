/**
 * `keys generate` writes private keys only as new files, never through a link, with mode 0600
 * whatever was there before or what the umask says; --force replaces each file whole (a link in the
 * way is replaced, its target left alone); and an output folder that cannot hold the files is an
 * error at once (exit 2). In this process through `main(argv, io)`, except `--out /proc/x`, which
 * runs as a process with a time limit: Node's recursive mkdir spins forever there, and a spin inside
 * this process would hang the suite instead of failing it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FILES } from '../../lib/pki/bundle.ts';
import { NOW } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';

const BIN = new URL('../../bin/sfjwt.js', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'sfjwt-keys-generate-'));
const env = { SFJWT_HOME: home, NO_COLOR: '1' };
const SECRET = ['encryptedKey', 'key', 'pkcs12', 'passphrase'] as const;
const PUBLIC = ['publicKey', 'csr', 'certificate'] as const;
const modeOf = (path: string) => lstatSync(path).mode & 0o777;
let folders = 0;
const folder = () => join(home, `out-${(folders += 1)}`);

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['keys', 'generate', ...argv], { stdout: { write: (c) => ((stdout += c), true) }, stderr: { write: (c) => ((stderr += c), true) }, env, now: () => NOW });
  return { code, stdout, stderr };
}

describe.runIf(process.platform !== 'win32')('keys generate: modes, links and --force', () => {
  it('private files are 0600 and public ones 0644 in a new folder', async () => {
    const out = folder();
    expect((await run(['--out', out])).code).toBe(0);
    for (const k of SECRET) expect([k, modeOf(join(out, BUNDLE_FILES[k]))]).toEqual([k, 0o600]);
    for (const k of PUBLIC) expect([k, modeOf(join(out, BUNDLE_FILES[k]))]).toEqual([k, 0o644]);
  });

  it('--force replaces a 0644 key with a new 0600 file (a new inode, not the old one rewritten)', async () => {
    const out = folder();
    mkdirSync(out);
    const key = join(out, 'server.key');
    writeFileSync(key, 'old key', { mode: 0o644 });
    chmodSync(key, 0o644);
    const before = statSync(key).ino;
    const r = await run(['--out', out, '--force']);
    expect(r.code).toBe(0);
    expect(modeOf(key)).toBe(0o600);
    expect(statSync(key).ino).not.toBe(before);
    expect(readFileSync(key, 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it.each([
    ['a link to a file elsewhere', true],
    ['a dangling link (existsSync says nothing is there)', false],
  ])('%s in place of server.key: refused without --force, its target untouched', async (_name, targetExists) => {
    const out = folder();
    mkdirSync(out);
    const target = join(home, `elsewhere-${folders}.key`);
    if (targetExists) writeFileSync(target, 'not yours');
    symlinkSync(target, join(out, 'server.key'));
    const r = await run(['--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`sfjwt: not overwriting ${join(out, 'server.key')}`);
    expect(existsSync(target) ? readFileSync(target, 'utf8') : null).toBe(targetExists ? 'not yours' : null);
    expect(lstatSync(join(out, 'server.key')).isSymbolicLink()).toBe(true);
  });

  it.each([
    ['a link to a file elsewhere', true],
    ['a dangling link', false],
  ])('%s in place of server.key: --force replaces the link with a 0600 file and never writes through it', async (_name, targetExists) => {
    const out = folder();
    mkdirSync(out);
    const target = join(home, `elsewhere-force-${folders}.key`);
    if (targetExists) writeFileSync(target, 'not yours');
    symlinkSync(target, join(out, 'server.key'));
    const r = await run(['--out', out, '--force']);
    expect(r.code).toBe(0);
    const written = lstatSync(join(out, 'server.key'));
    expect(written.isFile()).toBe(true);
    expect(written.mode & 0o777).toBe(0o600);
    expect(existsSync(target) ? readFileSync(target, 'utf8') : null).toBe(targetExists ? 'not yours' : null);
  });

  it('--force over a folder named server.key: refused, nothing written', async () => {
    const out = folder();
    mkdirSync(join(out, 'server.key'), { recursive: true });
    const r = await run(['--out', out, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`sfjwt: cannot replace ${join(out, 'server.key')} (a directory): --force replaces files only`);
    expect(existsSync(join(out, 'server.crt'))).toBe(false);
  });
});

describe('keys generate: an output folder that cannot hold the files is an error at once', () => {
  const file = join(home, 'a-file');
  writeFileSync(file, 'x');

  it.each([
    ['a file', file, `sfjwt: cannot create the output folder ${file}: ENOTDIR`],
    ['a folder under a file', join(file, 'keys'), `sfjwt: cannot create the output folder ${join(file, 'keys')}: ENOTDIR`],
    ['/proc (exists, takes no files)', '/proc', 'sfjwt: cannot write in the output folder /proc: ENOENT'],
  ])('--out %s: exit 2, no stack', async (_name, out, message) => {
    const r = await run(['--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stderr).toContain('Choose a folder you can write for --out');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.runIf(process.platform === 'linux')('--out /proc/x ends with exit 2 (it used to spin at 100% CPU forever)', () => {
    const r = spawnSync(process.execPath, [BIN, 'keys', 'generate', '--out', '/proc/sfjwt-no-such-folder'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 15_000,
      killSignal: 'SIGKILL',
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('sfjwt: cannot create the output folder /proc/sfjwt-no-such-folder: ENOENT');
  });

  it.runIf(process.platform !== 'win32' && process.getuid?.() !== 0)('--out a read-only folder: exit 2 (skipped as root, who may write anywhere)', async () => {
    const out = folder();
    mkdirSync(out);
    chmodSync(out, 0o500);
    const r = await run(['--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`sfjwt: cannot write in the output folder ${out}: EACCES`);
  });
});
