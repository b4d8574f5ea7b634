/**
 * The state folder's key pairs: made once with the key at mode 0600 and read back after; anything
 * else in their place is a ResourceError naming the path and what to do, and nothing outside the
 * folder is ever written through a link. Tests run as root here, so "unreadable" is played by what
 * root cannot read either: a directory, a FIFO, damaged content. The state folder gets a
 * .gitignore of its own (everything in it ignored) when it is sfjwt's, and never one that overwrites
 * a .gitignore there or lands in a folder of the user's.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ResourceError } from './errors.ts';
import { gitignoreText } from './own-gitignore.ts';
import { ensureKeyPair } from './state-folder.ts';
import { HAS_FIFOS, makeFifo, underWatchdog } from './testing/fifo.ts';

const SUBJECT = [{ shortName: 'CN', value: 'sfjwt test' }];
const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'sfjwt-state-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function refusal(fn: () => unknown): ResourceError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ResourceError);
  return thrown as ResourceError;
}

const remake = (key: string, crt: string) => [`Delete ${key} and ${crt} (or set SFJWT_HOME to another folder): sfjwt then makes a new pair. A new CA must be trusted again (NODE_EXTRA_CA_CERTS).`];

describe('ensureKeyPair', () => {
  it('makes a pair once (key 0600, certificate 0644, folder 0700) and reads the same pair after', () => {
    const dir = join(fresh(), 'keys');
    const first = ensureKeyPair(dir, 'app', SUBJECT);
    expect(statSync(first.privateKeyFile).mode & 0o777).toBe(0o600);
    expect(statSync(first.certificateFile).mode & 0o777).toBe(0o644);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(new X509Certificate(first.certificatePem).subject).toBe('CN=sfjwt test');
    expect(ensureKeyPair(dir, 'app', SUBJECT)).toEqual(first);
  });

  it('makes the key 0600 whatever the umask says', () => {
    const before = process.umask(0);
    try {
      const pair = ensureKeyPair(fresh(), 'app', SUBJECT);
      expect(statSync(pair.privateKeyFile).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(before);
    }
  });

  it.each([
    ['a dangling link', false],
    ['a link to a file elsewhere', true],
  ])('refuses %s in place of the key and writes nothing through it', (_name, targetExists) => {
    const dir = fresh();
    const elsewhere = join(fresh(), 'precious.txt');
    if (targetExists) writeFileSync(elsewhere, 'not a key', { mode: 0o644 });
    symlinkSync(elsewhere, join(dir, 'app.key'));
    const error = refusal(() => ensureKeyPair(dir, 'app', SUBJECT));
    expect(error.message).toBe(`cannot use the state folder file ${join(dir, 'app.key')}: it is a symbolic link, which sfjwt does not follow in its state folder`);
    expect(error.actions).toEqual(remake(join(dir, 'app.key'), join(dir, 'app.crt')));
    if (targetExists) {
      expect(readFileSync(elsewhere, 'utf8')).toBe('not a key');
      expect(statSync(elsewhere).mode & 0o777).toBe(0o644);
    } else {
      expect(existsSync(elsewhere)).toBe(false);
    }
    expect(existsSync(join(dir, 'app.crt'))).toBe(false);
  });

  it('refuses a link in place of the certificate of a complete pair', () => {
    const dir = fresh();
    const made = ensureKeyPair(dir, 'app', SUBJECT);
    const elsewhere = join(fresh(), 'app.crt');
    writeFileSync(elsewhere, made.certificatePem);
    rmSync(made.certificateFile);
    symlinkSync(elsewhere, made.certificateFile);
    expect(refusal(() => ensureKeyPair(dir, 'app', SUBJECT)).message).toBe(
      `cannot use the state folder file ${made.certificateFile}: it is a symbolic link, which sfjwt does not follow in its state folder`,
    );
  });

  it('refuses a directory in place of the key, naming it and what to do', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'app.key'));
    writeFileSync(join(dir, 'app.crt'), 'x');
    const error = refusal(() => ensureKeyPair(dir, 'app', SUBJECT));
    expect(error.message).toBe(`cannot use the state folder file ${join(dir, 'app.key')}: it is a directory`);
    expect(error.actions).toEqual(remake(join(dir, 'app.key'), join(dir, 'app.crt')));
  });

  it.skipIf(!HAS_FIFOS)('refuses a FIFO in place of the key at once', () => {
    const dir = fresh();
    const made = ensureKeyPair(dir, 'app', SUBJECT);
    rmSync(made.privateKeyFile);
    makeFifo(made.privateKeyFile);
    const error = underWatchdog(made.privateKeyFile, () => refusal(() => ensureKeyPair(dir, 'app', SUBJECT)));
    expect(error.message).toBe(`cannot use the state folder file ${made.privateKeyFile}: it is a FIFO (named pipe)`);
  });

  it.each([
    ['a damaged key', 'app.key', 'not a key'],
    ['a damaged certificate', 'app.crt', '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n'],
  ])('refuses %s with the pair named, instead of passing it on', (_name, file, text) => {
    const dir = fresh();
    const made = ensureKeyPair(dir, 'app', SUBJECT);
    writeFileSync(join(dir, file), text);
    const error = refusal(() => ensureKeyPair(dir, 'app', SUBJECT));
    expect(error.message).toMatch(
      new RegExp(`^cannot use the key pair ${made.privateKeyFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} and .*app\\.crt: they are not a PEM private key and certificate \\(`),
    );
    expect(error.actions).toEqual(remake(made.privateKeyFile, made.certificateFile));
  });

  it("refuses a key that is not the certificate's", () => {
    const dir = fresh();
    const made = ensureKeyPair(dir, 'app', SUBJECT);
    const other = ensureKeyPair(fresh(), 'app', SUBJECT);
    writeFileSync(made.privateKeyFile, other.privateKeyPem);
    expect(refusal(() => ensureKeyPair(dir, 'app', SUBJECT)).message).toBe(`cannot use the key pair ${made.privateKeyFile} and ${made.certificateFile}: the certificate is not the key's`);
  });

  it("does not overwrite a lone key (it may be someone's): refuses, keeping it", () => {
    const dir = fresh();
    writeFileSync(join(dir, 'app.key'), 'a key someone put here');
    const error = refusal(() => ensureKeyPair(dir, 'app', SUBJECT));
    expect(error.message).toBe(`cannot use the state folder: ${join(dir, 'app.key')} is there but ${join(dir, 'app.crt')} is not, and sfjwt does not complete a pair it cannot vouch for`);
    expect(error.actions).toEqual([`Put ${join(dir, 'app.crt')} back, or delete ${join(dir, 'app.key')} (or set SFJWT_HOME to another folder) to have sfjwt make a new pair.`]);
    expect(readFileSync(join(dir, 'app.key'), 'utf8')).toBe('a key someone put here');
  });
});

describe("the state folder's .gitignore", () => {
  const OURS = "# Written by sfjwt: this folder holds private keys and the mock's local CA, which sfjwt made for itself; nothing in it belongs in git.\n*\n";

  it('a new state folder gets one: everything in it ignored, the first line saying sfjwt wrote it', () => {
    const state = join(fresh(), '.sfjwt');
    ensureKeyPair(join(state, 'keys'), 'app', SUBJECT);
    ensureKeyPair(join(state, 'tls'), 'ca', SUBJECT);
    expect(readFileSync(join(state, '.gitignore'), 'utf8')).toBe(OURS);
    expect(gitignoreText("private keys and the mock's local CA, which sfjwt made for itself")).toBe(OURS);
    expect(statSync(join(state, '.gitignore')).mode & 0o777).toBe(0o644);
  });

  it('a state folder made before there was one (keys/ and tls/ only) gets it on the next use', () => {
    const state = join(fresh(), '.sfjwt');
    ensureKeyPair(join(state, 'keys'), 'app', SUBJECT);
    ensureKeyPair(join(state, 'tls'), 'ca', SUBJECT);
    rmSync(join(state, '.gitignore'));
    ensureKeyPair(join(state, 'keys'), 'app', SUBJECT);
    expect(readFileSync(join(state, '.gitignore'), 'utf8')).toBe(OURS);
  });

  it('a .gitignore that is there is never overwritten', () => {
    const state = join(fresh(), '.sfjwt');
    mkdirSync(state);
    writeFileSync(join(state, '.gitignore'), '# mine\n*.key\n');
    ensureKeyPair(join(state, 'keys'), 'app', SUBJECT);
    expect(readFileSync(join(state, '.gitignore'), 'utf8')).toBe('# mine\n*.key\n');
  });

  it("a folder of the user's (SFJWT_HOME=their home, holding other things) gets none", () => {
    const home = fresh();
    writeFileSync(join(home, 'notes.txt'), 'mine');
    ensureKeyPair(join(home, 'keys'), 'app', SUBJECT);
    expect(existsSync(join(home, '.gitignore'))).toBe(false);
  });
});
