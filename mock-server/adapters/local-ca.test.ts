/**
 * The HTTPS leaf certificate is kept next to the local CA and reused (making an RSA key is most of
 * `serve`'s TLS start-up), but only while it is good: issued by this CA, covering every name, valid
 * for another day and matching its key. Otherwise a new one is made and kept.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ResourceError } from '../../lib/errors.ts';
import { HAS_FIFOS, makeFifo, underWatchdog } from '../../lib/testing/fifo.ts';
import { SALESFORCE_DNS_NAMES, serverTls } from './local-ca.ts';

const dirs: string[] = [];
const stateDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sfjwt-ca-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('serverTls', () => {
  it('keeps the leaf and its key (mode 0600) and serves the same one on the next start', () => {
    const dir = stateDir();
    const first = serverTls(dir);
    const second = serverTls(dir);
    expect(second.cert).toBe(first.cert);
    expect(second.key).toBe(first.key);
    expect(statSync(join(dir, 'tls', 'server.key')).mode & 0o777).toBe(0o600);
    const leaf = new X509Certificate(first.cert);
    expect(leaf.checkIssued(new X509Certificate(first.caPem))).toBe(true);
    for (const name of SALESFORCE_DNS_NAMES) expect(leaf.subjectAltName).toContain(`DNS:${name}`);
  });

  it('makes a new leaf when the kept one is damaged, belongs to another CA or does not match its key', () => {
    const dir = stateDir();
    const first = serverTls(dir);
    writeFileSync(join(dir, 'tls', 'server.crt'), 'not a certificate');
    const afterDamage = serverTls(dir);
    expect(afterDamage.cert).not.toBe(first.cert);
    expect(new X509Certificate(afterDamage.cert).checkIssued(new X509Certificate(afterDamage.caPem))).toBe(true);

    const other = stateDir();
    const foreign = serverTls(other);
    writeFileSync(join(dir, 'tls', 'server.crt'), foreign.cert);
    writeFileSync(join(dir, 'tls', 'server.key'), foreign.key);
    const afterForeign = serverTls(dir);
    expect(afterForeign.cert).not.toBe(foreign.cert);

    writeFileSync(join(dir, 'tls', 'server.key'), readFileSync(join(other, 'tls', 'server.key')));
    const afterWrongKey = serverTls(dir);
    expect(afterWrongKey.cert).not.toBe(afterForeign.cert);
    expect(new X509Certificate(afterWrongKey.cert).checkPrivateKey(createPrivateKey(afterWrongKey.key))).toBe(true);
  });

  it.each([
    ['a directory in place of the CA key', (tls: string) => mkdirSync(join(tls, 'ca.key')), 'cannot use the state folder file {tls}/ca.key: it is a directory'],
    ['a damaged CA key', (tls: string) => writeFileSync(join(tls, 'ca.key'), 'garbage'), 'cannot use the key pair {tls}/ca.key and {tls}/ca.crt: they are not a PEM private key and certificate ('],
    [
      "a CA key that is not the certificate's",
      (tls: string) => writeFileSync(join(tls, 'ca.key'), readFileSync(join(tls, 'server.key'))),
      "cannot use the key pair {tls}/ca.key and {tls}/ca.crt: the certificate is not the key's",
    ],
  ])('%s is a ResourceError naming the path and what to do, not a stack', (_name, damage, message) => {
    const dir = stateDir();
    serverTls(dir);
    const tls = join(dir, 'tls');
    rmSync(join(tls, 'ca.key'));
    damage(tls);
    let thrown: unknown;
    try {
      serverTls(dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResourceError);
    expect((thrown as ResourceError).message.startsWith(message.replaceAll('{tls}', tls))).toBe(true);
    expect((thrown as ResourceError).actions[0]).toContain(`Delete ${join(tls, 'ca.key')} and ${join(tls, 'ca.crt')}`);
  });

  it.skipIf(!HAS_FIFOS)('a FIFO or a link in place of the kept leaf key is refused at once, nothing written through the link', () => {
    const dir = stateDir();
    serverTls(dir);
    const keyFile = join(dir, 'tls', 'server.key');
    rmSync(keyFile);
    makeFifo(keyFile);
    let thrown: unknown;
    underWatchdog(keyFile, () => {
      try {
        serverTls(dir);
      } catch (error) {
        thrown = error;
      }
    });
    expect(thrown).toBeInstanceOf(ResourceError);
    expect((thrown as ResourceError).message).toBe(`cannot use the mock's TLS file ${keyFile}: it is a FIFO (named pipe), not a regular file`);

    rmSync(keyFile);
    const elsewhere = join(stateDir(), 'precious.key');
    writeFileSync(elsewhere, "not sfjwt's", { mode: 0o644 });
    symlinkSync(elsewhere, keyFile);
    expect(() => serverTls(dir)).toThrow(`cannot use the mock's TLS file ${keyFile}: it is a symbolic link, which sfjwt does not follow here`);
    expect(readFileSync(elsewhere, 'utf8')).toBe("not sfjwt's");
  });
});
